"""Front-end forms for workers. They parse input; the rules live in innovations.services."""

import re
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from innovations.choices import AttachmentKind, Category, PatentKind, PatentStatus, TechnicalField
from innovations.models import Industry
from innovations.patent_numbers import validate_patent_number
from innovations.rich_text import rich_text_is_blank
from innovations.services.drafting import ContributorInput, InnovationContent, PatentInput

MAX_BENEFIT = Decimal("9999999999.99")
# Text that uses any of the editor's tags is HTML; anything else is plain text, escaped.
HTML_MARKUP = re.compile(
    r"<(p|br|ul|ol|li|h[2-4]|strong|em|b|i|u|s|a|table|blockquote|pre|code)\b", re.I
)


def plain_text_to_html(text: str) -> str:
    """Workers without an editor type plain text: blank lines separate paragraphs."""
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>{}</p>".format(escape(part).replace("\n", "<br>")) for part in paragraphs if part
    )


# An id with more digits may not fit the database's integer: SQLite raises OverflowError on it,
# which Django's multiple-choice field does not catch (a 500 for "99999999999999999999").
ID_PATTERN = re.compile(r"[0-9]{1,18}")


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField by primary key that refuses what cannot be an id before
    asking the database."""

    def _check_values(self, value):
        for pk in value:
            if not isinstance(pk, str) or not ID_PATTERN.fullmatch(pk.strip()):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class InnovationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: the problem and what your innovation changes."),
    )
    description = forms.CharField(
        label=_("Full description"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Plain text (a blank line starts a new paragraph) or simple HTML: paragraphs, "
            "bold, italics, lists, headings, tables and links. Anything else is removed."
        ),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    technical_field = forms.ChoiceField(label=_("Technical field"), choices=TechnicalField.choices)
    industries = IdMultipleChoiceField(
        label=_("Industries"),
        queryset=Industry.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Enterprise.objects.all())
    expected_benefit = forms.DecimalField(
        label=_("Expected yearly benefit (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_BENEFIT,
        max_digits=12,
        decimal_places=2,
        help_text=_("For example the yearly savings in yuan. Leave empty if unknown."),
    )

    def clean_description(self) -> str:
        text = self.cleaned_data["description"]
        html = text if HTML_MARKUP.search(text) else plain_text_to_html(text)
        if rich_text_is_blank(html):
            raise forms.ValidationError(_("Please describe your innovation."))
        return html

    def to_content(self) -> InnovationContent:
        data = self.cleaned_data
        return InnovationContent(
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
            category=data["category"],
            technical_field=data["technical_field"],
            employer=data["employer"],
            expected_benefit=data["expected_benefit"],
            industries=list(data["industries"]),
        )


class ContributorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    account = forms.CharField(
        label=_("Worker account (email or mobile)"),
        max_length=254,
        required=False,
        help_text=_("Leave empty for a co-inventor without an account."),
    )
    share = forms.DecimalField(
        label=_("Share (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
    )

    def clean_account(self):
        identifier = self.cleaned_data["account"].strip()
        if not identifier:
            return None
        users = get_user_model().objects.filter(
            Q(email__iexact=identifier) | Q(mobile=identifier), is_active=True
        )
        user = users.first() if users.count() == 1 else None
        if user is None:
            raise forms.ValidationError(
                _("No worker account has this email address or mobile number.")
            )
        return user

    def clean(self):
        data = super().clean()
        if not data.get("account") and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Give a name or a worker account."))
        return data

    def to_input(self) -> ContributorInput:
        data = self.cleaned_data
        return ContributorInput(share=data["share"], user=data["account"], name=data["name"])


class BaseContributorFormSet(forms.BaseFormSet):
    """Parses the rows; innovations.services.drafting.contributors_replace judges the list
    (at least one inventor, nobody twice, shares in range)."""

    def filled_forms(self):
        return (form for form in self.forms if form.has_changed() and form.cleaned_data)

    def to_inputs(self) -> list[ContributorInput]:
        return [form.to_input() for form in self.filled_forms()]


ContributorFormSet = forms.formset_factory(
    ContributorForm, formset=BaseContributorFormSet, extra=2, max_num=20, validate_max=True
)


class PatentForm(forms.Form):
    number = forms.CharField(
        label=_("Application or patent number"),
        max_length=40,
        validators=[validate_patent_number],
        help_text=_("For example ZL 2023 1 0397744.0 or CN202310397744.0"),
    )
    kind = forms.ChoiceField(label=_("Patent type"), choices=PatentKind.choices)
    status = forms.ChoiceField(label=_("Legal status"), choices=PatentStatus.choices)
    filing_date = forms.DateField(
        label=_("Filing date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    grant_date = forms.DateField(
        label=_("Grant date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    holders = forms.CharField(label=_("Patent holders"), max_length=300)

    def to_input(self) -> PatentInput:
        return PatentInput(**self.cleaned_data)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, GIF or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif,.webp,application/pdf,image/*"}
        ),
    )


class ConfirmForm(forms.Form):
    """An empty form for POST-only actions (submit, delete); CSRF does the work."""
