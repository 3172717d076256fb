"""Domain errors of the marketplace. Views, the admin and the API show `message` to the user."""

from django.utils.translation import gettext_lazy as _

from accounts.exceptions import DomainError


class MarketplaceError(DomainError):
    code = "marketplace_error"
    default_message = _("This change is not allowed.")


class SessionTimesError(MarketplaceError):
    code = "session_times"


class SessionTransitionError(MarketplaceError):
    code = "session_transition"
    default_message = _("An auction session that is “%(status)s” cannot become “%(target)s”.")


class SessionSeasonTakenError(MarketplaceError):
    code = "season_taken"
    default_message = _("There is already an auction session for %(season)s %(year)s.")


class SessionNotEditableError(MarketplaceError):
    code = "session_not_editable"
    default_message = _("Lots can only be added or changed before bidding opens.")


class LotInvalidError(MarketplaceError):
    code = "lot_invalid"


class LotDisclosureIncompleteError(MarketplaceError):
    code = "disclosure_incomplete"
    default_message = _("Complete the disclosure before publishing: %(missing)s.")


class LotTransitionError(MarketplaceError):
    code = "lot_transition"
    default_message = _("A lot that is “%(status)s” cannot be %(action)s.")


class EnterpriseNotVerifiedError(MarketplaceError):
    code = "enterprise_unverified"
    default_message = _(
        "Your enterprise has not been verified yet. Union staff check new enterprises; you can "
        "pay deposits and bid once they have."
    )


class DepositError(MarketplaceError):
    code = "deposit_error"


class PaymentError(MarketplaceError):
    code = "payment_error"
    default_message = _("The payment service could not be reached. Please try again in a minute.")


class BidRefusedError(MarketplaceError):
    """A bid that is not accepted. `code` is the stable machine-readable reason (API)."""

    code = "bid_refused"


class BidInvalidAmountError(BidRefusedError):
    code = "invalid_amount"
    default_message = _(
        "Enter an amount in yuan with at most two decimal places, more than zero and at most "
        "¥10,000,000,000."
    )


class BidBelowMinimumError(BidRefusedError):
    code = "below_minimum"
    default_message = _("The lowest bid accepted now is %(minimum)s.")


class BidLotNotOpenError(BidRefusedError):
    code = "lot_not_open"
    default_message = _("This lot is not open for bidding.")


class BidDepositUnpaidError(BidRefusedError):
    code = "deposit_unpaid"
    default_message = _("Pay this lot's deposit before bidding on it.")


class BidEnterpriseUnverifiedError(BidRefusedError):
    code = "enterprise_unverified"
    default_message = _(
        "Only members of a verified enterprise can bid. Union staff verify new enterprises."
    )


class BidRateLimitedError(BidRefusedError):
    code = "rate_limited"
    default_message = _("Too many bids in a short time; wait a second and try again.")


class BidNotAboveOwnMaximumError(BidRefusedError):
    code = "not_above_own_maximum"
    default_message = _(
        "You are leading with a maximum of %(maximum)s; a new maximum must be higher."
    )


class BidImmutableError(MarketplaceError):
    code = "bid_immutable"
    default_message = _("Accepted bids are a record and cannot be changed or deleted.")


# --- Settlement, refunds and defaults (marketplace.services.settlement, .refunds, .defaults) ---


class SettlementError(MarketplaceError):
    code = "settlement_error"


class SettlementNotPayableError(SettlementError):
    code = "settlement_not_payable"
    default_message = _("This purchase is “%(status)s”; it takes no more payments.")


class SettlementOverpaymentError(SettlementError):
    code = "settlement_overpayment"
    default_message = _(
        "%(amount)s is more than the balance still due, %(balance)s. Record at most the balance."
    )


class SettlementAmountInvalidError(SettlementError):
    code = "settlement_amount_invalid"
    default_message = _("Enter an amount in yuan with at most two decimal places, above zero.")


class SettlementCardLimitError(SettlementError):
    code = "settlement_card_limit"
    default_message = _(
        "The balance of %(balance)s is more than one online payment can take (%(limit)s). "
        "Pay it by bank transfer; union staff confirm it when it arrives."
    )


class SettlementDefaultError(SettlementError):
    code = "settlement_default"


class RefundError(MarketplaceError):
    code = "refund_error"


class RefundUnreachableError(PaymentError):
    """Stripe gave no answer: the refund may or may not exist, so retry with the same key."""

    code = "refund_unreachable"


class RefundRefusedError(PaymentError):
    """Stripe answered with an error: nothing was refunded, so the next try needs a new key."""

    code = "refund_refused"


class GoalError(MarketplaceError):
    code = "goal_error"


class GoalPermissionError(GoalError):
    code = "goal_permission"
    default_message = _("Only union staff change the goal.")


class GoalAmountInvalidError(GoalError):
    code = "goal_amount_invalid"
    default_message = _(
        "Enter the goal in yuan with at most two decimal places, above zero and at most "
        "%(maximum)s."
    )


class GoalWindowInvalidError(GoalError):
    code = "goal_window_invalid"
    default_message = _("The goal's window must end after the day it starts.")
