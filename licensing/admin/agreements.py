"""Agreements in the Wagtail admin: the listing, a negotiated deal, status changes, income,
and each innovation's sharing plan. Every change calls a licensing service."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton

from accounts.exceptions import DomainError
from innovations.models import Innovation
from innovations.templatetags.money import yuan
from licensing.admin_forms import (
    AgreementTermsForm,
    IncomeForm,
    IncomeReversalForm,
    NegotiatedDealForm,
    SharingPlanForm,
)
from licensing.choices import AgreementStatus
from licensing.models import Agreement, IncomeRecord
from licensing.models.agreement import ALLOWED_TRANSITIONS, INCOME_STATUSES
from licensing.services.agreements import (
    REASON_REQUIRED_FOR,
    agreement_create_negotiated,
    agreement_transition,
    agreement_update,
)
from licensing.services.income import income_record
from licensing.services.income_reversals import income_reverse
from licensing.services.profit_sharing import (
    sharing_plan_for,
    sharing_plan_set,
    sharing_plan_warnings,
)
from marketplace.admin.base import MANAGE, NOT_SET, AuctionFormView, YuanColumn

AGREEMENT_ICON = "doc-full"
# What the transition buttons say, by target status.
TRANSITION_LABELS = {
    AgreementStatus.SIGNED: gettext_lazy(
        "Mark as signed (confirms the deal, issues the certificate)"
    ),
    AgreementStatus.ACTIVE: gettext_lazy("Mark as in force"),
    AgreementStatus.EXPIRED: gettext_lazy("Mark as expired"),
    AgreementStatus.TERMINATED: gettext_lazy("Terminate"),
}


class AgreementIndexView(IndexView):
    add_url_name = None

    def get_base_queryset(self):
        return Agreement.objects.select_related("licensee")

    @cached_property
    def columns(self):
        return [
            # str: a draft made from a sale has no contract number yet, and its link would
            # read "(blank)"; it reads "Agreement 12" instead.
            self._get_title_column("contract_number", accessor=str),
            self._get_custom_column("licensee"),
            self._get_custom_column("origin"),
            self._get_custom_column("status"),
            YuanColumn(
                "deal_amount",
                label=capfirst(Agreement._meta.get_field("deal_amount").verbose_name),
                sort_key="deal_amount",
            ),
            Column(
                "confirmed_on",
                label=capfirst(Agreement._meta.get_field("confirmed_on").verbose_name),
                sort_key="confirmed_on",
            ),
        ]

    def get_add_url(self):
        if self.add_url_name and self.user_has_permission(MANAGE):
            return reverse(self.add_url_name)


class AgreementInspectView(InspectView):
    any_permission_required = ["view"]
    transition_url_name = None
    income_url_name = None
    plan_url_name = None
    terms_url_name = None
    reverse_income_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            Agreement.objects.select_related("licensee", "sale__lot", "certificate"), pk=self.pk
        )

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name)
        if field_name in ("deal_amount", "upfront_amount"):
            return yuan(value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field_name in ("innovations", "patents"):
            return "；".join(str(item) for item in value.all()) or NOT_SET
        value = super().get_field_display_value(field_name, field)
        return NOT_SET if value in (None, "") else value

    @cached_property
    def header_buttons(self):
        if not self.user_has_permission(MANAGE):
            return []
        buttons = []
        if self.object.is_editable:
            buttons.append(
                HeaderButton(
                    _("Edit the terms"),
                    url=reverse(self.terms_url_name, args=(self.object.pk,)),
                    icon_name="edit",
                )
            )
        if self.object.status in INCOME_STATUSES:
            buttons.append(
                HeaderButton(
                    _("Record income"),
                    url=reverse(self.income_url_name, args=(self.object.pk,)),
                    icon_name="form",
                )
            )
        if hasattr(self.object, "certificate"):
            buttons.append(
                HeaderButton(
                    _("Download the certificate"),
                    url=reverse("licensing:certificate", args=(self.object.pk,)),
                    icon_name="download",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        can_manage = self.user_has_permission(MANAGE)
        innovations = list(agreement.innovations.select_related("employer"))
        context.update(
            transitions=[
                {
                    "label": TRANSITION_LABELS[target],
                    "url": reverse(self.transition_url_name, args=(agreement.pk, target)),
                    "danger": target == AgreementStatus.TERMINATED,
                    "reason_required": target in REASON_REQUIRED_FOR,
                }
                for target in sorted(ALLOWED_TRANSITIONS[agreement.status])
            ]
            if can_manage
            else [],
            plans=[
                {
                    "innovation": innovation,
                    "plan": (plan := sharing_plan_for(innovation)),
                    "warnings": sharing_plan_warnings(plan=plan, innovation=innovation),
                    "url": reverse(self.plan_url_name, args=(agreement.pk, innovation.pk))
                    if can_manage
                    else "",
                }
                for innovation in innovations
            ],
            income_records=agreement.income_records.select_related(
                "sharing_event", "reversal__reversed_by"
            ),
            events=agreement.events.select_related("actor"),
            statement_url_name="licensing:statement",
            reverse_income_url_name=self.reverse_income_url_name if can_manage else None,
        )
        return context


class AgreementObjectMixin:
    index_url_name = None
    inspect_url_name = None
    model = Agreement

    @cached_property
    def agreement(self) -> Agreement:
        return get_object_or_404(Agreement, pk=self.kwargs["pk"])

    @cached_property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=(self.agreement.pk,))

    def get_page_subtitle(self):
        return str(self.agreement)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Agreement._meta.verbose_name_plural),
            },
            {"url": self.inspect_url, "label": str(self.agreement)},
            {"url": "", "label": self.get_page_title()},
        ]


class NegotiatedDealCreateView(AuctionFormView):
    """Calls agreement_create_negotiated: a deal (协议成交) agreed without an auction."""

    model = Agreement
    form_class = NegotiatedDealForm
    page_title = gettext_lazy("Record a negotiated deal")
    header_icon = AGREEMENT_ICON
    error_message = gettext_lazy("The deal was not recorded.")
    submit_button_label = gettext_lazy("Record the deal")
    intro = gettext_lazy(
        "The deal is saved as a draft agreement. Mark it as signed once the contract is signed: "
        "that confirms the deal, counts it toward the goal and issues its certificate."
    )
    inspect_url_name = None

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        terms = {
            name: data.pop(name)
            for name in list(data)
            if name not in ("licensee", "innovations", "right_type", "deal_amount")
        }
        terms = {name: value for name, value in terms.items() if value not in (None, "")}
        try:
            agreement = agreement_create_negotiated(
                licensee=data["licensee"],
                innovations=list(data["innovations"]),
                right_type=data["right_type"],
                deal_amount=data["deal_amount"],
                created_by=self.request.user,
                **terms,
            )
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Negotiated deal recorded as a draft agreement."))
        return redirect(self.inspect_url_name, agreement.pk)


class AgreementTransitionView(AgreementObjectMixin, PermissionCheckedMixin, View):
    permission_required = MANAGE
    http_method_names = ["post"]

    def post(self, request, pk: int, target: str):
        try:
            agreement = agreement_transition(
                agreement=self.agreement,
                target=target,
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The agreement is now “%(status)s”.")
                % {"status": agreement.get_status_display()},
            )
        return redirect(self.inspect_url)


class AgreementTermsEditView(AgreementObjectMixin, AuctionFormView):
    """Calls agreement_update with the terms staff changed: a draft made from an auction sale
    gets its contract number, CNIPA record and the like here before it can be signed."""

    form_class = AgreementTermsForm
    template_name = "licensing/admin/agreement_terms.html"
    page_title = gettext_lazy("Edit the terms")
    header_icon = "edit"
    error_message = gettext_lazy("The terms were not saved.")
    submit_button_label = gettext_lazy("Save the terms")
    intro = gettext_lazy(
        "Only a draft can be changed. Once it is signed the agreement is a record and its "
        "certificate is drawn from these terms."
    )

    def get_initial(self):
        return {name: getattr(self.agreement, name) for name in self.form_class.base_fields}

    def form_valid(self, form):
        # Only what staff changed, so two people editing different terms do not undo each other.
        terms = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            agreement_update(agreement=self.agreement, actor=self.request.user, **terms)
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The agreement's terms are saved."))
        return redirect(self.inspect_url)


class IncomeCreateView(AgreementObjectMixin, AuctionFormView):
    """Calls income_record: the money is posted and shared out at once."""

    form_class = IncomeForm
    page_title = gettext_lazy("Record income")
    header_icon = "form"
    error_message = gettext_lazy("The income was not recorded.")
    submit_button_label = gettext_lazy("Record and share")
    intro = gettext_lazy(
        "Record money only once it has arrived in the platform's account. It is shared at once "
        "by each innovation's profit-sharing plan."
    )

    def form_valid(self, form):
        try:
            record = income_record(
                agreement=self.agreement, recorded_by=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(
            self.request,
            _("%(amount)s recorded and shared.") % {"amount": yuan(record.amount)},
        )
        return redirect(self.inspect_url)


class IncomeReverseView(AgreementObjectMixin, AuctionFormView):
    """Calls income_reverse: reversing entries with a reason, never an edit or a delete."""

    form_class = IncomeReversalForm
    page_title = gettext_lazy("Reverse income")
    header_icon = "rotate"
    error_message = gettext_lazy("The income was not reversed.")
    submit_button_label = gettext_lazy("Reverse this income")

    @cached_property
    def income(self) -> IncomeRecord:
        return get_object_or_404(self.agreement.income_records, pk=self.kwargs["income_pk"])

    def get_page_subtitle(self):
        return f"{self.income} · {yuan(self.income.amount)}"

    def get_intro(self, form) -> str:
        return _(
            "For income recorded by mistake. The record stays; the platform posts the opposite "
            "of its receipt and of its sharing, and every party's earnings show the negative "
            "lines. Refused if part of someone's share has already been paid out and they are "
            "no longer owed that much."
        )

    def form_valid(self, form):
        try:
            income_reverse(
                income=self.income, reason=form.cleaned_data["reason"], actor=self.request.user
            )
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(
            self.request, _("%(amount)s reversed.") % {"amount": yuan(self.income.amount)}
        )
        return redirect(self.inspect_url)


class SharingPlanEditView(AgreementObjectMixin, AuctionFormView):
    """Calls sharing_plan_set; its warnings (legal floors) are shown, not enforced."""

    form_class = SharingPlanForm
    page_title = gettext_lazy("Profit-sharing plan")
    header_icon = "group"
    error_message = gettext_lazy("The plan was not saved.")
    submit_button_label = gettext_lazy("Save the plan")

    @cached_property
    def innovation(self) -> Innovation:
        return get_object_or_404(self.agreement.innovations, pk=self.kwargs["innovation_pk"])

    def get_page_subtitle(self):
        return str(self.innovation)

    def get_intro(self, form) -> str:
        plan = sharing_plan_for(self.innovation)
        warnings = sharing_plan_warnings(plan=plan, innovation=self.innovation)
        return " ".join(
            [
                _(
                    "The parts must add up to 100%. The inventors' part is split by their "
                    "contribution shares. Money already shared keeps its split."
                ),
                *warnings,
            ]
        )

    def get_initial(self):
        plan = sharing_plan_for(self.innovation)
        return {
            name: getattr(plan, name)
            for name in (
                "inventors_percent",
                "employer_percent",
                "union_fund_percent",
                "platform_percent",
            )
        }

    def form_valid(self, form):
        try:
            _plan, warnings = sharing_plan_set(
                innovation=self.innovation, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Profit-sharing plan saved."))
        for warning in warnings:
            messages.warning(self.request, warning)
        return redirect(self.inspect_url)
