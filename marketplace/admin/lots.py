"""Lots in the Wagtail admin: the listing, create (from a session's page), terms and
disclosure, confidential documents, publish and withdraw."""

import django_filters
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton

from innovations.models import Innovation, Patent
from innovations.templatetags.money import yuan
from marketplace.admin.base import (
    NOT_SET,
    AuctionActionView,
    ShanghaiTimeColumn,
    YuanColumn,
    shanghai_time,
)
from marketplace.admin.service_views import (
    FormattedInspectView,
    ServiceFormView,
    StoredFileDownloadView,
    SubjectMixin,
    field_label,
    radio_choice_filter,
)
from marketplace.admin_forms import (
    BankTransferDepositForm,
    LotCreateForm,
    LotDocumentForm,
    LotEditForm,
    LotWithdrawForm,
)
from marketplace.choices import LotStatus
from marketplace.exceptions import LotInvalidError
from marketplace.models import AuctionSession, Lot, LotDocument
from marketplace.services.auctions import lot_create, lot_publish, lot_update, lot_withdraw
from marketplace.services.deposits import deposit_bank_transfer_confirm
from marketplace.services.lot_documents import lot_document_add

LOT_ICON = "tag"
MULTILINE_FIELDS = {
    "patents_legal_status",
    "known_limitations",
    "confidentiality_terms",
    "withdrawn_reason",
}


def _field_labels(model) -> dict[str, str]:
    return {field.name: capfirst(field.verbose_name) for field in model._meta.fields}


class LotFilterSet(WagtailFilterSet):
    session = django_filters.ModelChoiceFilter(
        label=field_label(Lot, "session"), queryset=AuctionSession.objects.all()
    )
    status = radio_choice_filter(field_label(Lot, "status"), LotStatus.choices)

    class Meta:
        model = Lot
        fields = ["session", "status", "right_type"]


class LotIndexView(IndexView):
    """Lots of every session, filterable by session, status and right; search by title."""

    inspect_url_name = None

    def get_base_queryset(self):
        return Lot.objects.select_related("session")

    @cached_property
    def columns(self):
        return [
            self._get_title_column("title"),
            self._get_custom_column("number"),
            self._get_custom_column("session"),
            self._get_custom_column("right_type"),
            YuanColumn(
                "starting_price",
                label=field_label(Lot, "starting_price"),
                sort_key="starting_price",
            ),
            YuanColumn(
                "deposit_amount",
                label=field_label(Lot, "deposit_amount"),
                sort_key="deposit_amount",
            ),
            self._get_custom_column("status"),
            ShanghaiTimeColumn(
                "closes_at", label=field_label(Lot, "closes_at"), sort_key="closes_at"
            ),
        ]


class LotObjectMixin(SubjectMixin):
    model = Lot
    subject_queryset = Lot.objects.select_related("session")

    @property
    def lot(self) -> Lot:
        return self.subject

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": capfirst(Lot._meta.verbose_name_plural)},
            {"url": self.inspect_url, "label": str(self.lot)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.lot)},
        ]


class LotCreateView(ServiceFormView):
    """Calls lot_create for the session in the URL with the innovations and terms chosen."""

    model = Lot
    form_class = LotCreateForm
    page_title = gettext_lazy("Add a lot")
    header_icon = LOT_ICON
    error_message = gettext_lazy("The lot was not saved.")
    submit_button_label = gettext_lazy("Create")
    submit_button_active_label = gettext_lazy("Creating…")
    inspect_url_name = None
    session_inspect_url_name = None
    session_index_url_name = None

    @cached_property
    def session(self) -> AuctionSession:
        return get_object_or_404(AuctionSession, pk=self.kwargs["session_pk"])

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.session_index_url_name),
                "label": capfirst(AuctionSession._meta.verbose_name_plural),
            },
            {
                "url": reverse(self.session_inspect_url_name, args=(self.session.pk,)),
                "label": str(self.session),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.session)},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "session": self.session}

    def get_intro(self, form) -> str:
        if not form.fields["innovations"].queryset.exists():
            return _(
                "No innovation can be offered now: a lot offers approved innovations graded "
                "ready to transact that no other lot offers."
            )
        return ""

    def perform(self, form):
        return lot_create(
            actor=self.request.user,
            session=self.session,
            innovations=list(form.cleaned_data["innovations"]),
            terms=form.terms(),
        )

    def success_message(self, lot) -> str:
        return _(
            "Lot %(number)s “%(title)s” created. It closes at %(closes_at)s; its deposit is "
            "%(deposit)s. Complete its disclosure before publishing it."
        ) % {
            "number": lot.number,
            "title": lot.title,
            "closes_at": shanghai_time(lot.closes_at),
            "deposit": yuan(lot.deposit_amount),
        }

    def success_url(self, lot) -> str:
        return reverse(self.inspect_url_name, args=(lot.pk,))


class LotEditView(LotObjectMixin, ServiceFormView):
    """Calls lot_update with the terms and the disclosure."""

    form_class = LotEditForm
    page_title = gettext_lazy("Terms and disclosure")
    header_icon = LOT_ICON
    error_message = gettext_lazy("The lot was not saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "session": self.lot.session}

    def get_initial(self):
        return LotEditForm.initial_for(self.lot)

    def perform(self, form):
        return lot_update(
            lot=self.lot, actor=self.request.user, terms=form.terms(), disclosure=form.disclosure()
        )

    def success_message(self, lot) -> str:
        return _("Lot %(number)s saved; its deposit is %(deposit)s.") % {
            "number": lot.number,
            "deposit": yuan(lot.deposit_amount),
        }


class LotDocumentCreateView(LotObjectMixin, ServiceFormView):
    """Calls lot_document_add; the upload is checked by its content."""

    form_class = LotDocumentForm
    upload_field = "file"
    page_title = gettext_lazy("Add a confidential document")
    header_icon = "doc-full"
    error_message = gettext_lazy("The document was not added.")
    submit_button_label = gettext_lazy("Upload")
    submit_button_active_label = gettext_lazy("Uploading…")

    def perform(self, form):
        return lot_document_add(
            lot=self.lot,
            actor=self.request.user,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )

    def success_message(self, document) -> str:
        return _("“%(title)s” added to lot %(number)s.") % {
            "title": document.title,
            "number": self.lot.number,
        }


class LotWithdrawView(LotObjectMixin, ServiceFormView):
    """Calls lot_withdraw with the reason, which the catalogue shows."""

    form_class = LotWithdrawForm
    page_title = gettext_lazy("Withdraw the lot")
    header_icon = "cross"
    error_message = gettext_lazy("The lot was not withdrawn.")
    submit_button_label = gettext_lazy("Withdraw")
    submit_button_active_label = gettext_lazy("Withdrawing…")
    intro = gettext_lazy(
        "A withdrawn lot leaves the catalogue for good; its innovations can be offered again "
        "in a new lot."
    )

    def perform(self, form):
        return lot_withdraw(
            lot=self.lot, actor=self.request.user, reason=form.cleaned_data["reason"]
        )

    def refusal_field(self, form, error) -> str | None:
        if isinstance(error, LotInvalidError) and not form.cleaned_data["reason"]:
            return "reason"
        return None

    def success_message(self, result) -> str:
        return _("Lot %(number)s withdrawn.") % {"number": self.lot.number}


class LotBankTransferDepositView(LotObjectMixin, ServiceFormView):
    """Calls deposit_bank_transfer_confirm: a deposit staff saw arrive in the bank account."""

    form_class = BankTransferDepositForm
    upload_field = "receipt"
    page_title = gettext_lazy("Record a bank transfer deposit")
    header_icon = "form"
    error_message = gettext_lazy("The deposit was not recorded.")
    submit_button_label = gettext_lazy("Record the deposit")
    submit_button_active_label = gettext_lazy("Recording…")
    intro = gettext_lazy(
        "For deposits above what one online payment can carry. Record a transfer only once it "
        "has arrived in the platform's deposit account."
    )

    def get_initial(self):
        return {"amount": self.lot.deposit_amount}

    def perform(self, form):
        data = form.cleaned_data
        return deposit_bank_transfer_confirm(
            staff_user=self.request.user,
            lot=self.lot,
            enterprise=data["enterprise"],
            amount=data["amount"],
            bank_reference=data["bank_reference"],
            receipt_file=data["receipt"],
        )

    def success_message(self, deposit) -> str:
        return _("Deposit of %(amount)s from %(enterprise)s recorded as paid.") % {
            "amount": yuan(deposit.amount),
            "enterprise": deposit.enterprise,
        }


class LotPublishView(AuctionActionView):
    model = Lot

    def perform(self) -> str:
        lot = lot_publish(lot=self.object, actor=self.request.user)
        return _("Lot %(number)s is in the catalogue.") % {"number": lot.number}


class LotDocumentDownloadView(StoredFileDownloadView):
    """A lot's confidential file, under its original name."""

    model = Lot

    def stored_file(self, *, pk: int, document_pk: int):
        document = get_object_or_404(LotDocument, pk=document_pk, lot_id=pk)
        return document.file, {
            "filename": document.original_name,
            "content_type": document.content_type,
        }


class LotInspectView(FormattedInspectView):
    """The lot's terms, disclosure, innovations with their patents, documents and actions."""

    money_fields = frozenset({"starting_price", "reserve_price", "deposit_amount"})
    time_fields = frozenset({"scheduled_close_at", "closes_at"})
    edit_url_name = None
    publish_url_name = None
    withdraw_url_name = None
    add_document_url_name = None
    bank_transfer_url_name = None
    download_url_name = None
    session_inspect_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(Lot.objects.select_related("session"), pk=self.pk)

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field_name in MULTILINE_FIELDS:
            return linebreaksbr(value) if value else NOT_SET
        return super().get_field_display_value(field_name, field)

    @cached_property
    def is_changeable(self) -> bool:
        return self.object.status in (LotStatus.DRAFT, LotStatus.PUBLISHED)

    @cached_property
    def header_buttons(self):
        if not (self.can_manage and self.is_changeable):
            return []
        pk = (self.object.pk,)
        deposit_button = HeaderButton(
            _("Record a bank transfer deposit"),
            url=reverse(self.bank_transfer_url_name, args=pk),
            icon_name="form",
        )
        return [
            *([deposit_button] if self.object.status == LotStatus.PUBLISHED else []),
            HeaderButton(
                _("Terms and disclosure"),
                url=reverse(self.edit_url_name, args=pk),
                icon_name="edit",
            ),
            HeaderButton(
                _("Add a confidential document"),
                url=reverse(self.add_document_url_name, args=pk),
                icon_name="doc-full",
            ),
            HeaderButton(
                _("Withdraw"), url=reverse(self.withdraw_url_name, args=pk), icon_name="cross"
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lot = self.object
        innovations = lot.innovations.select_related("employer").prefetch_related("patents")
        context.update(
            can_publish=self.can_manage and lot.status == LotStatus.DRAFT,
            publish_url=reverse(self.publish_url_name, args=(lot.pk,)),
            session_url=reverse(self.session_inspect_url_name, args=(lot.session_id,)),
            innovations=innovations,
            innovations_heading=capfirst(Innovation._meta.verbose_name_plural),
            innovation_labels=_field_labels(Innovation),
            patent_labels=_field_labels(Patent),
            documents=[
                (document, reverse(self.download_url_name, args=(lot.pk, document.pk)))
                for document in lot.documents.all()
            ],
            documents_heading=capfirst(LotDocument._meta.verbose_name_plural),
            document_labels=_field_labels(LotDocument),
        )
        return context
