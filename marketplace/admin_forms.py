"""The union staff's auction forms in the Wagtail admin.

They parse what staff type (times in Shanghai time, percentages, yuan) into the arguments of
marketplace.services.auctions; the rules (the 24-hour window, one session per season, the
reserve not below the start, what the disclosure needs…) stay in the services, whose refusals
the views show as form errors.
"""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.choices import VerificationStatus
from accounts.models import Enterprise
from innovations.forms import IdMultipleChoiceField
from innovations.models import Innovation
from marketplace.exceptions import MarketplaceError
from marketplace.models import AuctionSession, Lot, LotInnovation
from marketplace.models.auction_session import DEFAULT_INCREMENT_BANDS
from marketplace.services.auctions import (
    ACTIVE_LOT_STATUSES,
    LotDisclosure,
    LotTerms,
    SessionSchedule,
    increment_bands_check,
)

# Auctions run on Shanghai time whatever time zone a staff member's admin profile names.
SHANGHAI = ZoneInfo("Asia/Shanghai")
HUNDRED = Decimal("100")
MONEY = {"max_digits": 14, "decimal_places": 2}
# The lot statuses that hold on to their innovations (as marketplace.services.auctions checks).


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _model_field(model, name: str, **kwargs) -> forms.Field:
    return model._meta.get_field(name).formfield(**kwargs)


class ShanghaiDateTimeField(forms.DateTimeField):
    """A datetime-local input read and shown in Shanghai time."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(SHANGHAI):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(SHANGHAI):
            return super().prepare_value(value)


def percent(rate: Decimal) -> str:
    """0.1000 → "10", 0.1250 → "12.5"."""
    return f"{(rate * HUNDRED).normalize():f}"


def _minutes(duration) -> int:
    return int(duration.total_seconds() // 60)


class SessionScheduleForm(forms.Form):
    """The times of a session: what session_reschedule may change."""

    preview_start = ShanghaiDateTimeField(
        label=_label(AuctionSession, "preview_start"),
        help_text=_("Shanghai time. The catalogue becomes visible and registration opens."),
    )
    bidding_start = ShanghaiDateTimeField(
        label=_label(AuctionSession, "bidding_start"), help_text=_("Shanghai time.")
    )
    first_lot_closes_at = ShanghaiDateTimeField(
        label=_label(AuctionSession, "first_lot_closes_at"),
        help_text=_("Shanghai time. Bidding stays open at least 24 hours."),
    )
    closing_interval_minutes = forms.IntegerField(
        label=_("Interval between lot closings (minutes)"),
        min_value=1,
        initial=2,
        help_text=_("Lot 2 closes this long after lot 1, lot 3 after lot 2, and so on."),
    )
    soft_close_minutes = forms.IntegerField(
        label=_("Soft-close window (minutes)"),
        min_value=1,
        initial=5,
        help_text=_(
            "A bid accepted this close to a lot's closing time moves its closing time to this "
            "long after the bid."
        ),
    )

    @classmethod
    def initial_for(cls, session: AuctionSession) -> dict:
        return {
            "preview_start": session.preview_start,
            "bidding_start": session.bidding_start,
            "first_lot_closes_at": session.first_lot_closes_at,
            "closing_interval_minutes": _minutes(session.closing_interval),
            "soft_close_minutes": _minutes(session.soft_close_window),
        }

    def schedule(self) -> SessionSchedule:
        data = self.cleaned_data
        return SessionSchedule(
            preview_start=data["preview_start"],
            bidding_start=data["bidding_start"],
            first_lot_closes_at=data["first_lot_closes_at"],
            closing_interval=timedelta(minutes=data["closing_interval_minutes"]),
            soft_close_window=timedelta(minutes=data["soft_close_minutes"]),
        )


def _this_year() -> int:
    return timezone.localdate().year


class SessionCreateForm(SessionScheduleForm):
    name = _model_field(AuctionSession, "name")
    year = _model_field(AuctionSession, "year", initial=_this_year)
    season = _model_field(AuctionSession, "season")
    description = _model_field(AuctionSession, "description")
    deposit_rate_percent = forms.DecimalField(
        label=_("Deposit rate (percent of the starting price)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        initial=Decimal("10"),
    )
    deposit_minimum = forms.DecimalField(
        label=_label(AuctionSession, "deposit_minimum"),
        min_value=0,
        initial=Decimal("1000"),
        **MONEY,
    )
    buyers_premium_percent = forms.DecimalField(
        label=_("Buyer's premium (percent of the hammer price)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        initial=Decimal("0"),
    )

    field_order = [
        "name",
        "year",
        "season",
        "description",
        "preview_start",
        "bidding_start",
        "first_lot_closes_at",
        "closing_interval_minutes",
        "soft_close_minutes",
        "deposit_rate_percent",
        "deposit_minimum",
        "buyers_premium_percent",
    ]

    def session_kwargs(self) -> dict:
        """Keyword arguments for session_create, less actor and increment_bands."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "year": data["year"],
            "season": data["season"],
            "description": data["description"],
            "schedule": self.schedule(),
            "deposit_rate": data["deposit_rate_percent"] / HUNDRED,
            "deposit_minimum": data["deposit_minimum"],
            "buyers_premium_rate": data["buyers_premium_percent"] / HUNDRED,
        }


class IncrementBandForm(forms.Form):
    """One row of the increment table: "up to ¥X, bids rise by ¥Y"."""

    upper_bound = forms.DecimalField(
        label=_("Current price up to (yuan)"), required=False, min_value=Decimal("0.01"), **MONEY
    )
    increment = forms.DecimalField(
        label=_("Bid increment (yuan)"), required=False, min_value=Decimal("0.01"), **MONEY
    )


class BaseIncrementBandFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            increment_bands_check(self.bands())
        except MarketplaceError as error:
            raise forms.ValidationError(str(error)) from None

    def bands(self) -> list:
        """Filled rows as the session stores them, sorted by bound with the open band last."""
        rows = [
            (form.cleaned_data.get("upper_bound"), form.cleaned_data.get("increment"))
            for form in self.forms
            if form.cleaned_data.get("upper_bound") is not None
            or form.cleaned_data.get("increment") is not None
        ]
        rows.sort(key=lambda row: (row[0] is None, row[0] or 0))
        return [
            [None if bound is None else f"{bound:.2f}", None if step is None else f"{step:.2f}"]
            for bound, step in rows
        ]


IncrementBandFormSet = forms.formset_factory(
    IncrementBandForm, formset=BaseIncrementBandFormSet, extra=2
)
INCREMENT_BANDS_PREFIX = "bands"


def increment_band_initial() -> list[dict]:
    return [{"upper_bound": bound, "increment": step} for bound, step in DEFAULT_INCREMENT_BANDS]


def eligible_innovations() -> QuerySet[Innovation]:
    """Approved, ready-to-transact innovations that no draft, catalogued or sold lot offers.

    Only what the form offers: lot_create checks each innovation again inside its lock.
    """
    offered = LotInnovation.objects.filter(
        innovation=OuterRef("pk"), lot__status__in=ACTIVE_LOT_STATUSES
    )
    return (
        Innovation.objects.listable()
        .exclude(Exists(offered))
        .select_related("employer")
        .order_by("-decided_at", "-pk")
    )


class InnovationChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: Innovation) -> str:
        return f"{obj.title} · {obj.employer}"


class LotTermsForm(forms.Form):
    """What lot_create and lot_update take as LotTerms."""

    title = _model_field(
        Lot,
        "title",
        required=False,
        help_text=_("Leave empty to use the innovation's title."),
    )
    right_type = _model_field(Lot, "right_type")
    licence_term_years = _model_field(
        Lot, "licence_term_years", help_text=_("For a licence; an assignment has no term.")
    )
    territory = _model_field(Lot, "territory")
    starting_price = forms.DecimalField(
        label=_label(Lot, "starting_price"), min_value=Decimal("0.01"), **MONEY
    )
    reserve_price = forms.DecimalField(
        label=_label(Lot, "reserve_price"),
        required=False,
        min_value=Decimal("0.01"),
        help_text=_("Optional and never shown to bidders; not below the starting price."),
        **MONEY,
    )
    deposit_amount = forms.DecimalField(
        label=_label(Lot, "deposit_amount"), required=False, min_value=Decimal("0.01"), **MONEY
    )

    def __init__(self, *args, session: AuctionSession, **kwargs):
        self.session = session
        super().__init__(*args, **kwargs)
        self.fields["deposit_amount"].help_text = _(
            "Leave empty to use the session's rule: %(rate)s%% of the starting price, at least "
            "¥%(minimum)s."
        ) % {
            "rate": percent(session.deposit_rate),
            "minimum": f"{session.deposit_minimum:,.2f}",
        }

    def terms(self) -> LotTerms:
        data = self.cleaned_data
        return LotTerms(
            right_type=data["right_type"],
            starting_price=data["starting_price"],
            licence_term_years=data["licence_term_years"],
            territory=data["territory"],
            reserve_price=data["reserve_price"],
            deposit_amount=data["deposit_amount"],
            title=data["title"],
        )


class LotCreateForm(LotTermsForm):
    innovations = InnovationChoiceField(
        label=_("Innovations offered"),
        queryset=Innovation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Approved innovations graded ready to transact that no other lot offers. Choose "
            "several to offer them together as a technology package."
        ),
    )

    field_order = ["innovations"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovations"].queryset = eligible_innovations()


def patents_legal_status_suggestion(lot: Lot) -> str:
    """One line per patent of the lot's innovations, for staff to check and complete."""
    lines = []
    for innovation in lot.innovations.prefetch_related("patents"):
        for patent in innovation.patents.all():
            lines.append(
                _("%(number)s, %(kind)s, %(status)s, held by %(holders)s")
                % {
                    "number": patent.number,
                    "kind": patent.get_kind_display(),
                    "status": patent.get_status_display(),
                    "holders": patent.holders,
                }
            )
    return "\n".join(lines)


class LotEditForm(LotTermsForm):
    """The terms and the disclosure (披露) that lot_publish requires."""

    patents_legal_status = _model_field(
        Lot,
        "patents_legal_status",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Suggested from the innovations' patents when empty: check each against the CNIPA "
            "register and add annual-fee, pledge and licence status."
        ),
    )
    is_service_invention = _model_field(Lot, "is_service_invention")
    employer_consent = _model_field(Lot, "employer_consent")
    co_owners_consent = _model_field(Lot, "co_owners_consent")
    known_limitations = _model_field(
        Lot,
        "known_limitations",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write “none” if there are none."),
    )
    confidentiality_terms = _model_field(
        Lot,
        "confidentiality_terms",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bidders accept them before opening the confidential documents."),
    )

    @classmethod
    def initial_for(cls, lot: Lot) -> dict:
        return {
            "title": lot.title,
            "right_type": lot.right_type,
            "licence_term_years": lot.licence_term_years,
            "territory": lot.territory,
            "starting_price": lot.starting_price,
            "reserve_price": lot.reserve_price,
            "deposit_amount": lot.deposit_amount,
            "patents_legal_status": lot.patents_legal_status
            or patents_legal_status_suggestion(lot),
            "is_service_invention": lot.is_service_invention,
            "employer_consent": lot.employer_consent,
            "co_owners_consent": lot.co_owners_consent,
            "known_limitations": lot.known_limitations,
            "confidentiality_terms": lot.confidentiality_terms,
        }

    def disclosure(self) -> LotDisclosure:
        data = self.cleaned_data
        return LotDisclosure(
            patents_legal_status=data["patents_legal_status"],
            is_service_invention=data["is_service_invention"],
            employer_consent=data["employer_consent"],
            co_owners_consent=data["co_owners_consent"],
            known_limitations=data["known_limitations"],
            confidentiality_terms=data["confidentiality_terms"],
        )


class LotDocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file's name."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A PDF or an image. Bidders open it only after accepting the lot's "
            "confidentiality terms."
        ),
    )


class LotWithdrawForm(forms.Form):
    # Not required here: lot_withdraw refuses an empty reason with its own message.
    reason = forms.CharField(
        label=_label(Lot, "withdrawn_reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the catalogue beside the withdrawn lot."),
    )


class BankTransferDepositForm(forms.Form):
    """Staff record a deposit that arrived by bank transfer (above the online-payment limit)."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.filter(verification_status=VerificationStatus.VERIFIED),
        help_text=_("Only verified enterprises can pay deposits."),
    )
    amount = forms.DecimalField(
        label=_("Amount received (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)
    receipt = forms.FileField(
        label=_("Bank receipt"),
        required=False,
        help_text=_("A PDF or an image of the bank's receipt."),
    )
