from licensing.models.agreement import Agreement
from licensing.models.agreement_event import AgreementEvent
from licensing.models.certificate import CertificateCounter, TransactionCertificate
from licensing.models.income import IncomeRecord, IncomeReversal
from licensing.models.payout import Payout, PayoutBatch, PayoutProfile
from licensing.models.sharing import SharingEvent, SharingLine, SharingPlan

__all__ = [
    "Agreement",
    "AgreementEvent",
    "CertificateCounter",
    "IncomeRecord",
    "IncomeReversal",
    "Payout",
    "PayoutBatch",
    "PayoutProfile",
    "SharingEvent",
    "SharingLine",
    "SharingPlan",
    "TransactionCertificate",
]
