"""Where payouts go: a worker's or an employer's bank details (PayoutProfile).

A worker enters their own; staff may enter or correct anyone's. A bank batch copies the
details onto each payout line when it is made, so the spreadsheet for the bank says what staff
approved even if the payee changes their details later.
"""

import re

from django.db import transaction

from accounts.models import Enterprise, User
from licensing.exceptions import PayoutAccountNumberInvalidError, PayoutProfileInvalidError
from licensing.models import PayoutProfile
from marketplace.models import LedgerAccount

# Chinese bank card and corporate account numbers run from about 8 to 30 digits.
ACCOUNT_NUMBER = re.compile(r"[0-9]{8,30}")
NAME_MAX_LENGTH = PayoutProfile._meta.get_field("bank_account_name").max_length
BANK_MAX_LENGTH = PayoutProfile._meta.get_field("bank").max_length


def account_number_normalised(raw: str) -> str:
    """The digits of an account number as typed (people group them with spaces), or
    PayoutAccountNumberInvalidError unless that is 8 to 30 digits."""
    number = re.sub(r"\s+", "", raw or "")
    if not ACCOUNT_NUMBER.fullmatch(number):
        raise PayoutAccountNumberInvalidError()
    return number


@transaction.atomic
def payout_profile_save(
    *,
    bank_account_name: str,
    bank: str,
    bank_account_number: str,
    user: User | None = None,
    enterprise: Enterprise | None = None,
) -> PayoutProfile:
    """Create or replace the bank details of one payee: `user` or `enterprise`, not both.

    Refused (PayoutProfileInvalidError, nothing saved) with an empty or too long holder or bank,
    or an account number that is not 8 to 30 digits. Payouts already in a batch keep the
    details they were made with.
    """
    if (user is None) == (enterprise is None):
        raise TypeError("A payout profile belongs to a user or an enterprise.")
    name, bank = (bank_account_name or "").strip(), (bank or "").strip()
    if not name or not bank or len(name) > NAME_MAX_LENGTH or len(bank) > BANK_MAX_LENGTH:
        raise PayoutProfileInvalidError()
    number = account_number_normalised(bank_account_number)
    payee = {"user": user} if user is not None else {"enterprise": enterprise}
    profile, _created = PayoutProfile.objects.update_or_create(
        **payee,
        defaults={"bank_account_name": name, "bank": bank, "bank_account_number": number},
    )
    return profile


def payout_profile_for(account: LedgerAccount) -> PayoutProfile | None:
    """The bank details of a payable account's payee; None for an inventor without an account
    on the platform (their part is paid by a single payout staff record by hand)."""
    if account.user_id:
        return PayoutProfile.objects.filter(user_id=account.user_id).first()
    if account.enterprise_id:
        return PayoutProfile.objects.filter(enterprise_id=account.enterprise_id).first()
    return None


def payout_profiles_by_account(accounts: list[LedgerAccount]) -> dict[int, PayoutProfile]:
    """The bank details of many payable accounts at once (one query), by account key."""
    user_ids = {account.user_id for account in accounts if account.user_id}
    enterprise_ids = {account.enterprise_id for account in accounts if account.enterprise_id}
    profiles = PayoutProfile.objects.filter(user_id__in=user_ids) | PayoutProfile.objects.filter(
        enterprise_id__in=enterprise_ids
    )
    by_user, by_enterprise = {}, {}
    for profile in profiles:
        if profile.user_id:
            by_user[profile.user_id] = profile
        else:
            by_enterprise[profile.enterprise_id] = profile
    result = {}
    for account in accounts:
        profile = by_user.get(account.user_id) or by_enterprise.get(account.enterprise_id)
        if profile is not None:
            result[account.pk] = profile
    return result
