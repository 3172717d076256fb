"""Demo editorial content for the home page, in both languages, and what the editors feature
on it."""

from django.db import transaction

from cms.models import HomeFeaturedCraftsman, HomeFeaturedInnovation, HomePage
from craftsmen.choices import Level
from craftsmen.models import Craftsman
from innovations.models import Innovation

FEATURED_COUNT = 3

HOME_CONTENT = {
    "zh-hans": {
        "title": "上海职工创新成果交易平台",
        "intro": "让职工的“五小”创新走向市场，让每一元转化收益回到创造它的职工手中。",
    },
    "en": {
        "title": "Shanghai Worker Innovation Exchange",
        "intro": (
            'Bringing workers\' "five small" innovations to market, and sharing every yuan '
            "of the proceeds with the workers who created them."
        ),
    },
}


@transaction.atomic
def seed_home_pages() -> None:
    """Publish the demo title and introduction; does nothing when they are already live."""
    for page in HomePage.objects.filter(depth=2).select_related("locale"):
        content = HOME_CONTENT.get(page.locale.language_code)
        if content is None:
            continue
        if page.title == content["title"] and page.intro == content["intro"]:
            continue
        page.title = content["title"]
        page.draft_title = content["title"]
        page.intro = content["intro"]
        page.save_revision().publish()


@transaction.atomic
def seed_home_features() -> None:
    """Feature three excellent innovations and the Shanghai craftsmen on both home pages; a
    home page that already features something is left as the editors made it. Run after
    seed_innovations and seed_craftsmen."""
    innovations = Innovation.objects.public().filter(is_excellent=True).order_by("-decided_at")
    craftsmen = Craftsman.objects.published().filter(level=Level.SHANGHAI_CRAFTSMAN)
    for home in HomePage.objects.filter(depth=2):
        if home.featured_innovations.exists() or home.featured_craftsmen.exists():
            continue
        for innovation in innovations[:FEATURED_COUNT]:
            home.featured_innovations.add(HomeFeaturedInnovation(innovation=innovation))
        for craftsman in craftsmen.order_by("pk")[:FEATURED_COUNT]:
            home.featured_craftsmen.add(HomeFeaturedCraftsman(craftsman=craftsman))
        home.save_revision().publish()
