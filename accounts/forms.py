from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import (
    RegistrationContactMissingError,
    RegistrationEmailTakenError,
    RegistrationMobileTakenError,
)
from accounts.models import User
from accounts.services.registration import email_is_taken, mobile_is_taken
from accounts.validators import validate_mobile

EMPLOYER_DATALIST_ID = "employer-names"

validate_union_member_no = RegexValidator(
    r"^[A-Za-z0-9-]+\Z",
    message=_("Use only letters, digits and dashes, as on your union membership card."),
    code="union_member_no_characters",
)


class WorkerRegistrationForm(SetPasswordMixin, forms.Form):
    """A worker signs up. Writing is worker_register's job; this form checks the input."""

    family_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=11,
        validators=[validate_mobile],
        help_text=_("11 digits, e.g. 13812345678."),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel-national", "inputmode": "numeric"}
        ),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()
    employer_name = forms.CharField(
        label=_("Employer"),
        max_length=200,
        help_text=_(
            "The full name of the enterprise you work for, as on your employment contract. "
            "Choose it from the suggestions if it is there."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "organization", "list": EMPLOYER_DATALIST_ID}
        ),
    )
    union_member_no = forms.CharField(
        label=_("Union membership number"),
        required=False,
        max_length=30,
        validators=[validate_union_member_no],
        help_text=_("Optional. As printed on your union membership card."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email and email_is_taken(email):
            raise forms.ValidationError(
                RegistrationEmailTakenError.default_message, code=RegistrationEmailTakenError.code
            )
        return email

    def clean_mobile(self) -> str:
        mobile = self.cleaned_data["mobile"]
        if mobile and mobile_is_taken(mobile):
            raise forms.ValidationError(
                RegistrationMobileTakenError.default_message,
                code=RegistrationMobileTakenError.code,
            )
        return mobile

    def clean(self):
        cleaned_data = super().clean()
        contact_given = (
            cleaned_data.get("email")
            or cleaned_data.get("mobile")
            or "email" in self.errors
            or "mobile" in self.errors
        )
        if not contact_given:
            self.add_error(
                None,
                forms.ValidationError(
                    RegistrationContactMissingError.default_message,
                    code=RegistrationContactMissingError.code,
                ),
            )
        self.validate_passwords()
        if "password2" not in self.errors:
            # The similarity validator compares the password with the person's name and email.
            person = User(
                email=cleaned_data.get("email", ""),
                first_name=cleaned_data.get("given_name", ""),
                last_name=cleaned_data.get("family_name", ""),
            )
            self.validate_password_for_user(person, password_field_name="password1")  # noqa: S106
        return cleaned_data


class EmailOrMobileAuthenticationForm(AuthenticationForm):
    """Django's login form, worded for accounts.backends.EmailOrMobileBackend."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The email address or mobile number and the password do not match an account. "
            "Check both and try again; the password is case-sensitive."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email or mobile number")
        # Long enough for any email address, not just the username column.
        username.max_length = 254
        username.widget.attrs["maxlength"] = 254
