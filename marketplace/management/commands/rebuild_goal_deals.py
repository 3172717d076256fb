"""The goal report's summary rows: check them against the deals, or write them again.

    python manage.py rebuild_goal_deals --check   # list differences; exit status 1 if any
    python manage.py rebuild_goal_deals           # replace every row (one transaction)

The services keep the rows as deals are made (marketplace.services.goal_deals). Rebuild after
writing deals straight into the tables (an import), or to report past deals under corrected
attributes (an innovation's category fixed after its sale). --check is cheap enough for a
nightly job: one pass over the deals and one over the rows.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from marketplace.services.goal_deals import goal_deals_differences, goal_deals_rebuild

SHOWN_DIFFERENCES = 20


class Command(BaseCommand):
    help = "Check or rebuild the goal report's summary of confirmed deals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the rows with the deals; exit status 1 when they differ.",
        )

    def handle(self, *args, check: bool = False, **options):
        if not check:
            written = goal_deals_rebuild()
            self.stdout.write(
                _("Goal report summary rebuilt: %(count)d deals.") % {"count": written}
            )
            return
        differences = goal_deals_differences()
        if not differences:
            self.stdout.write(_("Goal report summary matches the deals."))
            return
        for line in differences[:SHOWN_DIFFERENCES]:
            self.stdout.write(line)
        if len(differences) > SHOWN_DIFFERENCES:
            self.stdout.write(
                _("… and %(count)d more.") % {"count": len(differences) - SHOWN_DIFFERENCES}
            )
        raise CommandError(
            _("Goal report summary differs from the deals in %(count)d places.")
            % {"count": len(differences)}
        )
