"""An index on bids by (lot, created_at), for the staff live monitor.

The monitor counts a session's bids per minute over the last ten minutes and ranks its lots
by their bids in that time (marketplace.live_queries); with this index each count is a range
read per lot rather than a read of every bid the lot ever had.
"""

from django.db import migrations, models

BID_LOT_CREATED = models.Index(fields=["lot", "created_at"], name="bid_lot_created")


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_bid_append_only"),
    ]

    operations = [migrations.AddIndex(model_name="bid", index=BID_LOT_CREATED)]
