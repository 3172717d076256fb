"""Confidential technical documents of a lot (LotDocument).

Bidders open them only after accepting the lot's confidentiality terms
(marketplace.services.auctions.lot_confidentiality_accept), so a lot that is already in the
catalogue must have those terms before a document is added to it.
"""

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from innovations.uploads import validate_attachment_upload
from marketplace.choices import LotStatus
from marketplace.exceptions import LotDisclosureIncompleteError, LotTransitionError
from marketplace.locks import lock_lot
from marketplace.models import Lot, LotDocument
from marketplace.services.auctions import require_auction_staff, require_before_bidding


@transaction.atomic
def lot_document_add(*, lot: Lot, actor: User, upload: UploadedFile, title: str) -> LotDocument:
    """Store a PDF or image for a draft or catalogued lot before bidding opens.

    Preconditions: the actor is union staff; the lot is a draft or in the catalogue and its
    session has not opened bidding; a catalogued lot has confidentiality terms. The upload's
    size and real type are checked by its content (innovations.uploads), which raises
    ValidationError. An empty title becomes the file's name. Locks the lot row.
    """
    require_auction_staff(actor)
    locked = lock_lot(lot)
    require_before_bidding(locked.session)
    if locked.status not in (LotStatus.DRAFT, LotStatus.PUBLISHED):
        raise LotTransitionError(status=locked.get_status_display(), action=_("changed"))
    if locked.status == LotStatus.PUBLISHED and not locked.confidentiality_terms:
        raise LotDisclosureIncompleteError(
            missing=_("the confidentiality terms for the technical documents")
        )
    detected = validate_attachment_upload(upload)
    original_name = PurePath(upload.name or "").name
    document = LotDocument(
        lot=locked,
        title=(title.strip() or PurePath(original_name).stem or original_name)[:200],
        original_name=original_name[-200:],
        content_type="application/pdf" if detected == "pdf" else f"image/{detected}",
        size=upload.size,
    )
    document.file.save(original_name, upload, save=False)
    try:
        document.save()
    except Exception:
        # No row, no file: don't leave an orphan in storage.
        document.file.delete(save=False)
        raise
    return document
