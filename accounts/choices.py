from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who a user is on the platform. Each role is a Django group that carries its permissions."""

    WORKER = "worker", _("Worker")
    ENTERPRISE_MEMBER = "enterprise_member", _("Enterprise member")
    UNION_STAFF = "union_staff", _("Union staff")


# Group names are data created by migration 0002; code refers to them only through this map.
# Bilingual, because staff of either language see them in the Wagtail admin.
ROLE_GROUP_NAMES = {
    Role.WORKER: "职工 Workers",
    Role.ENTERPRISE_MEMBER: "企业会员 Enterprise members",
    Role.UNION_STAFF: "工会工作人员 Union staff",
}


class District(models.TextChoices):
    """The 16 districts of Shanghai."""

    HUANGPU = "huangpu", _("Huangpu")
    XUHUI = "xuhui", _("Xuhui")
    CHANGNING = "changning", _("Changning")
    JINGAN = "jingan", _("Jing'an")
    PUTUO = "putuo", _("Putuo")
    HONGKOU = "hongkou", _("Hongkou")
    YANGPU = "yangpu", _("Yangpu")
    MINHANG = "minhang", _("Minhang")
    BAOSHAN = "baoshan", _("Baoshan")
    JIADING = "jiading", _("Jiading")
    PUDONG = "pudong", _("Pudong New Area")
    JINSHAN = "jinshan", _("Jinshan")
    SONGJIANG = "songjiang", _("Songjiang")
    QINGPU = "qingpu", _("Qingpu")
    FENGXIAN = "fengxian", _("Fengxian")
    CHONGMING = "chongming", _("Chongming")


class VerificationStatus(models.TextChoices):
    """Union staff check an enterprise's credit code before it may pay deposits or bid."""

    UNVERIFIED = "unverified", _("Not yet verified")
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
