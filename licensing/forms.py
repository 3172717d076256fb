"""Forms of the licensing pages for workers. They parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PayoutDetailsForm(forms.Form):
    bank_account_name = forms.CharField(
        label=_("Account holder"),
        max_length=100,
        help_text=_("The name the account is held in, as the bank has it."),
    )
    bank = forms.CharField(
        label=_("Bank and branch"),
        max_length=100,
        help_text=_("The bank and the branch where the account is held."),
    )
    # Longer than 30: people group the digits with spaces; the service checks the digits.
    bank_account_number = forms.CharField(
        label=_("Account number"),
        max_length=60,
        help_text=_("8 to 30 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
