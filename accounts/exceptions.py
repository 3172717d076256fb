"""Domain errors of the accounts app. Forms, views and the API show `message` to the user."""

from django.utils.translation import gettext_lazy as _


class RegistrationError(Exception):
    """A worker cannot be registered as asked."""

    code = "registration_error"
    default_message = _("This account cannot be registered.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


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
