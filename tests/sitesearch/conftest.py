import pytest
from wagtail.models import Locale

from cms.demo_pages import paragraphs
from cms.models import ContentPage, HomePage
from innovations.choices import Status, Tier
from tests.factories.innovations import InnovationFactory


@pytest.fixture
def homes(db):
    return {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}


def publish_under(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def content_page(parent, title, *texts, slug=None, publish=True):
    page = ContentPage(title=title, slug=slug or f"p{ContentPage.objects.count() + 1}")
    page.body = paragraphs(*texts)
    if publish:
        return publish_under(parent, page)
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()
    return page


def english_copy(page, **fields):
    translated = page.copy_for_translation(Locale.objects.get(language_code="en"))
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def approved_innovation(**fields):
    return InnovationFactory(status=Status.APPROVED, tier=Tier.TRANSACT, **fields)
