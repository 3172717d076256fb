"""A worker writes an innovation: draft, contributors, patents and attachments.

Only the submitter changes an innovation, and only while it is a draft or returned for
changes. Submission and review are in innovations.services.review.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise, User
from innovations.choices import AttachmentKind, PatentKind, PatentStatus
from innovations.exceptions import (
    ContributorInvalidError,
    InnovationNotEditableError,
    InnovationPermissionError,
    PatentDuplicateError,
)
from innovations.models import Attachment, Contributor, Industry, Innovation, Patent
from innovations.patent_numbers import normalize_patent_number, parse_patent_number
from innovations.rich_text import clean_rich_text
from innovations.uploads import validate_attachment_upload, validate_image_upload

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class InnovationContent:
    title: str
    summary: str
    description: str
    category: str
    technical_field: str
    employer: Enterprise
    expected_benefit: Decimal | None = None
    industries: list[Industry] = field(default_factory=list)


@dataclass(frozen=True)
class ContributorInput:
    share: Decimal
    user: User | None = None
    name: str = ""


@dataclass(frozen=True)
class PatentInput:
    number: str
    kind: str
    status: str
    filing_date: date
    holders: str
    grant_date: date | None = None


def _lock_editable(innovation: Innovation, actor: User) -> Innovation:
    locked = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if locked.owner_id != actor.pk:
        raise InnovationPermissionError()
    if not locked.is_editable:
        raise InnovationNotEditableError(status=locked.get_status_display())
    return locked


def _apply_content(innovation: Innovation, content: InnovationContent) -> None:
    innovation.title = content.title.strip()
    innovation.summary = content.summary.strip()
    innovation.description = clean_rich_text(content.description)
    innovation.category = content.category
    innovation.technical_field = content.technical_field
    innovation.employer = content.employer
    innovation.expected_benefit = content.expected_benefit


@transaction.atomic
def innovation_create_draft(*, owner: User, content: InnovationContent) -> Innovation:
    """Create a draft owned by `owner`, who starts as its only contributor with 100%."""
    innovation = Innovation(owner=owner)
    _apply_content(innovation, content)
    innovation.full_clean()
    innovation.save()
    innovation.industries.set(content.industries)
    Contributor.objects.create(
        innovation=innovation,
        user=owner,
        name=owner.get_full_name() or owner.username,
        share=HUNDRED,
    )
    return innovation


@transaction.atomic
def innovation_update_draft(
    *, innovation: Innovation, actor: User, content: InnovationContent
) -> Innovation:
    locked = _lock_editable(innovation, actor)
    _apply_content(locked, content)
    locked.full_clean()
    locked.save()
    locked.industries.set(content.industries)
    return locked


@transaction.atomic
def innovation_delete_draft(*, innovation: Innovation, actor: User) -> None:
    locked = _lock_editable(innovation, actor)
    if locked.submitted_at is not None:
        # Once reviewers have seen it, the history stays.
        raise InnovationNotEditableError(status=locked.get_status_display())
    for attachment in locked.attachments.all():
        attachment.file.delete(save=False)
    locked.delete()


def _validate_contributors(contributors: list[ContributorInput]) -> None:
    if not contributors:
        raise ContributorInvalidError(_("An innovation needs at least one inventor."))
    seen_users = set()
    for contributor in contributors:
        share = contributor.share
        if share is None or share <= 0 or share > HUNDRED:
            raise ContributorInvalidError(_("Each share must be more than 0% and at most 100%."))
        if share != share.quantize(Decimal("0.01")):
            raise ContributorInvalidError(_("Shares have at most two decimal places."))
        if contributor.user is None and not contributor.name.strip():
            raise ContributorInvalidError(_("Give the name of every co-inventor."))
        if contributor.user is not None:
            if contributor.user.pk in seen_users:
                raise ContributorInvalidError(_("The same worker is listed twice."))
            seen_users.add(contributor.user.pk)


@transaction.atomic
def contributors_replace(
    *, innovation: Innovation, actor: User, contributors: list[ContributorInput]
) -> list[Contributor]:
    """Replace the inventor list. Shares may add up to anything while drafting; submitting
    requires exactly 100 (innovations.services.review.innovation_submit)."""
    locked = _lock_editable(innovation, actor)
    _validate_contributors(contributors)
    locked.contributors.all().delete()
    return Contributor.objects.bulk_create(
        Contributor(
            innovation=locked,
            user=contributor.user,
            name=(contributor.name.strip() or contributor.user.get_full_name())
            if contributor.user
            else contributor.name.strip(),
            share=contributor.share,
            position=position,
        )
        for position, contributor in enumerate(contributors)
    )


def _validate_patent(data: PatentInput) -> str:
    """Return the canonical number, or raise ValidationError saying what to fix."""
    number = parse_patent_number(data.number)
    errors: dict[str, list] = {}
    if number.kind != data.kind:
        errors["kind"] = [
            ValidationError(
                _("Number %(number)s is a %(kind)s; choose that type."),
                params={
                    "number": normalize_patent_number(data.number),
                    "kind": PatentKind(number.kind).label,
                },
            )
        ]
    today = timezone.localdate()
    if data.filing_date > today:
        errors["filing_date"] = [ValidationError(_("The filing date cannot be in the future."))]
    if data.status == PatentStatus.GRANTED and data.grant_date is None:
        errors["grant_date"] = [ValidationError(_("A granted patent needs its grant date."))]
    if data.grant_date is not None:
        if data.grant_date < data.filing_date:
            errors["grant_date"] = [
                ValidationError(_("The grant date cannot be before the filing date."))
            ]
        elif data.grant_date > today:
            errors["grant_date"] = [ValidationError(_("The grant date cannot be in the future."))]
        elif data.status == PatentStatus.PENDING:
            errors["status"] = [
                ValidationError(_("A patent with a grant date is no longer pending."))
            ]
    if not data.holders.strip():
        errors["holders"] = [ValidationError(_("Name the patent holders."))]
    if errors:
        raise ValidationError(errors)
    return normalize_patent_number(data.number)


@transaction.atomic
def patent_add(*, innovation: Innovation, actor: User, data: PatentInput) -> Patent:
    locked = _lock_editable(innovation, actor)
    number = _validate_patent(data)
    if Patent.objects.filter(number=number).exists():
        raise PatentDuplicateError(number=number)
    try:
        with transaction.atomic():
            return Patent.objects.create(
                innovation=locked,
                number=number,
                kind=data.kind,
                status=data.status,
                filing_date=data.filing_date,
                grant_date=data.grant_date,
                holders=data.holders.strip(),
            )
    except IntegrityError:
        # Another innovation linked the same patent between the check and the insert.
        raise PatentDuplicateError(number=number) from None


@transaction.atomic
def patent_remove(*, patent: Patent, actor: User) -> None:
    _lock_editable(patent.innovation, actor)
    patent.delete()


@transaction.atomic
def attachment_add(
    *, innovation: Innovation, actor: User, upload: UploadedFile, kind: str
) -> Attachment:
    """Store an upload after checking its size and its real type (by content, not name)."""
    locked = _lock_editable(innovation, actor)
    if kind == AttachmentKind.IMAGE:
        detected = validate_image_upload(upload)
    else:
        detected = validate_attachment_upload(upload)
    attachment = Attachment(
        innovation=locked,
        kind=kind,
        original_name=(upload.name or "")[-200:],
        content_type="application/pdf" if detected == "pdf" else f"image/{detected}",
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        # No row, no file: don't leave an orphan in storage.
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    _lock_editable(attachment.innovation, actor)
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
