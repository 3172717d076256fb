"""seed_licensing builds a signed negotiated deal with shared income and a payout, once."""

import pytest

from accounts.demo import seed_people
from innovations.demo import seed_innovations
from licensing.demo import seed_licensing
from licensing.models import Agreement, IncomeRecord, Payout, SharingEvent
from marketplace.models import LedgerTransaction

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_deal_with_royalties_and_earnings_and_is_idempotent():
    seed_people()
    seed_innovations()

    seed_licensing()
    counts = [
        model.objects.count()
        for model in (Agreement, IncomeRecord, SharingEvent, Payout, LedgerTransaction)
    ]
    seed_licensing()

    agreement = Agreement.objects.confirmed().negotiated().get()
    assert agreement.certificate.number == "SHWIE-2026-000001"
    assert IncomeRecord.objects.filter(kind="royalty").exists()
    assert counts == [
        model.objects.count()
        for model in (Agreement, IncomeRecord, SharingEvent, Payout, LedgerTransaction)
    ]
    assert counts[:4] == [1, 3, 3, 1]
