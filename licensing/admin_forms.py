"""Forms of the licensing admin screens. They parse input; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from innovations.forms import IdMultipleChoiceField
from innovations.models import Innovation
from licensing.choices import IncomeKind, RoyaltyBasis
from marketplace.choices import RightType

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}
# ISO, whatever the language: a date input shows nothing for a localized value (2026/12/05 in
# Chinese), and the terms form would then post the emptied field and erase the date.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NegotiatedDealForm(forms.Form):
    licensee = forms.ModelChoiceField(
        label=_("Licensee"), queryset=Enterprise.objects.filter(verification_status="verified")
    )
    innovations = IdMultipleChoiceField(
        label=_("Innovations"), queryset=Innovation.objects.listable().order_by("title")
    )
    right_type = forms.ChoiceField(label=_("Right granted"), choices=RightType.choices)
    deal_amount = forms.DecimalField(label=_("Deal amount (yuan)"), **MONEY)
    upfront_amount = forms.DecimalField(
        label=_("Upfront amount (yuan)"), max_digits=14, decimal_places=2, min_value=0
    )
    contract_number = forms.CharField(label=_("Contract number"), max_length=60, required=False)
    scope = forms.CharField(label=_("Scope of use"), widget=forms.Textarea, required=False)
    territory = forms.CharField(label=_("Territory"), max_length=200, initial="中华人民共和国境内")
    term_start = forms.DateField(label=_("Term starts"), widget=DATE, required=False)
    term_end = forms.DateField(label=_("Term ends"), widget=DATE, required=False)
    royalty_rate = forms.DecimalField(label=_("Royalty rate (%)"), required=False, **PERCENT)
    royalty_basis = forms.ChoiceField(label=_("Royalty basis"), choices=RoyaltyBasis.choices)
    milestones = forms.CharField(label=_("Milestones"), widget=forms.Textarea, required=False)
    cnipa_record_number = forms.CharField(
        label=_("CNIPA record number"), max_length=60, required=False
    )
    cnipa_record_date = forms.DateField(label=_("CNIPA record date"), widget=DATE, required=False)


class AgreementTermsForm(forms.Form):
    """The terms of a draft agreement that agreement_update may change (EDITABLE_TERMS)."""

    contract_number = forms.CharField(label=_("Contract number"), max_length=60, required=False)
    licensors = forms.CharField(
        label=_("Licensors (patent holders)"),
        max_length=300,
        help_text=_("The patent holders granting the rights, separated by “；”."),
    )
    right_type = forms.ChoiceField(label=_("Right granted"), choices=RightType.choices)
    is_service_invention = forms.BooleanField(label=_("Service invention"), required=False)
    scope = forms.CharField(label=_("Scope of use"), widget=forms.Textarea, required=False)
    territory = forms.CharField(label=_("Territory"), max_length=200)
    term_start = forms.DateField(label=_("Term starts"), widget=DATE, required=False)
    term_end = forms.DateField(label=_("Term ends"), widget=DATE, required=False)
    deal_amount = forms.DecimalField(label=_("Deal amount (yuan)"), **MONEY)
    upfront_amount = forms.DecimalField(
        label=_("Upfront amount (yuan)"), max_digits=14, decimal_places=2, min_value=0
    )
    royalty_rate = forms.DecimalField(label=_("Royalty rate (%)"), required=False, **PERCENT)
    royalty_basis = forms.ChoiceField(label=_("Royalty basis"), choices=RoyaltyBasis.choices)
    milestones = forms.CharField(label=_("Milestones"), widget=forms.Textarea, required=False)
    cnipa_record_number = forms.CharField(
        label=_("CNIPA record number"), max_length=60, required=False
    )
    cnipa_record_date = forms.DateField(label=_("CNIPA record date"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each field posts the value it was shown with, so `changed_data` is what this person
        # changed, not what differs from a row someone else has since saved.
        for field in self.fields.values():
            field.show_hidden_initial = True

    def shown_values(self) -> str:
        """The hidden inputs holding the values shown (Wagtail's field layout omits them)."""
        return format_html_join("", "{}", ((field.as_hidden(only_initial=True),) for field in self))


class IncomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncomeKind.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    reference = forms.CharField(label=_("Bank or statement reference"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class IncomeReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this income is taken back; it is kept with the reversing entries."),
    )


class SharingPlanForm(forms.Form):
    inventors_percent = forms.DecimalField(label=_("Inventor team (%)"), **PERCENT)
    employer_percent = forms.DecimalField(label=_("Employer (%)"), **PERCENT)
    union_fund_percent = forms.DecimalField(label=_("Union transformation fund (%)"), **PERCENT)
    platform_percent = forms.DecimalField(label=_("Platform fee (%)"), **PERCENT)


class PayoutForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)
    reference = forms.CharField(label=_("Bank reference"), max_length=100)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class BatchPaidForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
