from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except outside the language-prefixed site.

    With prefix_default_language=False Django treats every unprefixed path as Chinese, which
    is right for site pages (the URL names the language) but would pin the admin login and
    the API to Chinese for everyone. Those paths follow the visitor's language cookie or
    browser instead, Chinese when neither says anything.
    """

    def process_request(self, request):
        if request.path_info.startswith(settings.UNPREFIXED_PATHS):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)
