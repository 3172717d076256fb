from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.validators import RegexValidator
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from accounts.choices import District
from accounts.exceptions import (
    EnterpriseCreditCodeTakenError,
    EnterpriseInvitationEmailTakenError,
    RegistrationContactMissingError,
    RegistrationEmailTakenError,
    RegistrationMobileTakenError,
)
from accounts.models import Enterprise, User
from accounts.services.enterprises import credit_code_is_taken
from accounts.services.registration import email_is_taken, mobile_is_taken
from accounts.validators import normalize_credit_code, validate_credit_code, validate_mobile
from innovations.models import Industry

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


validate_contact_phone = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{6,28}\Z",
    message=_("Enter a phone number with its area code, e.g. 021-62345678, or a mobile number."),
    code="contact_phone_format",
)


class EnterpriseDetailsForm(forms.Form):
    """What an enterprise says about itself; staff check it before verifying. Writing is the
    job of enterprise_register and enterprise_resubmit."""

    name = forms.CharField(
        label=_("Enterprise name"),
        max_length=200,
        help_text=_("The full registered name, as on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        # Room for the spaces and dashes people copy from documents; the code itself is 18.
        max_length=30,
        help_text=_("18 characters, as printed on the business licence, e.g. 91310115MA1H7K2X30."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    district = forms.ChoiceField(
        label=_("District"), choices=[*BLANK_CHOICE_DASH, *District.choices]
    )
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all())
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=100,
        help_text=_("Whom union staff should call about this registration."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        validators=[validate_contact_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, enterprise: Enterprise | None = None, **kwargs):
        # The enterprise being corrected: its own code is not a duplicate of itself.
        self.enterprise = enterprise
        super().__init__(*args, **kwargs)

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        if credit_code_is_taken(code, exclude=self.enterprise):
            raise forms.ValidationError(
                EnterpriseCreditCodeTakenError.default_message,
                code=EnterpriseCreditCodeTakenError.code,
            )
        return code

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in EnterpriseDetailsForm.base_fields}


class EnterpriseRegistrationForm(EnterpriseDetailsForm, WorkerRegistrationForm):
    """An organisation registers, with the account of the person who acts for it: the worker
    form's name, contact and password fields and checks, without employer and union number."""

    employer_name = None
    union_member_no = None

    field_order = [
        *EnterpriseDetailsForm.base_fields,
        "family_name",
        "given_name",
        "email",
        "mobile",
        "password1",
        "password2",
    ]

    def account(self) -> dict:
        data = self.cleaned_data
        return {
            "family_name": data["family_name"],
            "given_name": data["given_name"],
            "email": data["email"],
            "mobile": data["mobile"],
            "password": data["password1"],
        }


class EnterpriseInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's email address"),
        max_length=254,
        help_text=_("We email them a link to create their account. The link is valid for 7 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email_is_taken(email):
            raise forms.ValidationError(
                EnterpriseInvitationEmailTakenError.default_message,
                code=EnterpriseInvitationEmailTakenError.code,
            )
        return email


class EnterpriseJoinForm(WorkerRegistrationForm):
    """An invited colleague creates their account. The email address is the invited one, so
    the worker form's email, employer and union number fields are left out."""

    email = None
    employer_name = None
    union_member_no = None

    def __init__(self, *args, invited_email: str, **kwargs):
        self.invited_email = invited_email
        super().__init__(*args, **kwargs)

    def clean(self):
        # Before the worker form's checks: the invited address is the contact they require,
        # and the password must not resemble it.
        self.cleaned_data["email"] = self.invited_email
        return super().clean()
