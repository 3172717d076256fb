"""Domain errors of licensing and profit-sharing. Views and the admin show `str(error)`."""

from django.utils.translation import gettext_lazy as _

from accounts.exceptions import DomainError


class LicensingError(DomainError):
    code = "licensing_error"
    default_message = _("This change is not allowed.")


class AgreementTransitionError(LicensingError):
    code = "agreement_transition"
    default_message = _("An agreement that is “%(status)s” cannot become “%(target)s”.")


class AgreementIncompleteError(LicensingError):
    code = "agreement_incomplete"
    default_message = _("Complete the agreement before it is signed: %(missing)s.")


class AgreementReasonInvalidError(LicensingError):
    code = "agreement_reason_invalid"
    default_message = _(
        "Give the reason in at most %(limit)s characters; terminating an agreement needs one."
    )


class AgreementNotEditableError(LicensingError):
    code = "agreement_not_editable"
    default_message = _("Only a draft agreement can be changed; this one is “%(status)s”.")


class AgreementInvalidError(LicensingError):
    code = "agreement_invalid"


class IncomeRefusedError(LicensingError):
    code = "income_refused"


class IncomeDuplicateError(IncomeRefusedError):
    code = "income_duplicate"
    default_message = _(
        "Income with the reference “%(reference)s” is already recorded under this agreement."
    )


class IncomeAgreementNotInForceError(IncomeRefusedError):
    code = "agreement_not_in_force"
    default_message = _(
        "Income can be recorded only under a signed agreement or one in force; this one is "
        "“%(status)s”."
    )


class AmountInvalidError(LicensingError):
    code = "amount_invalid"
    default_message = _("Enter an amount in yuan with at most two decimal places, above zero.")


class SharingPlanInvalidError(LicensingError):
    code = "sharing_plan_invalid"
    default_message = _(
        "The parts of a profit-sharing plan must add up to exactly 100%%; these add up to "
        "%(total)s%%."
    )


class SharingNoInnovationError(LicensingError):
    code = "sharing_no_innovation"
    default_message = _("Money can be shared only for at least one innovation.")


class SharingNoContributorError(LicensingError):
    code = "sharing_no_contributor"
    default_message = _("The innovation “%(title)s” has no inventors to share the inventors' part.")


class PayoutRefusedError(LicensingError):
    code = "payout_refused"


class PayoutAboveOwedError(PayoutRefusedError):
    code = "payout_above_owed"
    default_message = _("%(payee)s is owed %(owed)s; a payout of %(amount)s is more than that.")


class PayoutBatchNotOpenError(PayoutRefusedError):
    code = "payout_batch_not_open"
    default_message = _("This payout batch is already paid.")


class PayoutBatchEmptyError(PayoutRefusedError):
    code = "payout_batch_empty"
    default_message = _("Choose at least one payee with money owed.")


class PayoutProfileInvalidError(LicensingError):
    code = "payout_profile_invalid"
    default_message = _("Enter the account holder, the bank and the account number.")


class PayoutAccountNumberInvalidError(PayoutProfileInvalidError):
    code = "payout_account_number_invalid"
    default_message = _(
        "A bank account number is 8 to 30 digits (spaces are allowed between them)."
    )


class PayoutProfileMissingError(PayoutRefusedError):
    code = "payout_profile_missing"
    default_message = _(
        "%(payee)s has no bank details, so the bank cannot pay them in a batch. Ask them to "
        "enter their bank details under “My earnings”, or enter them in the admin first."
    )


class IncomeReversalRefusedError(LicensingError):
    code = "income_reversal_refused"
    default_message = _("Give the reason for the reversal (at most 300 characters).")


class IncomeAlreadyReversedError(IncomeReversalRefusedError):
    code = "income_already_reversed"
    default_message = _("This income was already reversed.")


class IncomeReversalPaidOutError(IncomeReversalRefusedError):
    code = "income_reversal_paid_out"
    default_message = _(
        "Nothing was reversed: %(payee)s got %(part)s of this income, but only %(available)s "
        "is still owed to them and not in a bank batch — the rest has been paid out (or is on "
        "its way). Recover the overpayment from them outside the platform, or wait until more "
        "is owed to them, then reverse."
    )
