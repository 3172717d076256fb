"""The union staff's innovation screens in the Wagtail admin: the queue, the inspect page and
the review form.

Thin views: the listing and the inspect page only read; the review view parses the form, calls
one service of innovations.services.review and turns a domain error into a form error. Who may
see what is decided by innovations.admin_permissions, which the viewset registers for
Innovation.
"""

from datetime import datetime

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

from accounts.models import Enterprise
from innovations.admin_forms import InnovationReviewForm, review_decisions_for
from innovations.choices import ReviewAction, Status
from innovations.exceptions import InnovationError, ReviewCommentRequiredError
from innovations.models import Attachment, Contributor, Innovation, Patent, ReviewEvent
from innovations.rich_text import clean_rich_text
from innovations.selectors import innovation_for_detail
from innovations.services.review import (
    innovation_approve,
    innovation_grade,
    innovation_reject,
    innovation_return,
)

REVIEW_ICON = "tasks"


def _field_labels(model) -> dict[str, str]:
    return {field.name: capfirst(field.verbose_name) for field in model._meta.fields}


def _employers_in_view(request):
    """Employers of the innovations the user may see, for the employer filter."""
    innovations = policy_registry.get_by_type(Innovation).instances_user_has_permission_for(
        request.user, "view"
    )
    return Enterprise.objects.filter(innovations__in=innovations).distinct()


class InnovationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=capfirst(Innovation._meta.get_field("status").verbose_name),
        # Drafts are never listed (innovations.admin_permissions), so no "draft" choice.
        choices=[(value, label) for value, label in Status.choices if value != Status.DRAFT],
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    employer = django_filters.ModelChoiceFilter(
        label=capfirst(Innovation._meta.get_field("employer").verbose_name),
        queryset=_employers_in_view,
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label=capfirst(Innovation._meta.get_field("submitted_at").verbose_name),
        widget=DateRangePickerWidget,
    )

    class Meta:
        model = Innovation
        fields = ["category", "technical_field", "status", "tier", "employer", "submitted_at"]


class InnovationIndexView(IndexView):
    """All innovations staff may see; the review queue is this listing filtered to
    "submitted", oldest submission first."""

    review_url_name = None

    def get_page_title(self):
        if self.request.GET.get("status") == Status.SUBMITTED:
            return _("Review queue")
        return super().get_page_title()

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        ).select_related("employer")

    def order_queryset(self, queryset):
        # First come, first served: a returned innovation keeps no place in the queue, its
        # resubmission sets submitted_at again. Ties (and never-submitted rows) by id, so
        # pagination is stable on both databases, which sort NULLs differently.
        if self.ordering in ("submitted_at", "-submitted_at"):
            submitted_at = F("submitted_at")
            if self.ordering.startswith("-"):
                return queryset.order_by(submitted_at.desc(nulls_last=True), "-pk")
            return queryset.order_by(submitted_at.asc(nulls_last=True), "pk")
        return super().order_queryset(queryset)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("review") and review_decisions_for(instance):
            buttons.append(
                MenuItem(
                    _("Review"),
                    url=reverse(self.review_url_name, args=(quote(instance.pk),)),
                    icon_name=REVIEW_ICON,
                    priority=5,
                )
            )
        return buttons


class InnovationInspectView(InspectView):
    """Everything a reviewer needs on one page: the content, inventors and shares, patents,
    files and the whole review history."""

    review_url_name = None

    def get_object(self, queryset=None):
        try:
            innovation = innovation_for_detail(int(self.pk))
        except Innovation.DoesNotExist as error:
            raise Http404 from error
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "view", innovation
        ):
            raise Http404
        return innovation

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime):
            # Wagtail's inspect page prints a stored time as it is (UTC): show Shanghai's.
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if value is None or value == "":
            return "—"
        return value

    @cached_property
    def header_buttons(self):
        if not (self.user_has_permission("review") and review_decisions_for(self.object)):
            return []
        return [
            HeaderButton(
                _("Review"),
                url=reverse(self.review_url_name, args=(quote(self.object.pk),)),
                icon_name=REVIEW_ICON,
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        innovation = self.object
        context.update(
            description_label=capfirst(Innovation._meta.get_field("description").verbose_name),
            # Sanitised when it was saved; cleaned again because staff read it inside the admin.
            description_html=mark_safe(clean_rich_text(innovation.description)),  # noqa: S308
            contributors=innovation.contributors.all(),
            contributor_labels=_field_labels(Contributor),
            contributors_heading=capfirst(Contributor._meta.verbose_name_plural),
            patents=innovation.patents.all(),
            patent_labels=_field_labels(Patent),
            patents_heading=capfirst(Patent._meta.verbose_name_plural),
            attachments=[
                (
                    attachment,
                    reverse(
                        "innovations:attachment_download",
                        kwargs={"pk": innovation.pk, "attachment_pk": attachment.pk},
                    ),
                )
                for attachment in innovation.attachments.all()
            ],
            attachment_labels=_field_labels(Attachment),
            attachments_heading=capfirst(Attachment._meta.verbose_name_plural),
            review_events=innovation.review_events.all(),
            review_event_labels=_field_labels(ReviewEvent),
            review_events_heading=capfirst(ReviewEvent._meta.verbose_name_plural),
        )
        return context


class InnovationReviewView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Approve, return or reject a submitted innovation, or change an approved one's grade."""

    model = Innovation
    permission_required = "review"
    form_class = InnovationReviewForm
    template_name = "innovations/admin/review.html"
    page_title = gettext_lazy("Review")
    header_icon = REVIEW_ICON
    index_url_name = None
    inspect_url_name = None
    review_url_name = None

    @cached_property
    def object(self) -> Innovation:
        innovation = get_object_or_404(Innovation, pk=self.kwargs["pk"])
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "review", innovation
        ):
            raise Http404
        return innovation

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
                "label": capfirst(Innovation._meta.verbose_name_plural),
            },
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.object)},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "innovation": self.object}

    def form_valid(self, form):
        try:
            event = self._decide(form.cleaned_data)
        except InnovationError as error:
            field = "comment" if isinstance(error, ReviewCommentRequiredError) else None
            form.add_error(field, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Review recorded for “%(title)s”: %(decision)s.")
            % {"title": self.object.title, "decision": event.get_action_display()},
            buttons=[
                messages.button(
                    reverse(self.index_url_name) + f"?status={Status.SUBMITTED}",
                    _("Back to the review queue"),
                )
            ],
        )
        return redirect(self.inspect_url)

    def form_invalid(self, form):
        messages.validation_error(self.request, _("The decision was not recorded."), form)
        return super().form_invalid(form)

    def _decide(self, data: dict) -> ReviewEvent:
        innovation, actor, decision = self.object, self.request.user, data["decision"]
        if decision == ReviewAction.APPROVE:
            return innovation_approve(
                innovation=innovation,
                actor=actor,
                tier=data["tier"],
                is_excellent=data["is_excellent"],
                is_high_value_patent=data["is_high_value_patent"],
                comment=data["comment"],
            )
        if decision == ReviewAction.RETURN:
            return innovation_return(innovation=innovation, actor=actor, comment=data["comment"])
        if decision == ReviewAction.REJECT:
            return innovation_reject(innovation=innovation, actor=actor, reason=data["comment"])
        return innovation_grade(
            innovation=innovation,
            actor=actor,
            tier=data["tier"],
            is_excellent=data["is_excellent"],
            is_high_value_patent=data["is_high_value_patent"],
            comment=data["comment"],
        )

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
