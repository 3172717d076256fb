"""Who is calling the API: a personal token (`Authorization: Bearer …`) or the browser session.

A token needs no CSRF check: a browser never sends it by itself. A session does, since any
page the member visits could make their browser POST here; ninja marks its views CSRF-exempt
and leaves the check to the auth class, so SessionWithCsrf does it. Both refuse with a domain
error whose code the API returns (`not_authenticated`, `csrf_failed`).
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from accounts.models import User
from api.exceptions import ApiCsrfFailedError, ApiNotAuthenticatedError
from api.services.tokens import api_token_user


class PersonalToken(HttpBearer):
    """A token from the member's account page. A token that is sent but not valid (unknown,
    revoked) is a 401 even if the browser also has a session: the caller meant the token."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = api_token_user(raw=token.strip())
        if user is None:
            raise ApiNotAuthenticatedError()
        return user


class SessionWithCsrf(APIKeyCookie):
    """The logged-in browser session, with Django's CSRF check (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        # Unlike ninja's cookie auth, the session comes before the CSRF check, so an anonymous
        # caller hears "log in" rather than "CSRF".
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if key is None or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiCsrfFailedError()
        return request.user


bidder_auth = [PersonalToken(), SessionWithCsrf()]
