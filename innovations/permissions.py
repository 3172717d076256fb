"""Who may see and change an innovation. Object-level rules in one place."""

from accounts.services.roles import is_union_staff
from innovations.choices import Status
from innovations.models import Innovation


def is_reviewer(user) -> bool:
    return is_union_staff(user)


def is_involved(user, innovation: Innovation) -> bool:
    if not user.is_authenticated:
        return False
    if innovation.owner_id == user.pk:
        return True
    return innovation.contributors.filter(user=user).exists()


def can_view(user, innovation: Innovation) -> bool:
    """Approved innovations are public; anything else only for its inventors and reviewers."""
    if innovation.status == Status.APPROVED:
        return True
    if innovation.status == Status.DRAFT:
        # A draft is the submitter's own until it is submitted.
        return user.is_authenticated and innovation.owner_id == user.pk
    return is_involved(user, innovation) or is_reviewer(user)


def can_edit(user, innovation: Innovation) -> bool:
    return user.is_authenticated and innovation.owner_id == user.pk and innovation.is_editable
