"""Workers register themselves on the site; staff verify their employer later."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When

from accounts.choices import Role, VerificationStatus
from accounts.exceptions import (
    RegistrationContactMissingError,
    RegistrationEmailTakenError,
    RegistrationEmployerMissingError,
    RegistrationMobileTakenError,
)
from accounts.models import Enterprise, User
from accounts.services.roles import user_assign_role


def email_is_taken(email: str) -> bool:
    # A username equal to the email would make the login identifier match two people, and the
    # login backend refuses ambiguous identifiers: so a username counts as taking it too.
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def mobile_is_taken(mobile: str) -> bool:
    return User.objects.filter(Q(mobile=mobile) | Q(username=mobile)).exists()


def _internal_username() -> str:
    # People log in with their email or mobile; the username is only a stable handle for
    # Wagtail's user admin. "w" + hex never looks like an email address or a mobile number.
    while True:
        username = f"w{secrets.token_hex(8)}"
        if not User.objects.filter(username=username).exists():
            return username


def _employer_find_or_create(name: str) -> Enterprise:
    # Names are not unique: prefer an enterprise staff have verified,
    # then the oldest. Two workers naming a new employer at the same moment may create two
    # unverified rows with the same name; staff merge them when they verify the employer.
    employer = (
        Enterprise.objects.filter(name=name)
        .order_by(
            Case(
                When(verification_status=VerificationStatus.VERIFIED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "pk",
        )
        .first()
    )
    if employer is None:
        employer = Enterprise.objects.create(name=name, credit_code="")
    return employer


def worker_register(
    *,
    family_name: str,
    given_name: str,
    email: str,
    mobile: str,
    password: str,
    employer_name: str,
    union_member_no: str,
) -> User:
    """Create a worker account with its employer and return the user (not logged in).

    Preconditions: the fields are valid (lengths, mobile format, password strength are the
    form's job); `email` and `mobile` may be empty but not both.

    Raises RegistrationContactMissingError, RegistrationEmployerMissingError, and
    RegistrationEmailTakenError / RegistrationMobileTakenError when another account already
    uses the email (any case) or the mobile number, also when that account was created by a
    concurrent request between the check and the insert.

    Side effects, in one transaction: may create an Enterprise named `employer_name` (stripped,
    exact match) with a blank credit code; creates the User with a generated username and
    adds them to the worker group. Takes no row locks; the unique constraints on email and
    mobile settle races.
    """
    email = User.objects.normalize_email(email.strip()) if email else ""
    mobile = mobile.strip() if mobile else ""
    employer_name = employer_name.strip()
    if not email and not mobile:
        raise RegistrationContactMissingError()
    if not employer_name:
        raise RegistrationEmployerMissingError()

    with transaction.atomic():
        if email and email_is_taken(email):
            raise RegistrationEmailTakenError()
        if mobile and mobile_is_taken(mobile):
            raise RegistrationMobileTakenError()

        user = User(
            username=_internal_username(),
            last_name=family_name.strip(),
            first_name=given_name.strip(),
            email=email,
            # NULL, not "": the unique constraint on mobile allows many people without one.
            mobile=mobile or None,
            employer=_employer_find_or_create(employer_name),
            union_member_no=union_member_no.strip(),
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Someone registered the same email or mobile after our check.
            if email and email_is_taken(email):
                raise RegistrationEmailTakenError() from None
            if mobile and mobile_is_taken(mobile):
                raise RegistrationMobileTakenError() from None
            raise
        user_assign_role(user=user, role=Role.WORKER)
    return user
