"""Demo five-small showcase: the index and one page per category in both languages, with the
editors' pins. Idempotent by slug; run after seed_innovations (pins point at its approved
innovations)."""

from django.db import transaction
from wagtail.models import Locale

from cms.demo_pages import _translate, menu_section, paragraphs
from cms.models import HomePage, ShowcaseCategoryPage, ShowcaseIndexPage, ShowcasePin
from innovations.choices import Category
from innovations.models import Innovation

INDEX = {
    "slug": "showcase",
    "zh": {
        "title": "五小创新成果展示",
        "intro": "小发明、小创造、小革新、小设计、小建议——来自生产一线的职工创新。",
    },
    "en": {
        "title": "Five-small showcase",
        "intro": (
            "Small inventions, creations, renovations, designs and suggestions from workers "
            "on the front line of production."
        ),
    },
}

CATEGORY_PAGES = {
    Category.INVENTION: {
        "zh": (
            "小发明",
            "职工在生产实践中发明的新工具、新装置和新方法。",
            "小发明着眼于解决一线生产中的具体难题，许多成果已申请发明或实用新型专利。",
        ),
        "en": (
            "Small inventions",
            "New tools, devices and methods invented by workers at work.",
            "Small inventions solve concrete problems on the shop floor; many have been filed "
            "as invention or utility-model patents.",
        ),
    },
    Category.CREATION: {
        "zh": (
            "小创造",
            "把新思路变成可用的工装、夹具和检测手段。",
            "小创造让新思路落地为可以复制推广的工装、夹具和检测手段。",
        ),
        "en": (
            "Small creations",
            "New ideas turned into usable fixtures, jigs and inspection methods.",
            "Small creations turn new ideas into fixtures, jigs and inspection methods that "
            "other workshops can copy.",
        ),
    },
    Category.RENOVATION: {
        "zh": (
            "小革新",
            "对现有设备和工艺的改进，降本增效看得见。",
            "小革新改进现有设备和工艺，节能降耗、提高良品率，效益可以量化。",
        ),
        "en": (
            "Small renovations",
            "Improvements to existing equipment and processes, with savings you can measure.",
            "Small renovations improve existing equipment and processes, saving energy and "
            "raising yield in ways that can be measured.",
        ),
    },
    Category.DESIGN: {
        "zh": (
            "小设计",
            "从使用者出发的结构、外观和流程设计。",
            "小设计从操作者和使用者出发，改进结构、外观和作业流程。",
        ),
        "en": (
            "Small designs",
            "Structure, appearance and workflow designed around the people who use them.",
            "Small designs start from the operator and the user, improving structure, "
            "appearance and workflow.",
        ),
    },
    Category.SUGGESTION: {
        "zh": (
            "小建议",
            "来自一线的合理化建议，小建议里有大效益。",
            "合理化建议经评审采纳后在企业推广，许多建议带来了显著的安全和经济效益。",
        ),
        "en": (
            "Small suggestions",
            "Practical suggestions from the front line, small ideas with large returns.",
            "Suggestions adopted after review are rolled out across the enterprise; many have "
            "brought clear gains in safety and money.",
        ),
    },
}


def _approved(category: str):
    return Innovation.objects.public().filter(category=category).order_by("-decided_at", "pk")


def _category_page(index: ShowcaseIndexPage, en: Locale, category: str, texts: dict) -> None:
    if index.get_children().filter(slug=category).exists():
        return
    title, intro, text = texts["zh"]
    page = ShowcaseCategoryPage(
        slug=category, category=category, title=title, intro=intro, body=paragraphs(text)
    )
    # The editors pin the category's best approved innovation.
    best = _approved(category).filter(is_excellent=True).first()
    if best is not None:
        page.pins.add(ShowcasePin(innovation=best))
    index.add_child(instance=page)
    page.save_revision().publish()
    title, intro, text = texts["en"]
    _translate(page, en, {"title": title, "intro": intro, "body": paragraphs(text)})


@transaction.atomic
def seed_showcase_pages() -> None:
    home = HomePage.objects.get(depth=2, locale__language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    index = menu_section(home, en, ShowcaseIndexPage, INDEX)
    for category, texts in CATEGORY_PAGES.items():
        _category_page(index, en, category, texts)
