"""Every refusal of the API is JSON `{"code": …, "message": …}` with a 4xx status, never a 500.

The code is stable for programs; the message is translated into the request's language
(Accept-Language, through LocaleMiddleware; Chinese by default).
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.exceptions import DomainError
from api.exceptions import ApiNotAuthenticatedError, ApiNotFoundError, ApiValidationError
from marketplace.exceptions import (
    BidBelowMinimumError,
    BidDepositUnpaidError,
    BidEnterpriseUnverifiedError,
    BidInvalidAmountError,
    BidLotNotOpenError,
    BidNotAboveOwnMaximumError,
    BidRateLimitedError,
)

# The HTTP status of each refusal code; a domain error not listed is a 400.
STATUS_BY_CODE = {
    BidInvalidAmountError.code: 400,
    BidEnterpriseUnverifiedError.code: 403,
    BidDepositUnpaidError.code: 403,
    # The lot's state, not the request, is in the way: 409 Conflict.
    BidLotNotOpenError.code: 409,
    BidBelowMinimumError.code: 409,
    BidNotAboveOwnMaximumError.code: 409,
    BidRateLimitedError.code: 429,
    "not_authenticated": 401,
    "csrf_failed": 403,
    "not_found": 404,
    "idempotency_key_reused": 409,
    "validation_error": 422,
    "unsupported_media_type": 415,
}


def refusal_status(error: DomainError) -> int:
    return STATUS_BY_CODE.get(error.code, 400)


def refusal_body(error: DomainError) -> dict:
    return {"code": error.code, "message": str(error)}


def refusal_response(error: DomainError) -> JsonResponse:
    return JsonResponse(
        refusal_body(error),
        status=refusal_status(error),
        json_dumps_params={"ensure_ascii": False},
    )


def _field_errors(errors: list[dict]) -> list[dict]:
    """Pydantic's errors, reduced to where and what: no echo of the input."""
    return [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": error.get("msg", "")}
        for error in errors
    ]


def validation_response(errors: list[dict]) -> JsonResponse:
    body = refusal_body(ApiValidationError())
    body["errors"] = _field_errors(errors)
    return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})


def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return refusal_response(error)


def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return validation_response(error.errors)


def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return refusal_response(ApiNotAuthenticatedError())


def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 401:
        return refusal_response(ApiNotAuthenticatedError())
    if error.status_code == 404:
        return refusal_response(ApiNotFoundError())
    if error.status_code == 400:
        # ninja's answer to a body that is not JSON: a malformed request.
        return validation_response([{"loc": ["body"], "msg": str(error)}])
    return JsonResponse(
        {"code": "request_refused", "message": str(error)}, status=error.status_code
    )


def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return refusal_response(ApiNotFoundError())


def register_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    # AuthenticationError is an HttpError: the more specific handler is found first.
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)


def not_found_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under /api/v1/: a JSON 404 rather than a site page or a redirect."""
    return refusal_response(ApiNotFoundError())
