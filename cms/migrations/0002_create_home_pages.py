"""Replace Wagtail's welcome page with our home page, in Chinese and in English.

Built from historical models, so tree paths are written out: the root is 0001 and its
children 00010001 (Chinese home, the site root) and 00010002 (its English translation, with
the slug Wagtail itself gives a root-level translation).
"""

import uuid

from django.db import migrations

HOME_ZH = {"title": "首页", "slug": "home", "path": "00010001", "locale": "zh-hans"}
HOME_EN = {"title": "Home", "slug": "home-en", "path": "00010002", "locale": "en"}


def create_home_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("cms", "HomePage")

    Site.objects.all().delete()
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", slug="home").delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    translation_key = uuid.uuid4()
    pages = {}
    for spec in (HOME_ZH, HOME_EN):
        locale, _ = Locale.objects.get_or_create(language_code=spec["locale"])
        pages[spec["locale"]] = HomePage.objects.create(
            title=spec["title"],
            draft_title=spec["title"],
            slug=spec["slug"],
            content_type=home_type,
            path=spec["path"],
            depth=2,
            numchild=0,
            url_path=f"/{spec['slug']}/",
            locale=locale,
            translation_key=translation_key,
            live=True,
            has_unpublished_changes=False,
        )
    Page.objects.filter(depth=1).update(numchild=2)
    Site.objects.create(
        hostname="localhost",
        port=80,
        site_name="上海职工创新成果交易平台",
        root_page=pages["zh-hans"],
        is_default_site=True,
    )


def remove_home_pages(apps, schema_editor):
    HomePage = apps.get_model("cms", "HomePage")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage.objects.filter(depth=2).delete()
    Page.objects.filter(depth=1).update(numchild=0)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_pages, remove_home_pages)]
