from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.services.login_throttle import (
    LoginThrottledError,
    login_failure_record,
    login_success_record,
    login_throttle_check,
)
from accounts.services.throttling import client_ip


class EmailOrMobileBackend(ModelBackend):
    """Log in with an email address, an 11-digit mobile number or the username.

    Repeated failures lock the identifier or the client address (services.login_throttle).
    The lockout lives here rather than in a login form or the user_login_failed signal:
    - Both login pages reach it through django.contrib.auth.authenticate(): the site's
      EmailOrMobileAuthenticationForm and Wagtail's own admin LoginForm, which we do not
      choose (swapping it takes a setting), and any future caller.
    - Only here can a locked attempt be refused *before* the password is hashed; the signal
      fires after the check, and user_logged_in does not carry the identifier typed.
    - The refusal is a ValidationError: authenticate() lets it through (it only catches
      PermissionDenied, which would turn it into the generic "do not match" error), and
      AuthenticationForm.clean() shows it as the form's error, in the request's language.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        ip = client_ip(request)
        try:
            login_throttle_check(identifier=identifier, ip=ip)
        except LoginThrottledError as error:
            raise ValidationError(error.message, code=error.code, params=error.params) from None
        user = self._user_for(identifier, password)
        if user is None:
            login_failure_record(identifier=identifier, ip=ip)
        else:
            login_success_record(identifier=identifier)
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        # ModelBackend's own async version looks up the username only: it would skip both the
        # email/mobile matching and the lockout.
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )

    def _user_for(self, identifier: str, password: str):
        user_model = get_user_model()
        matches = list(
            user_model._default_manager.filter(
                Q(username=identifier) | Q(email__iexact=identifier) | Q(mobile=identifier)
            )[:2]
        )
        if len(matches) != 1:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            user_model().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
