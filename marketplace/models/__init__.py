from marketplace.models.auction_session import AuctionSession
from marketplace.models.bid import Bid, BidderRegistration, Sale
from marketplace.models.deposit import CheckoutSession, Deposit, StripeEvent
from marketplace.models.goal import Goal, GoalChange
from marketplace.models.goal_deal import GoalDeal
from marketplace.models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction
from marketplace.models.lot import ConfidentialityAcceptance, Lot, LotDocument, LotInnovation, Watch
from marketplace.models.settlement import (
    BalanceCheckout,
    DepositRefund,
    Settlement,
    SettlementReceipt,
)

__all__ = [
    "AuctionSession",
    "Bid",
    "BidderRegistration",
    "Sale",
    "CheckoutSession",
    "ConfidentialityAcceptance",
    "Deposit",
    "Goal",
    "GoalChange",
    "GoalDeal",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "Lot",
    "LotDocument",
    "LotInnovation",
    "StripeEvent",
    "Watch",
    "BalanceCheckout",
    "DepositRefund",
    "Settlement",
    "SettlementReceipt",
]
