from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, seed_people
from cms.demo import seed_home_features, seed_home_pages
from cms.demo_pages import seed_editorial_pages
from cms.demo_sessions import seed_session_pages
from cms.demo_showcase import seed_showcase_pages
from craftsmen.demo import seed_craftsman_pages, seed_craftsmen
from innovations.demo import seed_innovations
from licensing.demo import seed_licensing
from marketplace.demo import seed_auction
from marketplace.demo_history import seed_history
from marketplace.demo_settlement import seed_settlement


class Command(BaseCommand):
    help = _("Load the demo data (idempotent) and print the demo logins.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Run even when DEBUG is off. The demo passwords are public."),
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo creates accounts with published passwords and runs only with "
                    "DEBUG on. Use --force if this really is a demo server."
                )
            )
        # Review decisions notify the demo people by email; keep those out of the terminal.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            people = seed_people()
            seed_home_pages()
            seed_editorial_pages()
            seed_innovations()
            seed_craftsmen()
            seed_craftsman_pages()
            seed_auction()
            seed_settlement()
            seed_history()
            seed_licensing()
            seed_showcase_pages()
            seed_session_pages()
            seed_home_features()
            # Publishing indexes a page; the homes made by migrations are indexed only here.
            call_command("rebuild_site_search", stdout=StringIO())

        self.stdout.write(self.style.SUCCESS(_("Demo data is ready.")))
        password_line = _("Demo logins (password for all: %(password)s)")
        self.stdout.write(password_line % {"password": DEMO_PASSWORD})
        for person in people:
            role = person.role.label if person.role else _("Administrator")
            name = f"{person.family_name}{person.given_name}"
            self.stdout.write(f"  {person.email:<28} {person.mobile}  {name}  ({role})")
        self.stdout.write(_("Site: http://127.0.0.1:8000/  ·  Admin: http://127.0.0.1:8000/admin/"))
