"""Keep the cached header menu in step with the page tree. Dropped at once and again after
the transaction commits: a view running in between could otherwise cache the old tree again."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.navigation import menu_forget


def _forget_menu(**kwargs) -> None:
    menu_forget()
    transaction.on_commit(menu_forget)


def connect() -> None:
    for name, signal in {
        "published": page_published,
        "unpublished": page_unpublished,
        "moved": post_page_move,
        "slug": page_slug_changed,
    }.items():
        signal.connect(_forget_menu, dispatch_uid=f"cms-menu-page-{name}")
    post_delete.connect(_forget_menu, sender=Page, dispatch_uid="cms-menu-page-deleted")
    post_save.connect(_forget_menu, sender=PageViewRestriction, dispatch_uid="cms-menu-rule-saved")
    post_delete.connect(
        _forget_menu, sender=PageViewRestriction, dispatch_uid="cms-menu-rule-deleted"
    )
