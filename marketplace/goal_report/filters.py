"""The report's filters: date range, session, category, district.

A bound form with a bad value (an unknown session, a date that is not one, a range that ends
before it starts) is invalid, and the report then computes nothing and shows the errors.
Missing dates default to the goal's window.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import District
from innovations.choices import Category
from marketplace.goal_report.deals import DealFilter
from marketplace.models import AuctionSession

# A range longer than this is refused: the timeline has one row per month.
MAX_RANGE_DAYS = 366 * 20


class ReportFilterForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    session = forms.ModelChoiceField(
        label=_("Auction session"),
        queryset=AuctionSession.objects.order_by("-year", "-season").only("name", "year", "season"),
        required=False,
        empty_label=_("All sessions"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *Category.choices],
        required=False,
    )
    district = forms.ChoiceField(
        label=_("District"),
        choices=[("", _("All districts")), *District.choices],
        required=False,
    )

    def __init__(self, data=None, *, default_starts_on: date, default_ends_on: date, **kwargs):
        super().__init__(data, **kwargs)
        self.default_starts_on = default_starts_on
        self.default_ends_on = default_ends_on
        self.fields["starts_on"].widget.attrs["placeholder"] = default_starts_on.isoformat()
        self.fields["ends_on"].widget.attrs["placeholder"] = default_ends_on.isoformat()

    def clean(self):
        cleaned = super().clean()
        starts_on = cleaned.get("starts_on") or self.default_starts_on
        ends_on = cleaned.get("ends_on") or self.default_ends_on
        if "starts_on" in cleaned and "ends_on" in cleaned:
            if ends_on < starts_on:
                raise forms.ValidationError(
                    _("The end date must not be before the start date."), code="range_reversed"
                )
            if (ends_on - starts_on).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(
                    _("Choose a range of at most 20 years."), code="range_too_long"
                )
        cleaned["starts_on"], cleaned["ends_on"] = starts_on, ends_on
        return cleaned

    def deal_filter(self) -> DealFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        return DealFilter(
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            session=data["session"],
            category=data["category"],
            district=data["district"],
        )
