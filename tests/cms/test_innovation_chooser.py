"""The chooser editors use to pin and feature innovations: approved ones only, found by any
part of the title."""

import pytest

from innovations.choices import Status
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
    client.force_login(worker)

    response = client.get("/admin/innovation-chooser/")

    assert response.status_code in (302, 403)
    assert "岸桥" not in response.content.decode()
