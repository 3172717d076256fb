"""The error pages: in the site's style and the user's language (the 500 page in both, and
rendered without the database)."""

import sys
import types

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext

from config import urls as site_urls


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unexpected_error_gets_the_styled_500_page_in_both_languages():
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    content = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in content and "Server error" in content
    assert "/static/cms/site.css" in content
    assert "a bug" not in content


def refused_view(request):
    raise PermissionDenied


# The site's URLs plus one refusing view, for the 403 test (this module's urlpatterns serve the
# 500 test).
refused_urls = types.ModuleType(__name__ + ".refused_urls")
refused_urls.urlpatterns = [path("refused/", refused_view), *site_urls.urlpatterns]
sys.modules[refused_urls.__name__] = refused_urls


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_styled_page_in_the_users_language():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    content = response.content.decode()
    assert response.status_code == 403
    assert gettext_in("zh-hans", "The form has expired") in content
    assert "/static/cms/site.css" in content
    # Django's own page styles itself inline, which the content security policy blocks.
    assert "<style" not in content and "style=" not in content

    english = client.post("/en/accounts/login/", {"username": "a", "password": "b"})
    assert gettext_in("en", "The form has expired") in english.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__ + ".refused_urls")
def test_a_refused_page_is_styled_and_translated():
    response = Client().get("/refused/")

    assert response.status_code == 403
    assert gettext_in("zh-hans", "Not allowed") in response.content.decode()
    assert "/static/cms/site.css" in response.content.decode()


def gettext_in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)
