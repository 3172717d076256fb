"""The 500 page: in the site's style, in both languages, and rendered without the database."""

import pytest
from django.test import Client, override_settings
from django.urls import path


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
