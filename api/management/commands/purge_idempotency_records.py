"""Forget Idempotency-Keys older than 24 hours, so the table stays small.

python manage.py purge_idempotency_records     # daily, from cron or a scheduler
"""

from django.core.management.base import BaseCommand

from api.services.idempotency import RETENTION, idempotency_records_purge


class Command(BaseCommand):
    help = "Delete stored idempotent responses older than 24 hours."

    def handle(self, *args, **options):
        deleted = idempotency_records_purge()
        hours = int(RETENTION.total_seconds() // 3600)
        self.stdout.write(f"Deleted {deleted} idempotency records older than {hours} hours.")
