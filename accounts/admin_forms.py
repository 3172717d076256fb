"""The union staff's verification form in the Wagtail admin. It parses a decision; the rules live
in accounts.services.enterprises, which the admin view calls with the cleaned data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import VerificationStatus
from accounts.exceptions import EnterpriseRejectionReasonRequiredError
from accounts.models import Enterprise
from accounts.services.enterprises import enterprise_can_move_to

DECISION_VERIFY = "verify"
DECISION_REJECT = "reject"
DECISION_LABELS = {
    DECISION_VERIFY: _("Verify"),
    DECISION_REJECT: _("Reject"),
}
# The status each decision moves the enterprise to.
DECISION_TARGET_STATUS = {
    DECISION_VERIFY: VerificationStatus.VERIFIED,
    DECISION_REJECT: VerificationStatus.REJECTED,
}


def verification_decisions_for(enterprise: Enterprise) -> list[str]:
    """The decisions worth offering for the enterprise's current status, from the same
    transitions map the services check."""
    return [
        decision
        for decision, status in DECISION_TARGET_STATUS.items()
        if enterprise_can_move_to(enterprise, status)
    ]


class EnterpriseVerificationForm(forms.Form):
    # Not called "action": a field of that name hides the <form>'s own action in the browser.
    decision = forms.ChoiceField(
        label=_("Decision"), choices=list(DECISION_LABELS.items()), widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Required to reject: say what the enterprise must correct. Its members receive it "
            "by email and see it on their enterprise page."
        ),
    )

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        self.enterprise = enterprise
        self.available_decisions = verification_decisions_for(enterprise)
        super().__init__(*args, **kwargs)
        # Only the decisions that fit the current status are offered, but any decision is
        # accepted: when someone else decided first, the service refuses it with a message that
        # says why, which is clearer than "not one of the available choices".
        self.fields["decision"].widget.choices = [
            (decision, DECISION_LABELS[decision]) for decision in self.available_decisions
        ]

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") == DECISION_REJECT
            and not cleaned_data.get("reason", "").strip()
        ):
            self.add_error("reason", EnterpriseRejectionReasonRequiredError.default_message)
        return cleaned_data
