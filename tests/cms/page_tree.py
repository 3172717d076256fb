"""Building pages for the cms tests: publish under a parent, translate to English."""

from wagtail.models import Locale


def homes() -> dict:
    from cms.models import HomePage

    return {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}


def publish_under(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def english_copy(page, **fields):
    translated = page.copy_for_translation(Locale.objects.get(language_code="en"))
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated
