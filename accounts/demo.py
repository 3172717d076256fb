"""Demo enterprises and people for a newcomer's first run.

The passwords are public: seed_demo refuses to run outside DEBUG unless forced.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.choices import Role
from accounts.models import Enterprise, User
from accounts.services.roles import user_assign_role

DEMO_PASSWORD = "wie-demo-2026"


@dataclass(frozen=True)
class DemoEnterprise:
    credit_code: str
    name: str
    district: str


@dataclass(frozen=True)
class DemoPerson:
    username: str
    family_name: str
    given_name: str
    email: str
    mobile: str
    role: Role | None
    enterprise_code: str | None = None
    employer_code: str | None = None
    superuser: bool = False


DEMO_ENTERPRISES = [
    DemoEnterprise("91310115MA1H7K2X30", "上海申江精密机械有限公司", "pudong"),
    DemoEnterprise("913100001322456784", "上海浦江新材料科技股份有限公司", "minhang"),
    DemoEnterprise("91310120MA1HW8QR59", "上海临港智能装备有限公司", "fengxian"),
    DemoEnterprise("91310104MA1FR3TL0A", "上海徐汇量测仪器有限公司", "xuhui"),
]

DEMO_PEOPLE = [
    DemoPerson("admin", "管", "理员", "admin@example.com", "13900000000", None, superuser=True),
    DemoPerson("staff", "周", "慧敏", "staff@example.com", "13900000001", Role.UNION_STAFF),
    DemoPerson(
        "wangjianguo",
        "王",
        "建国",
        "wang.jianguo@example.com",
        "13800000001",
        Role.WORKER,
        employer_code="91310120MA1HW8QR59",
    ),
    DemoPerson(
        "lixiuying",
        "李",
        "秀英",
        "li.xiuying@example.com",
        "13800000002",
        Role.WORKER,
        employer_code="91310104MA1FR3TL0A",
    ),
    DemoPerson(
        "zhangwei",
        "张",
        "伟",
        "zhang.wei@example.com",
        "13800000003",
        Role.WORKER,
        employer_code="91310120MA1HW8QR59",
    ),
    DemoPerson(
        "chenming",
        "陈",
        "明",
        "chen.ming@example.com",
        "13700000001",
        Role.ENTERPRISE_MEMBER,
        "91310115MA1H7K2X30",
    ),
    DemoPerson(
        "liuyang",
        "刘",
        "洋",
        "liu.yang@example.com",
        "13700000002",
        Role.ENTERPRISE_MEMBER,
        "913100001322456784",
    ),
]


@transaction.atomic
def seed_people() -> list[DemoPerson]:
    """Create or refresh the demo enterprises and accounts; returns the people for printing.

    Passwords are reset on every run so the printed logins always work.
    """
    enterprises = {}
    for spec in DEMO_ENTERPRISES:
        enterprise, _ = Enterprise.objects.update_or_create(
            credit_code=spec.credit_code,
            defaults={"name": spec.name, "district": spec.district},
        )
        enterprises[spec.credit_code] = enterprise

    for spec in DEMO_PEOPLE:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "last_name": spec.family_name,
                "first_name": spec.given_name,
                "email": spec.email,
                "mobile": spec.mobile,
                "enterprise": enterprises.get(spec.enterprise_code),
                "employer": enterprises.get(spec.employer_code),
                "is_superuser": spec.superuser,
                "is_staff": spec.superuser,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if spec.role is not None:
            user_assign_role(user=user, role=spec.role)
    return DEMO_PEOPLE
