"""Agreements and payout profiles, built straight into the database (no service checks)."""

from datetime import date
from decimal import Decimal

import factory

from innovations.choices import Status, Tier
from innovations.models import Contributor
from licensing.choices import AgreementOrigin, AgreementStatus
from licensing.models import Agreement, PayoutProfile
from marketplace.choices import RightType
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory
from tests.factories.marketplace import VerifiedEnterpriseFactory


def approved_innovation(*, inventors=None, **kwargs):
    """An approved, ready-to-transact innovation whose inventors are (user, share) pairs;
    by default its owner alone at 100%."""
    if inventors is None:
        return InnovationFactory(status=Status.APPROVED, tier=Tier.TRANSACT, **kwargs)
    innovation = InnovationFactory(
        status=Status.APPROVED,
        tier=Tier.TRANSACT,
        owner=inventors[0][0],
        with_owner_as_contributor=False,
        **kwargs,
    )
    for position, (user, share) in enumerate(inventors):
        Contributor.objects.create(
            innovation=innovation,
            user=user,
            name=user.get_full_name() if user else f"发明人{position}",
            share=Decimal(share),
            position=position,
        )
    return innovation


class AgreementFactory(factory.django.DjangoModelFactory):
    """A negotiated deal of ¥200,000 over one approved innovation, in draft unless told."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    origin = AgreementOrigin.NEGOTIATED
    contract_number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    licensors = "上海申江精密机械有限公司"
    licensee = factory.SubFactory(VerifiedEnterpriseFactory)
    right_type = RightType.EXCLUSIVE_LICENCE
    term_start = date(2026, 5, 1)
    term_end = date(2031, 4, 30)
    deal_amount = Decimal("200000.00")
    upfront_amount = Decimal("200000.00")
    status = AgreementStatus.DRAFT

    @factory.post_generation
    def innovations(self, create, extracted, **kwargs):
        if create:
            self.innovations.set(extracted if extracted is not None else [approved_innovation()])


class PayoutProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayoutProfile

    user = factory.SubFactory(UserFactory)
    bank_account_name = factory.LazyAttribute(lambda o: o.user.get_full_name() if o.user else "")
    bank_account_number = factory.Sequence(lambda n: f"6222020200{n:09d}")
    bank = "中国工商银行上海市浦东分行"
