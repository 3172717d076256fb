"""The API speaks the language the caller asks for (Accept-Language, or the site's language
cookie), Chinese by default.

LocaleMiddleware cannot do it here: with prefix_default_language=False it gives every path
without a language prefix, /api/v1/ included, the default language, whatever the caller asks.
"""

from functools import wraps

from django.utils import translation


def in_request_language(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        # LocaleMiddleware only sets the header when it is missing.
        response.headers.setdefault("Content-Language", language)
        return response

    return wrapper
