"""Enterprises register themselves, invite colleagues, and are verified by union staff.

Verification status moves only along VERIFICATION_TRANSITIONS: an enterprise registers (or
corrects a rejected registration) and waits for staff ("pending"); staff verify or reject it.
Each change is recorded in Wagtail's audit log (ModelLogEntry, actions ENTERPRISE_LOG_ACTIONS,
registered in accounts.wagtail_hooks); the verified_by / verified_at columns keep who verified.

Invitations have no table: a member signs {"enterprise", "email", "by"} with Django's signing
(salt INVITATION_SALT) and the invitee proves they read the email by opening the link within
INVITATION_MAX_AGE. A link works once in effect, because joining registers its email address.

Emails leave after commit, in Chinese with English below, like innovations.services.notifications.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from accounts.choices import Role, VerificationStatus
from accounts.exceptions import (
    EnterpriseCreditCodeInvalidError,
    EnterpriseCreditCodeMissingError,
    EnterpriseCreditCodeTakenError,
    EnterpriseInvitationEmailTakenError,
    EnterpriseInvitationExpiredError,
    EnterpriseInvitationInvalidError,
    EnterpriseNameMissingError,
    EnterpriseNotMemberError,
    EnterprisePermissionError,
    EnterpriseRejectionReasonRequiredError,
    EnterpriseTransitionError,
    RegistrationContactMissingError,
    RegistrationEmailTakenError,
    RegistrationMobileTakenError,
)
from accounts.models import Enterprise, User
from accounts.services.registration import _internal_username, email_is_taken, mobile_is_taken
from accounts.services.roles import is_union_staff, user_assign_role
from accounts.validators import normalize_credit_code, validate_credit_code
from innovations.models import Industry

# Belongs beside the model (STYLE.md: models hold their transitions map); kept here until
# accounts/models.py grows Enterprise.can_move_to.
VERIFICATION_TRANSITIONS: dict[str, set[str]] = {
    # An employer named by workers, or an enterprise linked to a member by staff.
    VerificationStatus.UNVERIFIED: {VerificationStatus.PENDING},
    VerificationStatus.PENDING: {VerificationStatus.VERIFIED, VerificationStatus.REJECTED},
    VerificationStatus.REJECTED: {VerificationStatus.PENDING},
    VerificationStatus.VERIFIED: set(),
}
ACTION_VERBS = {
    VerificationStatus.PENDING: gettext_lazy("submitted for verification"),
    VerificationStatus.VERIFIED: gettext_lazy("verified"),
    VerificationStatus.REJECTED: gettext_lazy("rejected"),
}

LOG_SUBMIT = "accounts.enterprise.submit"
LOG_VERIFY = "accounts.enterprise.verify"
LOG_REJECT = "accounts.enterprise.reject"
LOG_JOIN = "accounts.enterprise.join"
ENTERPRISE_LOG_ACTIONS = {
    LOG_SUBMIT: (
        gettext_lazy("Submit for verification"),
        gettext_lazy("Submitted for verification"),
    ),
    LOG_VERIFY: (gettext_lazy("Verify enterprise"), gettext_lazy("Verified")),
    LOG_REJECT: (gettext_lazy("Reject enterprise"), gettext_lazy("Rejected")),
    LOG_JOIN: (gettext_lazy("Join enterprise"), gettext_lazy("Joined by invitation")),
}

INVITATION_SALT = "enterprise-invite"
INVITATION_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class EnterpriseInvitation:
    """What a valid invitation link says: who may join which enterprise, invited by whom."""

    enterprise: Enterprise
    email: str
    inviter: User


def enterprise_can_move_to(enterprise: Enterprise, status: str) -> bool:
    return status in VERIFICATION_TRANSITIONS[enterprise.verification_status]


# Checks shared by the services


def _check_transition(enterprise: Enterprise, to_status: str) -> None:
    if not enterprise_can_move_to(enterprise, to_status):
        # Lazy labels, so the message reads in whichever language it is shown in.
        raise EnterpriseTransitionError(
            status=VerificationStatus(enterprise.verification_status).label,
            action=ACTION_VERBS[to_status],
        )


def _require_staff(user: User) -> None:
    if not (user.is_active and is_union_staff(user)):
        raise EnterprisePermissionError()


def _require_member(user: User) -> None:
    if not (user.is_authenticated and user.is_active and user.enterprise_id):
        raise EnterpriseNotMemberError()


def _valid_credit_code(credit_code: str) -> str:
    """The code in its stored form (GB 32100 capitals, no spaces), or a domain error saying
    what is wrong with it."""
    code = normalize_credit_code(credit_code or "")
    if not code:
        raise EnterpriseCreditCodeInvalidError(
            gettext_lazy("Enter the enterprise's unified social credit code.")
        )
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise EnterpriseCreditCodeInvalidError(error.message, **(error.params or {})) from None
    return code


def credit_code_is_taken(credit_code: str, *, exclude: Enterprise | None = None) -> bool:
    enterprises = Enterprise.objects.filter(credit_code=credit_code)
    if exclude is not None:
        enterprises = enterprises.exclude(pk=exclude.pk)
    return enterprises.exists()


def _normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()) if email else ""


def _lock(enterprise_pk: int) -> Enterprise:
    return Enterprise.objects.select_for_update().get(pk=enterprise_pk)


def _enterprise_save(enterprise: Enterprise) -> None:
    # The partial unique constraint on credit_code settles a race between the check and the
    # write; the savepoint keeps the caller's transaction usable for the domain error.
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        if credit_code_is_taken(enterprise.credit_code, exclude=enterprise):
            raise EnterpriseCreditCodeTakenError() from None
        raise


def _member_create(
    *,
    enterprise: Enterprise,
    family_name: str,
    given_name: str,
    email: str,
    mobile: str,
    password: str,
    email_taken_error: type[Exception],
) -> User:
    if email and email_is_taken(email):
        raise email_taken_error()
    if mobile and mobile_is_taken(mobile):
        raise RegistrationMobileTakenError()
    user = User(
        username=_internal_username(),
        last_name=family_name.strip(),
        first_name=given_name.strip(),
        email=email,
        # NULL, not "": the unique constraint on mobile allows many people without one.
        mobile=mobile or None,
        enterprise=enterprise,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Someone registered the same email or mobile after our check.
        if email and email_is_taken(email):
            raise email_taken_error() from None
        if mobile and mobile_is_taken(mobile):
            raise RegistrationMobileTakenError() from None
        raise
    user_assign_role(user=user, role=Role.ENTERPRISE_MEMBER)
    return user


def _employer_to_take_over(name: str) -> Enterprise | None:
    """An employer that workers named but nobody has registered: no code, no members, never
    submitted. The oldest one if workers created several (worker_register's race)."""
    members = User.objects.filter(enterprise=OuterRef("pk"))
    return (
        Enterprise.objects.select_for_update()
        .filter(name=name, credit_code="", verification_status=VerificationStatus.UNVERIFIED)
        .filter(~Exists(members))
        .order_by("pk")
        .first()
    )


def _set_details(
    enterprise: Enterprise,
    *,
    name: str,
    credit_code: str,
    district: str,
    industry: Industry | None,
    contact_name: str,
    contact_phone: str,
) -> None:
    enterprise.name = name
    enterprise.credit_code = credit_code
    enterprise.district = district
    enterprise.industry = industry
    enterprise.contact_name = contact_name.strip()
    enterprise.contact_phone = contact_phone.strip()
    enterprise.verification_status = VerificationStatus.PENDING
    enterprise.rejection_reason = ""


# Registration and membership


def enterprise_register(
    *,
    family_name: str,
    given_name: str,
    email: str,
    mobile: str,
    password: str,
    name: str,
    credit_code: str,
    district: str,
    industry: Industry | None,
    contact_name: str,
    contact_phone: str,
) -> tuple[Enterprise, User]:
    """A new person registers an organisation and becomes its first member (not logged in).

    Preconditions: lengths, the mobile format, the district choice and the password's strength
    are the form's job; `email` and `mobile` may be empty but not both.

    The credit code is stored compact and in capitals. An employer of the same name that
    workers named (no code, no members, unverified) is taken over rather than duplicated, so
    its workers' innovations stay with it. The enterprise ends "pending" verification.

    Raises RegistrationContactMissingError, RegistrationEmailTakenError,
    RegistrationMobileTakenError, EnterpriseNameMissingError, EnterpriseCreditCodeInvalidError
    and EnterpriseCreditCodeTakenError, the "taken" ones also when a concurrent request won
    the race. Nothing is saved when it raises.

    Side effects, in one transaction: creates or updates the Enterprise, creates the User in
    the enterprise member group with user.enterprise set, records the submission in the audit
    log. Locks the employer row it takes over.
    """
    email = _normalise_email(email)
    mobile = (mobile or "").strip()
    name = (name or "").strip()
    if not email and not mobile:
        raise RegistrationContactMissingError()
    if not name:
        raise EnterpriseNameMissingError()
    code = _valid_credit_code(credit_code)

    with transaction.atomic():
        if email and email_is_taken(email):
            raise RegistrationEmailTakenError()
        if mobile and mobile_is_taken(mobile):
            raise RegistrationMobileTakenError()
        if credit_code_is_taken(code):
            raise EnterpriseCreditCodeTakenError()
        enterprise = _employer_to_take_over(name) or Enterprise()
        _set_details(
            enterprise,
            name=name,
            credit_code=code,
            district=district,
            industry=industry,
            contact_name=contact_name,
            contact_phone=contact_phone,
        )
        _enterprise_save(enterprise)
        user = _member_create(
            enterprise=enterprise,
            family_name=family_name,
            given_name=given_name,
            email=email,
            mobile=mobile,
            password=password,
            email_taken_error=RegistrationEmailTakenError,
        )
        enterprise.registered_by = user
        enterprise.save(update_fields=["registered_by"])
        log(enterprise, LOG_SUBMIT, user=user)
    return enterprise, user


def enterprise_invitation_token(*, inviter: User, email: str) -> str:
    """A signed invitation for `email` to join the inviter's enterprise. Any active member may
    invite; raises EnterpriseNotMemberError otherwise. Writes nothing."""
    _require_member(inviter)
    payload = {
        "enterprise": inviter.enterprise_id,
        "email": _normalise_email(email),
        "by": inviter.pk,
    }
    return signing.dumps(payload, salt=INVITATION_SALT)


def enterprise_invite_member(*, inviter: User, email: str) -> str:
    """Email an invitation link to `email` after commit and return its token.

    Precondition: `email` is a valid address (the form's job). Raises EnterpriseNotMemberError,
    and EnterpriseInvitationEmailTakenError when an account already uses the address (joining
    would be refused; staff link existing accounts).
    """
    email = _normalise_email(email)
    token = enterprise_invitation_token(inviter=inviter, email=email)
    if email_is_taken(email):
        raise EnterpriseInvitationEmailTakenError()
    enterprise_id, inviter_id = inviter.enterprise_id, inviter.pk
    transaction.on_commit(
        lambda: _invitation_send(
            token=token, email=email, enterprise_id=enterprise_id, inviter_id=inviter_id
        )
    )
    return token


def enterprise_invitation_load(*, token: str) -> EnterpriseInvitation:
    """Read an invitation link and check it can still be used.

    Raises EnterpriseInvitationExpiredError after INVITATION_MAX_AGE,
    EnterpriseInvitationInvalidError for a forged or damaged token or when the inviter is no
    longer an active member of the enterprise named in it, and
    EnterpriseInvitationEmailTakenError when an account already uses the invited address (the
    link was used already, or the person registered otherwise). Writes nothing.
    """
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise EnterpriseInvitationExpiredError() from None
    except signing.BadSignature:
        raise EnterpriseInvitationInvalidError() from None
    try:
        enterprise_id, inviter_id = int(payload["enterprise"]), int(payload["by"])
        email = _normalise_email(str(payload["email"]))
    except (KeyError, TypeError, ValueError):
        raise EnterpriseInvitationInvalidError() from None
    inviter = (
        User.objects.select_related("enterprise")
        .filter(pk=inviter_id, enterprise_id=enterprise_id, is_active=True)
        .first()
    )
    if inviter is None or not email:
        raise EnterpriseInvitationInvalidError()
    if email_is_taken(email):
        raise EnterpriseInvitationEmailTakenError()
    return EnterpriseInvitation(enterprise=inviter.enterprise, email=email, inviter=inviter)


def enterprise_join(
    *, token: str, family_name: str, given_name: str, mobile: str, password: str
) -> User:
    """The invitee creates their account as a member of the inviting enterprise (not logged in).

    The email address is the one invited. Raises the errors of enterprise_invitation_load
    (EnterpriseInvitationEmailTakenError also when a concurrent join won the race) and
    RegistrationMobileTakenError. Nothing is saved when it raises.

    Side effects, in one transaction: creates the User in the enterprise member group, records
    the join in the enterprise's audit log. Takes no row locks; the unique constraints on email
    and mobile settle races.
    """
    invitation = enterprise_invitation_load(token=token)
    with transaction.atomic():
        user = _member_create(
            enterprise=invitation.enterprise,
            family_name=family_name,
            given_name=given_name,
            email=invitation.email,
            mobile=(mobile or "").strip(),
            password=password,
            email_taken_error=EnterpriseInvitationEmailTakenError,
        )
        log(invitation.enterprise, LOG_JOIN, user=user, data={"invited_by": invitation.inviter.pk})
    return user


# Verification


@transaction.atomic
def enterprise_resubmit(
    *,
    user: User,
    name: str,
    credit_code: str,
    district: str,
    industry: Industry | None,
    contact_name: str,
    contact_phone: str,
) -> Enterprise:
    """A member corrects the details of their rejected (or never submitted) enterprise and
    sends it back to staff: the status returns to "pending" and the old reason is cleared (the
    audit log keeps it).

    Raises EnterpriseNotMemberError, EnterpriseTransitionError (pending or verified),
    EnterpriseNameMissingError, EnterpriseCreditCodeInvalidError, EnterpriseCreditCodeTakenError.
    Locks the enterprise row.
    """
    _require_member(user)
    name = (name or "").strip()
    if not name:
        raise EnterpriseNameMissingError()
    code = _valid_credit_code(credit_code)
    enterprise = _lock(user.enterprise_id)
    _check_transition(enterprise, VerificationStatus.PENDING)
    if credit_code_is_taken(code, exclude=enterprise):
        raise EnterpriseCreditCodeTakenError()
    _set_details(
        enterprise,
        name=name,
        credit_code=code,
        district=district,
        industry=industry,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    _enterprise_save(enterprise)
    log(enterprise, LOG_SUBMIT, user=user)
    return enterprise


@transaction.atomic
def enterprise_verify(*, staff_user: User, enterprise: Enterprise) -> Enterprise:
    """Union staff confirm a pending enterprise; from now on it may pay deposits and bid.

    Raises EnterprisePermissionError (not union staff or a superuser),
    EnterpriseTransitionError (not pending), EnterpriseCreditCodeMissingError and
    EnterpriseCreditCodeInvalidError. Records who and when on the row and in the audit log;
    emails the members after commit. Locks the enterprise row.
    """
    _require_staff(staff_user)
    locked = _lock(enterprise.pk)
    _check_transition(locked, VerificationStatus.VERIFIED)
    if not locked.credit_code:
        raise EnterpriseCreditCodeMissingError()
    _valid_credit_code(locked.credit_code)
    locked.verification_status = VerificationStatus.VERIFIED
    locked.verified_at = timezone.now()
    locked.verified_by = staff_user
    locked.rejection_reason = ""
    locked.save(
        update_fields=["verification_status", "verified_at", "verified_by", "rejection_reason"]
    )
    log(locked, LOG_VERIFY, user=staff_user)
    transaction.on_commit(lambda: _decision_notify(enterprise_id=locked.pk))
    return locked


@transaction.atomic
def enterprise_reject(*, staff_user: User, enterprise: Enterprise, reason: str) -> Enterprise:
    """Union staff turn a pending enterprise down; the reason tells its members what to
    correct before they resubmit.

    Raises EnterprisePermissionError, EnterpriseRejectionReasonRequiredError (blank reason) and
    EnterpriseTransitionError (not pending). Records who, when and why in the audit log;
    emails the members after commit. Locks the enterprise row.
    """
    _require_staff(staff_user)
    reason = (reason or "").strip()
    if not reason:
        raise EnterpriseRejectionReasonRequiredError()
    locked = _lock(enterprise.pk)
    _check_transition(locked, VerificationStatus.REJECTED)
    locked.verification_status = VerificationStatus.REJECTED
    locked.rejection_reason = reason
    locked.verified_at = None
    locked.verified_by = None
    locked.save(
        update_fields=["verification_status", "verified_at", "verified_by", "rejection_reason"]
    )
    log(locked, LOG_REJECT, user=staff_user, data={"reason": reason})
    transaction.on_commit(lambda: _decision_notify(enterprise_id=locked.pk))
    return locked


# Emails


def _site_url(view_name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        path = reverse(view_name, kwargs=kwargs or None)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _invitation_message(
    *, token: str, enterprise: Enterprise, inviter: User, language: str
) -> tuple[str, str]:
    with translation.override(language):
        subject = _("%(inviter)s invites you to join “%(enterprise)s” on the %(site)s") % {
            "inviter": inviter.get_full_name() or inviter.email,
            "enterprise": enterprise.name,
            "site": _("Worker Innovation Exchange"),
        }
        link = _site_url("accounts:enterprise_join", language, token=token)
        lines = [
            subject,
            _("Open this link to create your account; it is valid for 7 days: %(link)s")
            % {"link": link},
            _("If you did not expect this invitation, you can ignore this email."),
        ]
        return subject, "\n".join(lines)


def _invitation_send(*, token: str, email: str, enterprise_id: int, inviter_id: int) -> None:
    inviter = User.objects.select_related("enterprise").get(pk=inviter_id)
    enterprise = Enterprise.objects.get(pk=enterprise_id)
    # The invitee has no account yet, so no known language: Chinese first, English below.
    subject_zh, body_zh = _invitation_message(
        token=token, enterprise=enterprise, inviter=inviter, language="zh-hans"
    )
    _subject_en, body_en = _invitation_message(
        token=token, enterprise=enterprise, inviter=inviter, language="en"
    )
    send_mail(
        subject=subject_zh,
        message=f"{body_zh}\n\n———\n\n{body_en}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )


def _decision_message(enterprise: Enterprise, language: str) -> tuple[str, str]:
    with translation.override(language):
        link = _site_url("accounts:enterprise_detail", language)
        if enterprise.is_verified:
            subject = _("“%(name)s” is verified") % {"name": enterprise.name}
            lines = [
                subject,
                _("Your enterprise may now register for auctions and bid: %(link)s")
                % {"link": link},
            ]
        else:
            subject = _("“%(name)s” could not be verified") % {"name": enterprise.name}
            lines = [
                subject,
                _("Reason: %(reason)s") % {"reason": enterprise.rejection_reason},
                _("Correct the details and submit them again on your enterprise page: %(link)s")
                % {"link": link},
            ]
        return subject, "\n".join(lines)


def _decision_notify(*, enterprise_id: int) -> None:
    enterprise = Enterprise.objects.get(pk=enterprise_id)
    if enterprise.verification_status not in (
        VerificationStatus.VERIFIED,
        VerificationStatus.REJECTED,
    ):
        # Already resubmitted: the page says more than a stale email would.
        return
    recipients = list(
        enterprise.members.filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if not recipients:
        # Mobile-only members see the decision on their enterprise page.
        return
    subject_zh, body_zh = _decision_message(enterprise, "zh-hans")
    _subject_en, body_en = _decision_message(enterprise, "en")
    body = f"{body_zh}\n\n———\n\n{body_en}"
    # One message each, so members do not see each other's addresses in the recipients.
    send_mass_mail(
        [(subject_zh, body, settings.DEFAULT_FROM_EMAIL, [recipient]) for recipient in recipients]
    )
