import pytest

from cms.demo_pages import paragraphs
from cms.models import ContentPage, HomePage
from innovations.choices import Status, Tier
from tests.cms.page_tree import publish_under
from tests.factories.innovations import InnovationFactory


@pytest.fixture
def homes(db):
    return {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}


def content_page(parent, title, *texts, slug=None, publish=True):
    page = ContentPage(title=title, slug=slug or f"p{ContentPage.objects.count() + 1}")
    page.body = paragraphs(*texts)
    if publish:
        return publish_under(parent, page)
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()
    return page


def approved_innovation(**fields):
    return InnovationFactory(status=Status.APPROVED, tier=Tier.TRANSACT, **fields)
