"""Every review transition, and every refusal, goes through innovations.services.review."""

import pytest
from django.core import mail

from accounts.choices import Role
from innovations.choices import ReviewAction, Status, Tier
from innovations.exceptions import (
    ContributorSharesError,
    InnovationError,
    InnovationNotListableError,
    InnovationPermissionError,
    InnovationTransitionError,
    ReviewCommentRequiredError,
)
from innovations.models import Contributor, ReviewEvent
from innovations.services.review import (
    innovation_approve,
    innovation_assert_listable,
    innovation_grade,
    innovation_reject,
    innovation_return,
    innovation_submit,
)
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory


@pytest.fixture
def draft(worker):
    return InnovationFactory(owner=worker)


@pytest.fixture
def submitted(draft, worker):
    innovation_submit(innovation=draft, actor=worker)
    draft.refresh_from_db()
    return draft


def test_submitting_a_complete_draft_records_who_and_when(draft, worker):
    event = innovation_submit(innovation=draft, actor=worker)

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_at is not None
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        worker,
        ReviewAction.SUBMIT,
        Status.DRAFT,
        Status.SUBMITTED,
    )


def test_submission_is_refused_when_shares_add_up_to_99_99(draft, worker):
    Contributor.objects.filter(innovation=draft).update(share="60.00")
    Contributor.objects.create(innovation=draft, name="赵师傅", share="39.99")

    with pytest.raises(ContributorSharesError) as error:
        innovation_submit(innovation=draft, actor=worker)

    assert "99.99" in str(error.value)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not ReviewEvent.objects.exists()


def test_submission_with_shares_60_and_40_is_accepted(draft, worker):
    Contributor.objects.filter(innovation=draft).update(share="60.00")
    Contributor.objects.create(innovation=draft, name="赵师傅", share="40.00")

    innovation_submit(innovation=draft, actor=worker)

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_submission_needs_a_description(worker):
    innovation = InnovationFactory(owner=worker, description="<p>&nbsp;</p>")

    with pytest.raises(InnovationError):
        innovation_submit(innovation=innovation, actor=worker)


def test_only_the_submitter_may_submit(draft):
    with pytest.raises(InnovationPermissionError):
        innovation_submit(innovation=draft, actor=UserFactory(role=Role.WORKER))


def test_approving_grades_and_notifies_the_submitter(
    submitted, union_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = innovation_approve(
            innovation=submitted,
            actor=union_staff,
            tier=Tier.TRANSACT,
            is_excellent=True,
            is_high_value_patent=True,
            comment="技术成熟，可进入拍卖。",
        )

    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert (submitted.tier, submitted.is_excellent, submitted.is_high_value_patent) == (
        Tier.TRANSACT,
        True,
        True,
    )
    assert event.comment == "技术成熟，可进入拍卖。"
    assert event.tier == Tier.TRANSACT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [submitted.owner.email]
    assert "技术成熟，可进入拍卖。" in mail.outbox[0].body
    assert "Approved" in mail.outbox[0].body


def test_returning_needs_a_comment(submitted, union_staff, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ReviewCommentRequiredError),
    ):
        innovation_return(innovation=submitted, actor=union_staff, comment="   ")

    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert mail.outbox == []


def test_returned_innovation_can_be_edited_and_resubmitted(submitted, union_staff, worker):
    innovation_return(innovation=submitted, actor=union_staff, comment="请补充效益测算。")
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert submitted.is_editable

    innovation_submit(innovation=submitted, actor=worker)

    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert list(submitted.review_events.values_list("action", flat=True)) == [
        ReviewAction.SUBMIT,
        ReviewAction.RETURN,
        ReviewAction.SUBMIT,
    ]


def test_rejecting_needs_a_reason(submitted, union_staff):
    with pytest.raises(ReviewCommentRequiredError):
        innovation_reject(innovation=submitted, actor=union_staff, reason="")

    innovation_reject(innovation=submitted, actor=union_staff, reason="与已有专利重复。")

    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED
    assert not submitted.is_editable


@pytest.mark.parametrize(
    "decide",
    [
        lambda i, a: innovation_approve(innovation=i, actor=a, tier=Tier.NURTURE),
        lambda i, a: innovation_return(innovation=i, actor=a, comment="x"),
        lambda i, a: innovation_reject(innovation=i, actor=a, reason="x"),
    ],
    ids=["approve", "return", "reject"],
)
def test_a_draft_cannot_be_decided(draft, union_staff, decide):
    with pytest.raises(InnovationTransitionError):
        decide(draft, union_staff)

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_approved_innovation_cannot_be_resubmitted_or_rejected(submitted, union_staff, worker):
    innovation_approve(innovation=submitted, actor=union_staff, tier=Tier.NURTURE)

    with pytest.raises(InnovationTransitionError):
        innovation_submit(innovation=submitted, actor=worker)
    with pytest.raises(InnovationTransitionError):
        innovation_reject(innovation=submitted, actor=union_staff, reason="改主意了")


def test_approving_twice_is_refused(submitted, union_staff):
    innovation_approve(innovation=submitted, actor=union_staff, tier=Tier.NURTURE)

    with pytest.raises(InnovationTransitionError):
        innovation_approve(innovation=submitted, actor=union_staff, tier=Tier.TRANSACT)


def test_workers_cannot_review(submitted):
    with pytest.raises(InnovationPermissionError):
        innovation_approve(
            innovation=submitted, actor=UserFactory(role=Role.WORKER), tier=Tier.TRANSACT
        )


def test_approval_needs_a_valid_tier(submitted, union_staff):
    with pytest.raises(InnovationError):
        innovation_approve(innovation=submitted, actor=union_staff, tier="gold")


def test_grading_an_approved_innovation_is_recorded(submitted, union_staff):
    innovation_approve(innovation=submitted, actor=union_staff, tier=Tier.INCUBATE)

    innovation_grade(
        innovation=submitted,
        actor=union_staff,
        tier=Tier.TRANSACT,
        is_excellent=True,
        is_high_value_patent=False,
        comment="孵化完成",
    )

    submitted.refresh_from_db()
    assert submitted.tier == Tier.TRANSACT
    assert submitted.review_events.last().action == ReviewAction.GRADE


def test_grading_is_only_for_approved_innovations(submitted, union_staff):
    with pytest.raises(InnovationTransitionError):
        innovation_grade(
            innovation=submitted,
            actor=union_staff,
            tier=Tier.TRANSACT,
            is_excellent=False,
            is_high_value_patent=False,
        )


@pytest.mark.parametrize(
    ("status", "tier", "listable"),
    [
        (Status.APPROVED, Tier.TRANSACT, True),
        (Status.APPROVED, Tier.INCUBATE, False),
        (Status.APPROVED, Tier.NURTURE, False),
        (Status.SUBMITTED, Tier.TRANSACT, False),
        (Status.DRAFT, "", False),
    ],
)
def test_only_approved_ready_to_transact_innovations_can_be_listed(status, tier, listable, worker):
    innovation = InnovationFactory(owner=worker, status=status, tier=tier)

    if listable:
        innovation_assert_listable(innovation)
    else:
        with pytest.raises(InnovationNotListableError):
            innovation_assert_listable(innovation)


def test_review_history_cannot_be_edited_or_deleted(submitted):
    event = submitted.review_events.get()
    event.comment = "rewritten"

    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_mobile_only_submitter_gets_no_email_but_the_decision_is_recorded(
    union_staff, django_capture_on_commit_callbacks
):
    owner = UserFactory(role=Role.WORKER, email="")
    innovation = InnovationFactory(owner=owner)
    innovation_submit(innovation=innovation, actor=owner)

    with django_capture_on_commit_callbacks(execute=True):
        innovation_return(innovation=innovation, actor=union_staff, comment="请补充图纸")

    assert mail.outbox == []
    assert innovation.review_events.last().comment == "请补充图纸"
