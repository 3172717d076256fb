"""The chooser editors use to pin and feature innovations: approved ones only, found by any
part of the title."""

import pytest

from cms.models import HomePage, ShowcaseCategoryPage, ShowcaseIndexPage
from innovations.choices import Status
from tests.cms.page_tree import publish_under
from tests.factories.innovations import InnovationFactory

pytestmark = pytest.mark.django_db


def test_the_chooser_offers_approved_innovations_and_finds_a_word_inside_a_title(
    client, union_staff
):
    InnovationFactory(title="岸桥吊具防摇摆液压缓冲装置", status=Status.APPROVED)
    InnovationFactory(title="配电柜母排温升巡检仪", status=Status.APPROVED)
    InnovationFactory(title="待审核的液压装置", status=Status.SUBMITTED)
    client.force_login(union_staff)

    # The modal answers JSON with the HTML inside; the results view answers HTML.
    everything = client.get("/admin/innovation-chooser/").json()["html"]
    found = client.get("/admin/innovation-chooser/results/", {"q": "液压"}).content.decode()

    assert "岸桥吊具防摇摆液压缓冲装置" in everything and "配电柜母排温升巡检仪" in everything
    assert "待审核的液压装置" not in everything
    assert "岸桥吊具防摇摆液压缓冲装置" in found
    assert "配电柜母排温升巡检仪" not in found and "待审核的液压装置" not in found


def test_a_worker_cannot_open_the_chooser(client, worker):
    InnovationFactory(title="岸桥吊具防摇摆液压缓冲装置", status=Status.APPROVED)
    client.force_login(worker)

    response = client.get("/admin/innovation-chooser/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "岸桥" not in response.content.decode()


def test_editors_pin_and_feature_with_the_chooser_in_the_page_editor(client, django_user_model):
    home = HomePage.objects.get(locale__language_code="zh-hans")
    index = publish_under(home, ShowcaseIndexPage(title="五小创新成果展示", slug="showcase"))
    category = publish_under(
        index, ShowcaseCategoryPage(title="小发明", slug="invention", category="invention")
    )
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)

    for page in (home, category):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        assert "/admin/innovation-chooser/" in response.content.decode()
