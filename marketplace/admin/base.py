"""What the session and lot screens share: Shanghai-time and yuan cells, the form view that
turns a service's refusal into a form error, and the POST-only action view."""

from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from innovations.templatetags.money import yuan
from marketplace.admin_forms import SHANGHAI
from marketplace.exceptions import MarketplaceError

NOT_SET = "—"
MANAGE = "manage"


def shanghai_time(value) -> str:
    if value is None:
        return NOT_SET
    return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M")


class ShanghaiTimeColumn(Column):
    def get_value(self, instance):
        return shanghai_time(super().get_value(instance))


class YuanColumn(Column):
    def get_value(self, instance):
        return yuan(super().get_value(instance))


class AuctionFormView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A form that calls one service; subclasses set `model` (the permission policy's model,
    never None: PermissionCheckedMixin lets everyone through without one)."""

    permission_required = MANAGE
    template_name = "marketplace/admin/form.html"
    error_message = gettext_lazy("Nothing was saved.")
    submit_button_label = gettext_lazy("Save")
    submit_button_active_label = gettext_lazy("Saving…")
    intro = ""

    def refuse(self, form, error, field=None):
        """Show a service's refusal on the form; the service changed nothing."""
        form.add_error(field, str(error))
        return self.form_invalid(form)

    def form_invalid(self, form):
        messages.validation_error(self.request, self.error_message, form)
        return super().form_invalid(form)

    def get_intro(self, form) -> str:
        return self.intro

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            intro=self.get_intro(context["form"]),
            submit_button_label=self.submit_button_label,
            submit_button_active_label=self.submit_button_active_label,
            media=context["form"].media,
        )
        return context


class AuctionActionView(PermissionCheckedMixin, View):
    """A button on an inspect page: POST, call one service, say what happened, go back."""

    permission_required = MANAGE
    http_method_names = ["post"]
    model = None
    inspect_url_name = None

    @cached_property
    def object(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def perform(self) -> str:
        """Call the service and return the success message."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except MarketplaceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect(self.inspect_url_name, self.object.pk)
