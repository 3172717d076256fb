"""Who may see an agreement, its certificate and a sharing statement (object permissions)."""

from django.db.models import Q

from accounts.services.roles import is_union_staff
from licensing.models import Agreement, SharingEvent


def agreement_visible_to(user, agreement: Agreement) -> bool:
    """Staff, the licensee's members, and the inventors of the agreement's innovations."""
    if not user.is_authenticated:
        return False
    if is_union_staff(user):
        return True
    if user.enterprise_id and user.enterprise_id == agreement.licensee_id:
        return True
    return agreement.innovations.filter(Q(owner=user) | Q(contributors__user=user)).exists()


def statement_lines_visible_to(user, event: SharingEvent):
    """The lines of a statement the user may read: all for staff, their own for a worker, and
    their enterprise's employer share for an enterprise member."""
    if is_union_staff(user):
        return event.lines.all()
    own = Q(user=user)
    if user.enterprise_id:
        own |= Q(enterprise_id=user.enterprise_id)
    return event.lines.filter(own)
