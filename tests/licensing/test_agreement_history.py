"""Agreement status history (AgreementEvent) and the automatic expiry of agreements whose term
has run out (agreements_expire_due, run by every close_lots pass)."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.utils import translation

from licensing.choices import AgreementStatus
from licensing.exceptions import AgreementReasonInvalidError, AgreementTransitionError
from licensing.models import AgreementEvent
from licensing.models.agreement import ALLOWED_TRANSITIONS
from licensing.services.agreements import (
    agreement_activate,
    agreement_sign,
    agreement_terminate,
    agreement_transition,
    agreements_expire_due,
)
from tests.factories.licensing import AgreementFactory

pytestmark = pytest.mark.django_db

S = AgreementStatus
ALLOWED = [
    (source, target) for source, targets in ALLOWED_TRANSITIONS.items() for target in targets
]
ADMIN = "/admin/licensing/agreements/"
# The term's last day is 30 April 2031; in Shanghai (UTC+8) 1 May starts at 16:00 UTC.
LAST_DAY = date(2031, 4, 30)
LAST_SECOND_IN_SHANGHAI = datetime(2031, 4, 30, 15, 59, 59, tzinfo=UTC)
NEXT_DAY_IN_SHANGHAI = datetime(2031, 4, 30, 16, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_transition_records_one_event(source, target, union_staff):
    agreement = AgreementFactory(
        status=source, confirmed_on=None if source == S.DRAFT else date(2026, 5, 1)
    )

    agreement_transition(agreement=agreement, target=target, actor=union_staff, reason="why")

    [event] = AgreementEvent.objects.filter(agreement=agreement)
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        source,
        target,
        union_staff,
        "why",
    )


@pytest.mark.parametrize("source", [S.DRAFT, S.SIGNED, S.ACTIVE])
@pytest.mark.parametrize("reason", ["", "   ", "长" * 301])
def test_terminating_needs_a_reason_of_at_most_300_characters(source, reason, union_staff):
    agreement = AgreementFactory(
        status=source, confirmed_on=None if source == S.DRAFT else date(2026, 5, 1)
    )

    with pytest.raises(AgreementReasonInvalidError) as refused:
        agreement_transition(
            agreement=agreement, target=S.TERMINATED, actor=union_staff, reason=reason
        )

    with translation.override("en"):
        assert "terminating an agreement needs one" in str(refused.value)
    agreement.refresh_from_db()
    assert agreement.status == source
    assert not AgreementEvent.objects.exists()


def test_a_reason_is_stored_without_surrounding_spaces_and_a_staff_event_shows_it(union_staff):
    agreement = AgreementFactory(status=S.ACTIVE, confirmed_on=date(2026, 5, 1))

    agreement_terminate(agreement=agreement, actor=union_staff, reason="  被许可方破产清算。 ")

    event = agreement.events.get()
    assert event.reason == event.reason_shown == "被许可方破产清算。"


def test_other_changes_need_no_reason_and_show_none(union_staff):
    agreement = AgreementFactory(status=S.SIGNED, confirmed_on=date(2026, 5, 1))

    agreement_activate(agreement=agreement, actor=union_staff)

    assert agreement.events.get().reason_shown == ""


def test_a_refused_transition_records_nothing(union_staff):
    agreement = AgreementFactory(status=S.DRAFT)

    with pytest.raises(AgreementTransitionError):
        agreement_transition(agreement=agreement, target=S.EXPIRED, actor=union_staff)

    assert not AgreementEvent.objects.exists()


def test_the_history_follows_the_agreement_through_its_life(union_staff):
    agreement = AgreementFactory()

    agreement_sign(agreement=agreement, actor=union_staff)
    agreement_activate(agreement=agreement, actor=union_staff)
    agreements_expire_due(now=NEXT_DAY_IN_SHANGHAI)

    assert list(agreement.events.values_list("from_status", "to_status", "actor")) == [
        (S.DRAFT, S.SIGNED, union_staff.pk),
        (S.SIGNED, S.ACTIVE, union_staff.pk),
        (S.ACTIVE, S.EXPIRED, None),
    ]


def test_an_event_is_never_edited_or_deleted(union_staff):
    agreement = AgreementFactory(status=S.SIGNED, confirmed_on=date(2026, 5, 1))
    agreement_activate(agreement=agreement, actor=union_staff)
    event = agreement.events.get()

    event.reason = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert agreement.events.get().reason == ""


# --- Expiry when the term has run out -----------------------------------------------------


def _active(**kwargs):
    return AgreementFactory(
        status=S.ACTIVE, confirmed_on=date(2026, 5, 1), term_end=LAST_DAY, **kwargs
    )


def test_an_agreement_is_in_force_through_the_last_day_of_its_term_in_shanghai():
    agreement = _active()

    assert agreements_expire_due(now=LAST_SECOND_IN_SHANGHAI) == 0

    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE
    assert not agreement.events.exists()


def test_it_expires_from_00_00_shanghai_time_the_next_day_by_the_platform():
    agreement = _active()

    assert agreements_expire_due(now=NEXT_DAY_IN_SHANGHAI) == 1

    agreement.refresh_from_db()
    assert agreement.status == S.EXPIRED
    [event] = agreement.events.all()
    assert (event.from_status, event.to_status, event.actor) == (S.ACTIVE, S.EXPIRED, None)
    assert event.at == NEXT_DAY_IN_SHANGHAI
    # Stored without words; shown in the reader's language.
    assert event.reason == ""
    with translation.override("en"):
        assert event.reason_shown == "The term ended."
    with translation.override("zh-hans"):
        assert event.reason_shown == "合同期限已届满。"


def test_running_twice_expires_once():
    agreement = _active()

    first = agreements_expire_due(now=NEXT_DAY_IN_SHANGHAI)
    second = agreements_expire_due(now=NEXT_DAY_IN_SHANGHAI)

    assert (first, second) == (1, 0)
    assert agreement.events.count() == 1


def test_only_agreements_in_force_expire():
    signed = AgreementFactory(status=S.SIGNED, confirmed_on=date(2026, 5, 1), term_end=LAST_DAY)
    draft = AgreementFactory(status=S.DRAFT, term_end=LAST_DAY)
    open_ended = AgreementFactory(status=S.ACTIVE, confirmed_on=date(2026, 5, 1), term_end=None)

    assert agreements_expire_due(now=NEXT_DAY_IN_SHANGHAI) == 0

    for agreement, status in ((signed, S.SIGNED), (draft, S.DRAFT), (open_ended, S.ACTIVE)):
        agreement.refresh_from_db()
        assert agreement.status == status


def test_the_close_lots_pass_expires_agreements_whose_term_has_ended():
    agreement = AgreementFactory(
        status=S.ACTIVE,
        confirmed_on=date(2020, 1, 1),
        term_start=date(2020, 1, 1),
        term_end=date(2021, 1, 1),
    )

    call_command("close_lots")

    agreement.refresh_from_db()
    assert agreement.status == S.EXPIRED
    assert agreement.events.get().actor is None


# --- On the agreement's admin page ------------------------------------------------------------


def test_the_admin_page_shows_the_history(client, union_staff):
    agreement = AgreementFactory(status=S.SIGNED, confirmed_on=date(2026, 5, 1))
    client.force_login(union_staff)
    client.post(f"{ADMIN}transition/{agreement.pk}/active/")

    content = client.get(f"{ADMIN}inspect/{agreement.pk}/").content.decode()

    history = content.split('id="agreement-history"', 1)[1]
    assert str(union_staff) in history
    assert history.count("<tr>") == 2  # the header and the one change
