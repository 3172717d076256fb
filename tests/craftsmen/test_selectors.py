import pytest

from craftsmen.choices import Level
from craftsmen.selectors import craftsman_profile, craftsman_pyramid
from tests.factories.craftsmen import CraftsmanFactory

pytestmark = pytest.mark.django_db


def test_the_pyramid_counts_published_craftsmen_per_level_in_one_query(
    django_assert_num_queries,
):
    # Given 2 上海工匠, 3 工匠人才 (one of them hidden) and 4 技术工人
    CraftsmanFactory.create_batch(2, level=Level.SHANGHAI_CRAFTSMAN, is_model_worker=True)
    CraftsmanFactory.create_batch(2, level=Level.CRAFTSMAN_TALENT, is_chief_technician=True)
    CraftsmanFactory(level=Level.CRAFTSMAN_TALENT, is_published=False, is_model_worker=True)
    CraftsmanFactory.create_batch(4, level=Level.SKILLED_WORKER)

    with django_assert_num_queries(1):
        pyramid = craftsman_pyramid()

    assert [(tier.value, tier.count) for tier in pyramid.levels] == [
        ("shanghai_craftsman", 2),
        ("craftsman_talent", 2),
        ("skilled_worker", 4),
    ]
    assert pyramid.total == 8
    assert {tier.value: tier.count for tier in pyramid.distinctions} == {
        "model_worker": 2,
        "chief_technician": 2,
        "skill_master": 0,
    }


def test_an_empty_pyramid_counts_zero_everywhere(db):
    assert [tier.count for tier in craftsman_pyramid().levels] == [0, 0, 0]


def test_a_hidden_or_unknown_profile_is_none():
    CraftsmanFactory(slug="hidden", is_published=False)

    assert craftsman_profile(slug="hidden") is None
    assert craftsman_profile(slug="nobody") is None
