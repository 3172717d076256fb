"""Auction sessions in the Wagtail admin: the listing, create, reschedule, the session's page
with its lots, and the publish and open-bidding buttons."""

from decimal import Decimal

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from innovations.templatetags.money import yuan
from marketplace.admin.base import (
    MANAGE,
    NOT_SET,
    AuctionActionView,
    AuctionFormView,
    ShanghaiTimeColumn,
    shanghai_time,
)
from marketplace.admin_forms import (
    INCREMENT_BANDS_PREFIX,
    IncrementBandFormSet,
    SessionCreateForm,
    SessionScheduleForm,
    increment_band_initial,
    percent,
)
from marketplace.choices import SessionStatus
from marketplace.exceptions import MarketplaceError, SessionSeasonTakenError
from marketplace.models import AuctionSession, Lot
from marketplace.services.auctions import (
    session_create,
    session_open,
    session_publish,
    session_reschedule,
)

SESSION_ICON = "calendar-alt"


def _label(name: str) -> str:
    return capfirst(AuctionSession._meta.get_field(name).verbose_name)


def _minutes_text(duration) -> str:
    minutes = Decimal(int(duration.total_seconds())) / 60
    return _("%(minutes)s minutes") % {"minutes": f"{minutes.normalize():f}"}


class AuctionSessionIndexView(IndexView):
    add_url_name = None
    inspect_url_name = None

    def get_base_queryset(self):
        return AuctionSession.objects.annotate(lot_count=Count("lots"))

    @cached_property
    def columns(self):
        return [
            self._get_title_column("name"),
            self._get_custom_column("year"),
            self._get_custom_column("season"),
            self._get_custom_column("status"),
            *(
                ShanghaiTimeColumn(name, label=_label(name), sort_key=name)
                for name in ("preview_start", "bidding_start", "first_lot_closes_at")
            ),
            Column(
                "lot_count", label=capfirst(Lot._meta.verbose_name_plural), sort_key="lot_count"
            ),
        ]

    def get_add_url(self):
        if self.add_url_name and self.user_has_permission(MANAGE):
            return reverse(self.add_url_name)


class SessionObjectMixin:
    index_url_name = None
    inspect_url_name = None

    @cached_property
    def session(self) -> AuctionSession:
        return get_object_or_404(AuctionSession, pk=self.kwargs["pk"])

    @cached_property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=(self.session.pk,))

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(AuctionSession._meta.verbose_name_plural),
            },
            {"url": self.inspect_url, "label": str(self.session)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.session)},
        ]


class AuctionSessionCreateView(AuctionFormView):
    """Calls session_create with the form, the increment table and the signed-in staff."""

    model = AuctionSession
    form_class = SessionCreateForm
    template_name = "marketplace/admin/session_form.html"
    page_title = gettext_lazy("New auction session")
    header_icon = SESSION_ICON
    error_message = gettext_lazy("The auction session was not saved.")
    submit_button_label = gettext_lazy("Create")
    submit_button_active_label = gettext_lazy("Creating…")
    index_url_name = None
    inspect_url_name = None

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(AuctionSession._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def formset(self):
        if self.request.method == "POST":
            return IncrementBandFormSet(self.request.POST, prefix=INCREMENT_BANDS_PREFIX)
        return IncrementBandFormSet(initial=increment_band_initial(), prefix=INCREMENT_BANDS_PREFIX)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        # Both validated, so every mistake shows at once.
        formset_valid = self.formset.is_valid()
        if form.is_valid() and formset_valid:
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        try:
            session = session_create(
                actor=self.request.user,
                increment_bands=self.formset.bands(),
                **form.session_kwargs(),
            )
        except SessionSeasonTakenError as error:
            return self.refuse(form, error, "season")
        except MarketplaceError as error:
            return self.refuse(form, error)
        messages.success(
            self.request, _("Auction session “%(name)s” created.") % {"name": session.name}
        )
        return redirect(self.inspect_url_name, session.pk)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "formset": self.formset,
            "bands_heading": _label("increment_bands"),
        }


class AuctionSessionEditView(SessionObjectMixin, AuctionFormView):
    """Calls session_reschedule: before bidding opens the times may move, and every lot's
    closing time moves with them."""

    model = AuctionSession
    form_class = SessionScheduleForm
    page_title = gettext_lazy("Change the times")
    header_icon = SESSION_ICON
    error_message = gettext_lazy("The times were not changed.")
    intro = gettext_lazy(
        "Times can change until bidding opens. Every lot's closing time follows the first "
        "lot's closing time and the interval."
    )

    def get_initial(self):
        return SessionScheduleForm.initial_for(self.session)

    def form_valid(self, form):
        try:
            session_reschedule(
                session=self.session, actor=self.request.user, schedule=form.schedule()
            )
        except MarketplaceError as error:
            return self.refuse(form, error)
        messages.success(
            self.request, _("The times of “%(name)s” were changed.") % {"name": self.session}
        )
        return redirect(self.inspect_url)


class AuctionSessionInspectView(InspectView):
    """The session with its increment table and its lots in number order."""

    any_permission_required = ["view"]
    edit_url_name = None
    add_lot_url_name = None
    publish_url_name = None
    open_url_name = None
    lot_inspect_url_name = None

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name)
        if field_name in ("preview_start", "bidding_start", "first_lot_closes_at"):
            return shanghai_time(value)
        if field_name in ("closing_interval", "soft_close_window"):
            return _minutes_text(value)
        if field_name in ("deposit_rate", "buyers_premium_rate"):
            return f"{percent(value)}%"
        if field_name == "deposit_minimum":
            return yuan(value)
        value = super().get_field_display_value(field_name, field)
        return NOT_SET if value in (None, "") else value

    @cached_property
    def can_manage(self) -> bool:
        return self.user_has_permission(MANAGE)

    @cached_property
    def header_buttons(self):
        # Lots and times change only before bidding (the services refuse later changes).
        before_bidding = self.object.status in (SessionStatus.DRAFT, SessionStatus.PUBLISHED)
        if not (self.can_manage and before_bidding):
            return []
        return [
            HeaderButton(
                _("Change the times"),
                url=reverse(self.edit_url_name, args=(self.object.pk,)),
                icon_name="time",
            ),
            HeaderButton(
                _("Add a lot"),
                url=reverse(self.add_lot_url_name, args=(self.object.pk,)),
                icon_name="plus",
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        lots = session.lots.order_by("number")
        context.update(
            can_publish=self.can_manage and session.can_move_to(SessionStatus.PUBLISHED),
            can_open=self.can_manage and session.can_move_to(SessionStatus.OPEN),
            publish_url=reverse(self.publish_url_name, args=(session.pk,)),
            open_url=reverse(self.open_url_name, args=(session.pk,)),
            increment_bands=[
                (NOT_SET if bound is None else yuan(bound), yuan(step))
                for bound, step in session.increment_bands
            ],
            lots=[
                (
                    lot,
                    reverse(self.lot_inspect_url_name, args=(lot.pk,)),
                    shanghai_time(lot.closes_at),
                )
                for lot in lots
            ],
            lot_labels={
                name: capfirst(Lot._meta.get_field(name).verbose_name)
                for name in (
                    "number",
                    "title",
                    "right_type",
                    "starting_price",
                    "status",
                    "closes_at",
                )
            },
            lots_heading=capfirst(Lot._meta.verbose_name_plural),
            bands_heading=_label("increment_bands"),
        )
        return context


class AuctionSessionPublishView(AuctionActionView):
    model = AuctionSession

    def perform(self) -> str:
        session = session_publish(session=self.object, actor=self.request.user)
        return _("“%(name)s” is published: its catalogue is visible and registration is open.") % {
            "name": session.name
        }


class AuctionSessionOpenView(AuctionActionView):
    model = AuctionSession

    def perform(self) -> str:
        session = session_open(session=self.object, actor=self.request.user)
        return _("Bidding is open in “%(name)s”.") % {"name": session.name}
