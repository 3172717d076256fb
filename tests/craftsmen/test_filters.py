"""The index's filters, on their own and through the page: each narrows the published
craftsmen; a value that is not a choice is a form error, never a 500."""

import pytest
from django.utils import translation

from craftsmen.choices import Level, Trade
from craftsmen.filters import CraftsmanFilter
from innovations.models import Industry
from tests.factories.accounts import EnterpriseFactory
from tests.factories.craftsmen import CraftsmanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    automotive = Industry.objects.get(slug="automotive")
    transport = Industry.objects.get(slug="transport")
    return {
        "wang": CraftsmanFactory(
            slug="wang",
            level=Level.SHANGHAI_CRAFTSMAN,
            is_model_worker=True,
            trade=Trade.CNC_OPERATOR,
            employer=EnterpriseFactory(district="fengxian", industry=automotive),
        ),
        "li": CraftsmanFactory(
            slug="li",
            level=Level.CRAFTSMAN_TALENT,
            is_skill_master=True,
            trade=Trade.ELECTRICIAN,
            employer=EnterpriseFactory(district="xuhui", industry=transport),
        ),
        "zhang": CraftsmanFactory(
            slug="zhang",
            level=Level.SKILLED_WORKER,
            trade=Trade.WELDER,
            employer=EnterpriseFactory(district="fengxian", industry=None),
        ),
        "hidden": CraftsmanFactory(
            slug="hidden", level=Level.SHANGHAI_CRAFTSMAN, is_model_worker=True, is_published=False
        ),
    }


def slugs(data) -> set[str]:
    craftsman_filter = CraftsmanFilter(data)
    assert craftsman_filter.is_valid(), craftsman_filter.errors
    return {craftsman.slug for craftsman in craftsman_filter.qs}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, {"wang", "li", "zhang"}),
        ({"title": "shanghai_craftsman"}, {"wang"}),
        ({"title": "craftsman_talent"}, {"li"}),
        ({"title": "skilled_worker"}, {"zhang"}),
        ({"title": "model_worker"}, {"wang"}),
        ({"title": "skill_master"}, {"li"}),
        ({"title": "chief_technician"}, set()),
        ({"trade": "welder"}, {"zhang"}),
        ({"district": "fengxian"}, {"wang", "zhang"}),
        ({"industry": "transport"}, {"li"}),
        ({"district": "fengxian", "industry": "automotive"}, {"wang"}),
    ],
)
def test_each_filter_narrows_the_published_craftsmen(people, data, expected):
    assert slugs(data) == expected


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "emperor"}, "title"),
        ({"trade": "astronaut"}, "trade"),
        ({"district": "manhattan"}, "district"),
        ({"industry": "no-such-industry"}, "industry"),
        ({"industry": "x" * 5000}, "industry"),
    ],
)
def test_a_value_that_is_not_a_choice_is_a_form_error(people, data, field):
    craftsman_filter = CraftsmanFilter(data)

    assert not craftsman_filter.is_valid()
    assert list(craftsman_filter.errors) == [field]


@pytest.mark.parametrize(
    "query",
    [
        {"title": "emperor"},
        {"trade": "astronaut"},
        {"district": "manhattan"},
        {"industry": "no-such-industry"},
        {"industry": "'; drop table craftsmen_craftsman; --"},
        {"page": "abc"},
        {"page": "9999"},
    ],
)
def test_bad_values_on_the_page_show_an_error_not_a_500(client, index_pages, people, query):
    with translation.override("en"):
        response = client.get("/en/craftsmen/", query)

    assert response.status_code == 200
    content = response.content.decode()
    if "page" in query:
        assert "3 craftsmen found" in content
    else:
        assert "Please correct the following" in content
        assert "0 craftsmen found" in content
        assert 'href="/en/craftsmen/wang/"' not in content


def test_the_page_lists_only_what_the_filters_allow(client, index_pages, people):
    content = client.get(
        "/craftsmen/", {"district": "fengxian", "trade": "welder"}
    ).content.decode()

    assert 'href="/craftsmen/zhang/"' in content
    assert 'href="/craftsmen/wang/"' not in content
    assert 'href="/craftsmen/hidden/"' not in content
