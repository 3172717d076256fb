"""Domain errors of the accounts app, and the base class every app's domain errors share.

Forms, views and the API show `str(error)` to the user.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused change. `code` is stable (for the API and tests); the message is translatable
    and formatted with `params` when it is shown, so it follows the active language."""

    code = "domain_error"
    default_message = _("This change is not allowed.")

    def __init__(self, message=None, **params):
        self.message = message or self.default_message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class RegistrationError(DomainError):
    """A worker cannot be registered as asked."""

    code = "registration_error"
    default_message = _("This account cannot be registered.")


class RegistrationContactMissingError(RegistrationError):
    code = "contact_missing"
    default_message = _("Enter an email address, a mobile number or both: you log in with either.")


class RegistrationEmailTakenError(RegistrationError):
    code = "email_taken"
    default_message = _(
        "An account with this email address already exists. Log in, or reset your password if "
        "you have forgotten it."
    )


class RegistrationMobileTakenError(RegistrationError):
    code = "mobile_taken"
    default_message = _(
        "An account with this mobile number already exists. Log in, or reset your password if "
        "you have forgotten it."
    )


class RegistrationEmployerMissingError(RegistrationError):
    code = "employer_missing"
    default_message = _("Enter the name of the enterprise you work for.")


class EnterpriseError(DomainError):
    """An enterprise cannot be registered, joined, verified or corrected as asked."""

    code = "enterprise_error"
    default_message = _("This change to the enterprise is not allowed.")


class EnterpriseCreditCodeInvalidError(EnterpriseError):
    """The code breaks GB 32100; the message is the validator's, which says what is wrong."""

    code = "credit_code_invalid"
    default_message = _("This unified social credit code is not valid.")


class EnterpriseCreditCodeMissingError(EnterpriseError):
    code = "credit_code_missing"
    default_message = _(
        "This enterprise has no unified social credit code, so it cannot be verified. "
        "Reject it and ask the enterprise to enter its code."
    )


class EnterpriseCreditCodeTakenError(EnterpriseError):
    code = "credit_code_taken"
    default_message = _(
        "An enterprise with this unified social credit code is already registered. If it is "
        "your enterprise, ask one of its members to invite you, or contact union staff."
    )


class EnterpriseNameMissingError(EnterpriseError):
    code = "name_missing"
    default_message = _("Enter the full name of the enterprise, as on its business licence.")


class EnterpriseTransitionError(EnterpriseError):
    code = "invalid_transition"
    default_message = _("An enterprise that is “%(status)s” cannot be %(action)s.")


class EnterprisePermissionError(EnterpriseError):
    code = "permission_denied"
    default_message = _("Only union staff verify enterprises.")


class EnterpriseNotMemberError(EnterpriseError):
    code = "not_member"
    default_message = _(
        "Only members of an enterprise may invite colleagues or correct its details."
    )


class EnterpriseRejectionReasonRequiredError(EnterpriseError):
    code = "reason_required"
    default_message = _(
        "Please give the reason for the rejection: the enterprise needs to know what to correct."
    )


class EnterpriseInvitationInvalidError(EnterpriseError):
    code = "invitation_invalid"
    default_message = _(
        "This invitation link is not valid. Check that you opened the whole link from the email, "
        "or ask a member of the enterprise to invite you again."
    )


class EnterpriseInvitationExpiredError(EnterpriseInvitationInvalidError):
    code = "invitation_expired"
    default_message = _(
        "This invitation has expired: invitation links are valid for 7 days. Ask a member of the "
        "enterprise to invite you again."
    )


class EnterpriseInvitationEmailTakenError(EnterpriseError):
    code = "invitation_email_taken"
    default_message = _(
        "An account with this email address already exists, so it cannot join through an "
        "invitation. Please contact union staff: they can link the account to the enterprise."
    )
