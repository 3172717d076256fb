"""The union staff's enterprise screens in the Wagtail admin: the verification queue, the inspect
page and the verify / reject form.

Thin views: the listing and the inspect page only read; the verification view parses the form,
calls one service of accounts.services.enterprises and turns a domain error into a form error.
Who may see what is decided by accounts.admin_permissions, which the viewset registers for
Enterprise.
"""

from datetime import datetime

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import registry as log_registry

from accounts.admin_forms import (
    DECISION_REJECT,
    EnterpriseVerificationForm,
    verification_decisions_for,
)
from accounts.choices import District, VerificationStatus
from accounts.exceptions import EnterpriseError, EnterpriseRejectionReasonRequiredError
from accounts.models import Enterprise, User
from accounts.services.enterprises import enterprise_reject, enterprise_verify
from innovations.models import Industry

VERIFY_ICON = "tasks"
QUEUE_STATUS = VerificationStatus.PENDING


def _field_label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def verification_queue_url(index_url: str) -> str:
    return f"{index_url}?status={quote(QUEUE_STATUS)}"


class EnterpriseFilterSet(WagtailFilterSet):
    # "status", not the column name, so the queue's URL reads ?status=pending.
    status = django_filters.ChoiceFilter(
        field_name="verification_status",
        label=_field_label(Enterprise, "verification_status"),
        choices=VerificationStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    district = django_filters.ChoiceFilter(
        label=_field_label(Enterprise, "district"), choices=District.choices
    )
    industry = django_filters.ModelChoiceFilter(
        label=_field_label(Enterprise, "industry"), queryset=Industry.objects.all()
    )

    class Meta:
        model = Enterprise
        fields = ["status", "district", "industry"]


class EnterpriseIndexView(IndexView):
    """All enterprises; the verification queue is this listing filtered to "pending", oldest
    registration first."""

    verify_url_name = None

    def get_page_title(self):
        if self.request.GET.get("status") == QUEUE_STATUS:
            return _("Verification queue")
        return super().get_page_title()

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        ).select_related("industry")

    def order_queryset(self, queryset):
        # First come, first served; ties by id so pagination is stable on both databases.
        if self.ordering in ("created_at", "-created_at"):
            created_at = F("created_at")
            if self.ordering.startswith("-"):
                return queryset.order_by(created_at.desc(), "-pk")
            return queryset.order_by(created_at.asc(), "pk")
        return super().order_queryset(queryset)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("verify") and verification_decisions_for(instance):
            buttons.append(
                MenuItem(
                    _("Verify or reject"),
                    url=reverse(self.verify_url_name, args=(quote(instance.pk),)),
                    icon_name=VERIFY_ICON,
                    priority=5,
                )
            )
        return buttons


class EnterpriseInspectView(InspectView):
    """What a verifier needs on one page: the details the enterprise gave, its members, and
    every submission and decision so far."""

    verify_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            Enterprise.objects.select_related("industry", "registered_by", "verified_by"),
            pk=self.pk,
        )

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime):
            # Wagtail's inspect page prints a stored time as it is (UTC): show Shanghai's.
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if value is None or value == "":
            return "—"
        return value

    @cached_property
    def header_buttons(self):
        if not (self.user_has_permission("verify") and verification_decisions_for(self.object)):
            return []
        return [
            HeaderButton(
                _("Verify or reject"),
                url=reverse(self.verify_url_name, args=(quote(self.object.pk),)),
                icon_name=VERIFY_ICON,
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        context.update(
            members=enterprise.members.order_by("date_joined", "pk"),
            member_labels={
                name: _field_label(User, name)
                for name in ("email", "mobile", "date_joined", "is_active")
            },
            members_heading=_("Members"),
            log_entries=log_registry.get_logs_for_instance(enterprise)
            .select_related("user")
            .order_by("timestamp", "pk"),
            reject_action=DECISION_REJECT,
        )
        return context


class EnterpriseVerificationView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Verify or reject a pending enterprise."""

    model = Enterprise
    permission_required = "verify"
    form_class = EnterpriseVerificationForm
    template_name = "accounts/admin/verify.html"
    page_title = gettext_lazy("Verify or reject")
    header_icon = VERIFY_ICON
    index_url_name = None
    inspect_url_name = None
    verify_url_name = None

    @cached_property
    def object(self) -> Enterprise:
        return get_object_or_404(Enterprise, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Enterprise._meta.verbose_name_plural),
            },
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.object)},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enterprise": self.object}

    def form_valid(self, form):
        data, staff_user = form.cleaned_data, self.request.user
        try:
            if data["decision"] == DECISION_REJECT:
                enterprise = enterprise_reject(
                    staff_user=staff_user, enterprise=self.object, reason=data["reason"]
                )
            else:
                enterprise = enterprise_verify(staff_user=staff_user, enterprise=self.object)
        except EnterpriseError as error:
            field = "reason" if isinstance(error, EnterpriseRejectionReasonRequiredError) else None
            form.add_error(field, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(name)s”: %(status)s.")
            % {"name": enterprise.name, "status": enterprise.get_verification_status_display()},
            buttons=[
                messages.button(
                    verification_queue_url(reverse(self.index_url_name)),
                    _("Back to the verification queue"),
                )
            ],
        )
        return redirect(self.inspect_url)

    def form_invalid(self, form):
        messages.validation_error(self.request, _("The decision was not recorded."), form)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            inspect_url=self.inspect_url,
            action_url=self.request.path,
            submit_button_label=_("Record the decision"),
            submit_button_active_label=_("Recording…"),
        )
        return context
