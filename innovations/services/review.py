"""Every status change of an innovation: submit, approve, return, reject, grade.

Each function locks the innovation row, checks the transition against
innovations.models.innovation.ALLOWED_TRANSITIONS, changes the status and appends one
ReviewEvent, all in one transaction; the submitter is notified after commit.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from innovations.choices import ReviewAction, Status, Tier
from innovations.exceptions import (
    ContributorInvalidError,
    ContributorSharesError,
    InnovationError,
    InnovationNotListableError,
    InnovationPermissionError,
    InnovationTransitionError,
    ReviewCommentRequiredError,
)
from innovations.models import Innovation, ReviewEvent
from innovations.permissions import is_reviewer
from innovations.rich_text import rich_text_is_blank
from innovations.services.notifications import review_decision_notify

ACTION_VERBS = {
    ReviewAction.SUBMIT: _("submitted"),
    ReviewAction.APPROVE: _("approved"),
    ReviewAction.RETURN: _("returned for changes"),
    ReviewAction.REJECT: _("rejected"),
    ReviewAction.GRADE: _("graded"),
}


def _lock(innovation: Innovation) -> Innovation:
    return Innovation.objects.select_for_update().get(pk=innovation.pk)


def _check_transition(innovation: Innovation, to_status: str, action: str) -> None:
    if not innovation.can_move_to(to_status):
        raise InnovationTransitionError(
            status=innovation.get_status_display(), action=ACTION_VERBS[action]
        )


def _record(
    innovation: Innovation, *, actor: User, action: str, from_status: str, comment: str = ""
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        innovation=innovation,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=innovation.status,
        comment=comment,
        tier=innovation.tier,
        is_excellent=innovation.is_excellent,
        is_high_value_patent=innovation.is_high_value_patent,
    )


def _require_reviewer(actor: User) -> None:
    if not is_reviewer(actor):
        raise InnovationPermissionError(_("Only union staff review innovations."))


@transaction.atomic
def innovation_submit(*, innovation: Innovation, actor: User) -> ReviewEvent:
    """The submitter sends a draft (or a returned innovation) for review.

    Refused unless the contribution shares add up to exactly 100 and the description says
    something.
    """
    locked = _lock(innovation)
    if locked.owner_id != actor.pk:
        raise InnovationPermissionError()
    _check_transition(locked, Status.SUBMITTED, ReviewAction.SUBMIT)
    if not locked.contributors.exists():
        raise ContributorInvalidError(_("An innovation needs at least one inventor."))
    total = locked.contributors.aggregate(total=Sum("share"))["total"] or Decimal("0")
    if total != Decimal("100"):
        raise ContributorSharesError(total=f"{total.normalize():f}")
    if rich_text_is_blank(locked.description):
        raise InnovationError(_("Please describe your innovation before submitting it."))
    from_status = locked.status
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return _record(locked, actor=actor, action=ReviewAction.SUBMIT, from_status=from_status)


def _decide(
    innovation: Innovation,
    *,
    actor: User,
    to_status: str,
    action: str,
    comment: str,
    comment_required: bool,
    grade: dict | None = None,
) -> ReviewEvent:
    _require_reviewer(actor)
    comment = (comment or "").strip()
    if comment_required and not comment:
        raise ReviewCommentRequiredError()
    locked = _lock(innovation)
    _check_transition(locked, to_status, action)
    from_status = locked.status
    locked.status = to_status
    locked.decided_at = timezone.now()
    for name, value in (grade or {}).items():
        setattr(locked, name, value)
    locked.save()
    event = _record(locked, actor=actor, action=action, from_status=from_status, comment=comment)
    transaction.on_commit(lambda: review_decision_notify(event_id=event.pk))
    return event


def _grade_values(*, tier: str, is_excellent: bool, is_high_value_patent: bool) -> dict:
    if tier not in Tier.values:
        raise InnovationError(_("Choose an incubation tier."))
    return {
        "tier": tier,
        "is_excellent": bool(is_excellent),
        "is_high_value_patent": bool(is_high_value_patent),
    }


@transaction.atomic
def innovation_approve(
    *,
    innovation: Innovation,
    actor: User,
    tier: str,
    is_excellent: bool = False,
    is_high_value_patent: bool = False,
    comment: str = "",
) -> ReviewEvent:
    """Approve a submitted innovation and grade it; approved innovations are public."""
    grade = _grade_values(
        tier=tier, is_excellent=is_excellent, is_high_value_patent=is_high_value_patent
    )
    return _decide(
        innovation,
        actor=actor,
        to_status=Status.APPROVED,
        action=ReviewAction.APPROVE,
        comment=comment,
        comment_required=False,
        grade=grade,
    )


@transaction.atomic
def innovation_return(*, innovation: Innovation, actor: User, comment: str) -> ReviewEvent:
    """Send a submitted innovation back to its submitter; the comment says what to change."""
    return _decide(
        innovation,
        actor=actor,
        to_status=Status.RETURNED,
        action=ReviewAction.RETURN,
        comment=comment,
        comment_required=True,
    )


@transaction.atomic
def innovation_reject(*, innovation: Innovation, actor: User, reason: str) -> ReviewEvent:
    return _decide(
        innovation,
        actor=actor,
        to_status=Status.REJECTED,
        action=ReviewAction.REJECT,
        comment=reason,
        comment_required=True,
    )


@transaction.atomic
def innovation_grade(
    *,
    innovation: Innovation,
    actor: User,
    tier: str,
    is_excellent: bool,
    is_high_value_patent: bool,
    comment: str = "",
) -> ReviewEvent:
    """Change the grade of an approved innovation (e.g. promote it to ready-to-transact)."""
    _require_reviewer(actor)
    grade = _grade_values(
        tier=tier, is_excellent=is_excellent, is_high_value_patent=is_high_value_patent
    )
    locked = _lock(innovation)
    if locked.status != Status.APPROVED:
        raise InnovationTransitionError(
            status=locked.get_status_display(), action=ACTION_VERBS[ReviewAction.GRADE]
        )
    for name, value in grade.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*grade, "updated_at"])
    event = _record(
        locked,
        actor=actor,
        action=ReviewAction.GRADE,
        from_status=Status.APPROVED,
        comment=(comment or "").strip(),
    )
    transaction.on_commit(lambda: review_decision_notify(event_id=event.pk))
    return event


def innovation_assert_listable(innovation: Innovation) -> None:
    """The marketplace calls this before making a lot: only approved, ready-to-transact
    innovations may be sold."""
    if not innovation.is_listable:
        raise InnovationNotListableError()
