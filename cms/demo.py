"""Demo editorial content for the home page, in both languages."""

from django.db import transaction

from cms.models import HomePage

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
