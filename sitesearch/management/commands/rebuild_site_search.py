from django.core.management.base import BaseCommand

from sitesearch.services.indexing import documents_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the site search's plain-text copy of every live page. Safe to run again: "
        "a second run changes nothing."
    )

    def handle(self, *args, **options):
        result = documents_rebuild()
        self.stdout.write(
            f"Site search: {result.created} created, {result.updated} updated, "
            f"{result.deleted} deleted, {result.unchanged} unchanged."
        )
