"""Enterprise pages of the site: register an organisation, its members' page (status, members,
invitations, corrections after a rejection) and joining by invitation.

Thin views: a form parses the input, one service of accounts.services.enterprises makes the
change, a domain error becomes a form error. The members' page is for members only: anyone
else logged in gets a 404, so the URL tells nothing about enterprises.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from accounts.choices import VerificationStatus
from accounts.exceptions import (
    EnterpriseCreditCodeInvalidError,
    EnterpriseCreditCodeTakenError,
    EnterpriseError,
    EnterpriseInvitationEmailTakenError,
    EnterpriseNameMissingError,
    RegistrationEmailTakenError,
    RegistrationError,
    RegistrationMobileTakenError,
)
from accounts.forms import (
    EnterpriseDetailsForm,
    EnterpriseInviteForm,
    EnterpriseJoinForm,
    EnterpriseRegistrationForm,
)
from accounts.models import Enterprise
from accounts.services.enterprises import (
    INVITATION_MAX_AGE,
    enterprise_can_move_to,
    enterprise_invitation_load,
    enterprise_invite_member,
    enterprise_join,
    enterprise_register,
    enterprise_resubmit,
)
from accounts.services.registration_throttle import (
    JOIN,
    RegistrationRateLimitedError,
    registration_slot_take,
)
from accounts.services.throttling import client_ip

LOGIN_BACKEND = "accounts.backends.EmailOrMobileBackend"
INVITE_PREFIX = "invite"
DETAILS_PREFIX = "details"

# Where a refusal from a service is shown; codes not listed go to the form's summary.
ERROR_FIELDS = {
    RegistrationEmailTakenError.code: "email",
    RegistrationMobileTakenError.code: "mobile",
    EnterpriseNameMissingError.code: "name",
    EnterpriseCreditCodeInvalidError.code: "credit_code",
    EnterpriseCreditCodeTakenError.code: "credit_code",
    EnterpriseInvitationEmailTakenError.code: "email",
}


def _error_field(form, error) -> str | None:
    field = ERROR_FIELDS.get(error.code)
    return field if field in form.fields else None


def _details_initial(enterprise: Enterprise) -> dict:
    return {name: getattr(enterprise, name) for name in EnterpriseDetailsForm.base_fields}


@method_decorator(
    [sensitive_post_parameters("password1", "password2"), csrf_protect, never_cache],
    name="dispatch",
)
class EnterpriseRegisterView(FormView):
    """Register an organisation and its first member, then arrive logged in on its page."""

    form_class = EnterpriseRegistrationForm
    template_name = "accounts/enterprise_register.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if user.enterprise_id:
                return redirect("accounts:enterprise_detail")
            # The form creates the account of the person acting for the enterprise; someone
            # already logged in would end up with two.
            return render(request, self.template_name, {"form": None, "logged_in_as": user})
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            registration_slot_take(ip=client_ip(self.request))
            _enterprise, user = enterprise_register(**form.account(), **form.details())
        except (RegistrationError, EnterpriseError) as error:
            form.add_error(_error_field(form, error), str(error))
            response = self.form_invalid(form)
            if error.code == RegistrationRateLimitedError.code:
                response.status_code = 429
            return response
        login(self.request, user, backend=LOGIN_BACKEND)
        messages.success(
            self.request,
            _(
                "Your enterprise is registered. Union staff will check its details and tell you "
                "by email when it is verified."
            ),
        )
        return HttpResponseRedirect(reverse("accounts:enterprise_detail"))


def _own_enterprise(request) -> Enterprise:
    if not request.user.enterprise_id:
        raise Http404
    return Enterprise.objects.select_related("industry").get(pk=request.user.enterprise_id)


def _render_detail(
    request,
    enterprise: Enterprise,
    *,
    invite_form: EnterpriseInviteForm | None = None,
    details_form: EnterpriseDetailsForm | None = None,
    status: int = 200,
):
    can_resubmit = enterprise_can_move_to(enterprise, VerificationStatus.PENDING)
    if can_resubmit and details_form is None:
        details_form = EnterpriseDetailsForm(
            initial=_details_initial(enterprise), enterprise=enterprise, prefix=DETAILS_PREFIX
        )
    context = {
        "enterprise": enterprise,
        "statuses": VerificationStatus,
        "members": enterprise.members.filter(is_active=True).order_by("date_joined", "pk"),
        "invite_form": invite_form or EnterpriseInviteForm(prefix=INVITE_PREFIX),
        "details_form": details_form if can_resubmit else None,
        # Both forms share the page; the summary names the one that was sent.
        "form": invite_form if invite_form is not None else details_form,
    }
    return render(request, "accounts/enterprise_detail.html", context, status=status)


@login_required
def enterprise_detail(request):
    return _render_detail(request, _own_enterprise(request))


@login_required
@require_POST
def enterprise_invite(request):
    enterprise = _own_enterprise(request)
    form = EnterpriseInviteForm(request.POST, prefix=INVITE_PREFIX)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            enterprise_invite_member(inviter=request.user, email=email)
        except EnterpriseError as error:
            form.add_error(_error_field(form, error), str(error))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link in it is valid for %(days)d days.")
                % {"email": email, "days": INVITATION_MAX_AGE.days},
            )
            return redirect("accounts:enterprise_detail")
    return _render_detail(request, enterprise, invite_form=form)


@login_required
@require_POST
def enterprise_resubmit_view(request):
    enterprise = _own_enterprise(request)
    form = EnterpriseDetailsForm(request.POST, enterprise=enterprise, prefix=DETAILS_PREFIX)
    if form.is_valid():
        try:
            enterprise_resubmit(user=request.user, **form.details())
        except EnterpriseError as error:
            form.add_error(_error_field(form, error), str(error))
        else:
            messages.success(
                request,
                _("Your corrections are sent. Union staff will check them and tell you by email."),
            )
            return redirect("accounts:enterprise_detail")
    return _render_detail(request, enterprise, details_form=form)


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def enterprise_join_view(request, token: str):
    """An invited colleague creates their account from the link in the invitation email."""
    template = "accounts/enterprise_join.html"
    if request.user.is_authenticated:
        # Joining creates an account; someone logged in would end up with two.
        return render(request, template, {"logged_in_as": request.user})
    try:
        invitation = enterprise_invitation_load(token=token)
    except EnterpriseError as error:
        return render(request, template, {"invitation_error": str(error)}, status=400)

    form = EnterpriseJoinForm(request.POST or None, invited_email=invitation.email)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration_slot_take(ip=client_ip(request), kind=JOIN)
            user = enterprise_join(
                token=token,
                family_name=data["family_name"],
                given_name=data["given_name"],
                mobile=data["mobile"],
                password=data["password1"],
            )
        except (RegistrationError, EnterpriseError) as error:
            form.add_error(_error_field(form, error), str(error))
            if error.code == RegistrationRateLimitedError.code:
                status = 429
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _("Welcome: you are now a member of “%(name)s”.")
                % {"name": invitation.enterprise.name},
            )
            return redirect("accounts:enterprise_detail")
    return render(request, template, {"invitation": invitation, "form": form}, status=status)
