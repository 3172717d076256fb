"""The member's API tokens page: list, create (the token is shown once, on the response to the
POST, and nowhere else), revoke. Thin: api.services.tokens makes every change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.exceptions import ApiTokenError, ApiTokenNotAllowedError
from api.forms import ApiTokenCreateForm
from api.models import ApiToken
from api.services.tokens import api_token_create, api_token_revoke


def _render(request: HttpRequest, *, form=None, new_token=None, status=200) -> HttpResponse:
    user = request.user
    allowed = user.enterprise_id is not None
    return render(
        request,
        "api/token_list.html",
        {
            "allowed": allowed,
            "not_allowed_message": None if allowed else str(ApiTokenNotAllowedError()),
            "tokens": ApiToken.objects.filter(user=user) if allowed else [],
            "form": form or ApiTokenCreateForm(),
            "new_token": new_token,
        },
        status=status,
    )


@login_required
@never_cache
def api_token_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request)
    form = ApiTokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ApiTokenError as error:
            form.add_error(None, str(error))
        else:
            # Rendered, not redirected: the plain token must not be kept anywhere, not even
            # in the session for the next page.
            return _render(request, new_token={"token": token, "raw": raw}, status=201)
    return _render(request, form=form, status=400)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = api_token_revoke(user=request.user, token_id=pk)
    except ApiTokenError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The token “%(name)s” is revoked; programs using it can no longer bid.")
            % {"name": token.name},
        )
    return redirect("accounts:api_tokens")
