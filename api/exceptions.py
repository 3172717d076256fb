"""Refusals of the JSON API that are not a marketplace rule: who is asking, and how.

Each has a stable `code` (the API's JSON `code`) and a translatable message, like every domain
error; api.error_handlers gives each code its HTTP status.
"""

from django.utils.translation import gettext_lazy as _

from accounts.exceptions import DomainError


class ApiError(DomainError):
    code = "api_error"
    default_message = _("This request cannot be carried out.")


class ApiNotAuthenticatedError(ApiError):
    code = "not_authenticated"
    default_message = _(
        "Log in, or send a personal API token in the header “Authorization: Bearer …”."
    )


class ApiCsrfFailedError(ApiError):
    code = "csrf_failed"
    default_message = _(
        "The CSRF check failed. A request authenticated by the browser's session must send the "
        "CSRF token in the X-CSRFToken header; programs should use a personal API token instead."
    )


class ApiNotFoundError(ApiError):
    code = "not_found"
    default_message = _("There is nothing at this address.")


class ApiValidationError(ApiError):
    code = "validation_error"
    default_message = _(
        "The request could not be understood: check the fields listed under “errors”."
    )


class ApiUnsupportedMediaTypeError(ApiError):
    code = "unsupported_media_type"
    default_message = _(
        "Send the request body as JSON, with the header “Content-Type: application/json”."
    )


class IdempotencyKeyReusedError(ApiError):
    code = "idempotency_key_reused"
    default_message = _(
        "This Idempotency-Key was already used for a different request. Use a new key for "
        "each new request, and the same key only to retry the same request."
    )


class ApiTokenError(ApiError):
    code = "token_error"


class ApiTokenNotAllowedError(ApiTokenError):
    code = "token_not_allowed"
    default_message = _(
        "Only members of an enterprise can create API tokens: the API is for bidding programs."
    )


class ApiTokenNameInvalidError(ApiTokenError):
    code = "token_name_invalid"
    default_message = _(
        "Give the token a name of at most 100 characters, such as the program that will use it."
    )


class ApiTokenNotFoundError(ApiTokenError):
    code = "token_not_found"
    default_message = _("There is no such token among yours.")
