"""What the lot, settlement and refund screens share beyond marketplace.admin.base: a form
whose valid data goes to one service, the screens about one object named in the URL, inspect
pages that show yuan and Shanghai time, file downloads that never link the storage URL, radio
filters, and viewsets that register no generic add, edit or delete view."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from innovations.templatetags.money import yuan
from marketplace.admin.base import MANAGE, NOT_SET, AuctionFormView, shanghai_time
from marketplace.exceptions import MarketplaceError


def field_label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def radio_choice_filter(label: str, choices) -> django_filters.ChoiceFilter:
    """A filter by one of `choices`, shown as radio buttons with "All" first."""
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label=gettext_lazy("All"), widget=forms.RadioSelect
    )


def radio_filterset(model, **choices_by_field) -> type[WagtailFilterSet]:
    """A filter set of `model` with one radio filter per field, given its choices."""
    filters = {
        name: radio_choice_filter(field_label(model, name), choices)
        for name, choices in choices_by_field.items()
    }
    meta = type("Meta", (), {"model": model, "fields": list(choices_by_field)})
    return type(f"{model.__name__}FilterSet", (WagtailFilterSet,), {**filters, "Meta": meta})


class ServiceFormView(AuctionFormView):
    """A form whose valid data goes to one service: the service's refusal becomes a form
    error (it changed nothing), its result a success message and a redirect.

    Subclasses implement `perform(form)` and `success_message(result)`; the redirect goes to
    `success_url(result)`, by default the object's inspect page.
    """

    # The form field an upload belongs to: services check uploads by their content and raise
    # ValidationError, which is shown there.
    upload_field: str | None = None

    def perform(self, form):
        """Call the service with the form's cleaned data; return its result."""
        raise NotImplementedError

    def success_message(self, result) -> str:
        raise NotImplementedError

    def success_url(self, result) -> str:
        return self.inspect_url

    def refusal_field(self, form, error: MarketplaceError) -> str | None:
        """The field a refusal belongs to; None shows it above the form."""
        return None

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as error:
            if self.upload_field is None:
                raise
            form.add_error(self.upload_field, error)
            return self.form_invalid(form)
        except MarketplaceError as error:
            return self.refuse(form, error, self.refusal_field(form, error))
        messages.success(self.request, self.success_message(result))
        return redirect(self.success_url(result))


class SubjectMixin:
    """For a screen about the one object whose pk is in the URL (its "subject")."""

    index_url_name = None
    inspect_url_name = None
    subject_queryset: QuerySet

    @cached_property
    def subject(self):
        return get_object_or_404(self.subject_queryset, pk=self.kwargs["pk"])

    @cached_property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=(self.subject.pk,))

    def get_page_subtitle(self):
        return str(self.subject)


class FormattedInspectView(InspectView):
    """An inspect page for staff who may view: money in yuan, times in Shanghai, "—" for an
    empty value; `can_manage` says whether to offer the actions."""

    any_permission_required = ["view"]
    money_fields: frozenset[str] = frozenset()
    time_fields: frozenset[str] = frozenset()

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name)
        if field_name in self.money_fields:
            return yuan(value)
        if field_name in self.time_fields:
            return shanghai_time(value)
        value = super().get_field_display_value(field_name, field)
        return NOT_SET if value in (None, "") else value

    @cached_property
    def can_manage(self) -> bool:
        return self.user_has_permission(MANAGE)


class StoredFileDownloadView(PermissionCheckedMixin, View):
    """Staff who may view the `model` read a stored file here; the storage URL is never
    linked. Subclasses implement `stored_file(**url_kwargs)`."""

    permission_required = "view"
    http_method_names = ["get"]

    def stored_file(self, **url_kwargs) -> tuple[FieldFile, dict]:
        """The file, and FileResponse's options (filename, content_type) for it."""
        raise NotImplementedError

    def get(self, request, **kwargs):
        stored, options = self.stored_file(**kwargs)
        if not stored:
            raise Http404
        return FileResponse(stored.open("rb"), as_attachment=True, **options)
