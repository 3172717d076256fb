"""The ledger accounts profit-sharing credits and payouts debit.

Per person: `worker:{user_id}:payable`, `employer:{enterprise_id}:payable`, and, for an
inventor without an account on the platform, `contributor:{contributor_id}:payable` (their part
is kept for them there until staff pay it). Platform-wide: `platform:proceeds-to-share`, where
money received for an innovation waits for the moment it is shared (the same instant, in the
same transaction), plus the union fund and the platform fee revenue of marketplace's ledger.
"""

from accounts.models import Enterprise, User
from innovations.models import Contributor
from marketplace.models import LedgerAccount

PROCEEDS_TO_SHARE = "platform:proceeds-to-share"
PROCEEDS_TO_SHARE_NAME = "待分享收益 Proceeds to share"


def proceeds_to_share_account() -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        code=PROCEEDS_TO_SHARE, defaults={"name": PROCEEDS_TO_SHARE_NAME}
    )
    return account


def worker_payable_account(user: User) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        code=f"worker:{user.pk}:payable",
        defaults={"name": f"应付职工 Worker payable · {user}", "user": user},
    )
    return account


def contributor_payable_account(contributor: Contributor) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        code=f"contributor:{contributor.pk}:payable",
        defaults={"name": f"应付发明人 Inventor payable · {contributor.name}"},
    )
    return account


def employer_payable_account(enterprise: Enterprise) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        code=f"employer:{enterprise.pk}:payable",
        defaults={
            "name": f"应付单位 Employer payable · {enterprise.name}",
            "enterprise": enterprise,
        },
    )
    return account


def is_payable_account(account: LedgerAccount) -> bool:
    return account.code.endswith(":payable") and account.code.split(":", 1)[0] in {
        "worker",
        "employer",
        "contributor",
    }
