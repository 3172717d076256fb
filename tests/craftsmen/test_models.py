"""What the database refuses: unknown levels, portraits without alt text, impossible years,
a second studio, a reused slug."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from craftsmen.models import Craftsman
from tests.factories.craftsmen import CraftsmanFactory, HonourFactory, StudioFactory

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_a_level_outside_the_pyramid_is_refused():
    assert refused(lambda: CraftsmanFactory(level="grand_master"))


def test_a_portrait_needs_alt_text_in_both_languages(portrait):
    assert refused(lambda: CraftsmanFactory(portrait=portrait, portrait_alt_zh="王建国的肖像"))
    assert refused(lambda: CraftsmanFactory(portrait=portrait, portrait_alt_en="Portrait"))
    CraftsmanFactory(portrait=portrait, portrait_alt_zh="王建国的肖像", portrait_alt_en="Portrait")


def test_clean_names_each_missing_description_when_a_portrait_is_chosen(portrait):
    craftsman = CraftsmanFactory.build(portrait=portrait, portrait_alt_zh="  ")

    with pytest.raises(ValidationError) as error:
        craftsman.clean()

    assert set(error.value.message_dict) == {"portrait_alt_zh", "portrait_alt_en"}


def test_no_portrait_needs_no_alt_text():
    CraftsmanFactory.build().clean()


@pytest.mark.parametrize("year", [1948, 2101])
def test_honour_and_studio_years_outside_1949_to_2100_are_refused(year):
    craftsman = CraftsmanFactory()

    assert refused(lambda: HonourFactory(craftsman=craftsman, year=year))
    assert refused(lambda: StudioFactory(craftsman=craftsman, founded_year=year))


def test_a_craftsman_leads_at_most_one_studio():
    studio = StudioFactory()

    assert refused(lambda: StudioFactory(craftsman=studio.craftsman))


def test_slugs_are_unique():
    CraftsmanFactory(slug="wang-jianguo")

    assert refused(lambda: CraftsmanFactory(slug="wang-jianguo"))


def test_honours_come_newest_first():
    craftsman = CraftsmanFactory()
    for year in (2019, 2021, 2020):
        HonourFactory(craftsman=craftsman, year=year)

    assert [honour.year for honour in craftsman.honours.all()] == [2021, 2020, 2019]


def test_names_and_stories_follow_the_active_language():
    craftsman = CraftsmanFactory.build(
        name="王建国",
        name_en="Wang Jianguo",
        story_zh="中文故事",
        story_en="",
        is_model_worker=True,
        is_skill_master=True,
    )

    assert craftsman.display_name == "王建国"
    with translation.override("en"):
        assert craftsman.display_name == "Wang Jianguo"
        assert craftsman.story == "中文故事"  # not yet translated: the Chinese rather than nothing
        assert craftsman.distinctions == ["Model worker", "Skill master"]


def test_deleting_an_employer_with_craftsmen_is_refused():
    from django.db.models import ProtectedError

    craftsman = CraftsmanFactory()

    with pytest.raises(ProtectedError):
        craftsman.employer.delete()
    assert Craftsman.objects.filter(pk=craftsman.pk).exists()
