"""Domain errors of the innovations app. Views and the admin show `message` to the user."""

from django.utils.translation import gettext_lazy as _

from accounts.exceptions import DomainError


class InnovationError(DomainError):
    code = "innovation_error"
    default_message = _("This change is not allowed.")


class InnovationTransitionError(InnovationError):
    code = "invalid_transition"
    default_message = _("An innovation that is “%(status)s” cannot be %(action)s.")


class InnovationNotEditableError(InnovationError):
    code = "not_editable"
    default_message = _(
        "Only drafts and innovations returned for changes can be edited; this one is “%(status)s”."
    )


class InnovationPermissionError(InnovationError):
    code = "permission_denied"
    default_message = _("You may not change this innovation.")


class ContributorSharesError(InnovationError):
    code = "shares_not_100"
    default_message = _(
        "The contribution shares add up to %(total)s%%; they must add up to exactly 100%% "
        "before the innovation can be submitted."
    )


class ContributorInvalidError(InnovationError):
    code = "contributor_invalid"


class PatentDuplicateError(InnovationError):
    code = "patent_duplicate"
    default_message = _("Patent %(number)s is already linked to an innovation on the platform.")


class ReviewCommentRequiredError(InnovationError):
    code = "comment_required"
    default_message = _("Please write a comment: the worker needs to know why.")


class InnovationNotListableError(InnovationError):
    code = "not_listable"
    default_message = _(
        "Only approved innovations in the “ready to transact” tier can be offered in an auction."
    )
