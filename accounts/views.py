from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import RedirectURLMixin
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from accounts.choices import VerificationStatus
from accounts.exceptions import (
    RegistrationEmailTakenError,
    RegistrationError,
    RegistrationMobileTakenError,
)
from accounts.forms import EMPLOYER_DATALIST_ID, WorkerRegistrationForm
from accounts.models import Enterprise
from accounts.services.registration import worker_register
from accounts.services.registration_throttle import (
    RegistrationRateLimitedError,
    registration_slot_take,
)
from accounts.services.throttling import client_ip

# Where a refusal from worker_register is shown; codes not listed go to the form's summary.
REGISTRATION_ERROR_FIELDS = {
    RegistrationEmailTakenError.code: "email",
    RegistrationMobileTakenError.code: "mobile",
}

# Enough to cover Shanghai's verified employers without making the page heavy.
EMPLOYER_SUGGESTIONS_LIMIT = 500


@method_decorator(
    [sensitive_post_parameters("password1", "password2"), csrf_protect, never_cache],
    name="dispatch",
)
class WorkerRegisterView(RedirectURLMixin, FormView):
    """Sign up as a worker and arrive logged in at LOGIN_REDIRECT_URL or a safe ?next= page."""

    form_class = WorkerRegistrationForm
    template_name = "accounts/register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs):
        # Only verified enterprises are suggested: a name typed by an anonymous registrant
        # should not be shown to every visitor until staff have checked it.
        employer_names = (
            Enterprise.objects.filter(verification_status=VerificationStatus.VERIFIED)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()[:EMPLOYER_SUGGESTIONS_LIMIT]
        )
        return super().get_context_data(
            employer_names=employer_names,
            employer_datalist_id=EMPLOYER_DATALIST_ID,
            redirect_field_name=self.redirect_field_name,
            redirect_field_value=self.get_redirect_url(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            registration_slot_take(ip=client_ip(self.request))
            user = worker_register(
                family_name=data["family_name"],
                given_name=data["given_name"],
                email=data["email"],
                mobile=data["mobile"],
                password=data["password1"],
                employer_name=data["employer_name"],
                union_member_no=data["union_member_no"],
            )
        except RegistrationError as error:
            form.add_error(REGISTRATION_ERROR_FIELDS.get(error.code), str(error))
            response = self.form_invalid(form)
            if error.code == RegistrationRateLimitedError.code:
                response.status_code = 429
            return response
        login(self.request, user, backend="accounts.backends.EmailOrMobileBackend")
        return HttpResponseRedirect(self.get_success_url())
