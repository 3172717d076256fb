"""The union staff's review form in the Wagtail admin. It parses a decision; the rules live in
innovations.services.review, which the admin view calls with the cleaned data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innovations.choices import ReviewAction, Status, Tier
from innovations.exceptions import ReviewCommentRequiredError
from innovations.models import Innovation

DECISION_LABELS = {
    ReviewAction.APPROVE: _("Approve"),
    ReviewAction.RETURN: _("Return for changes"),
    ReviewAction.REJECT: _("Reject"),
    ReviewAction.GRADE: _("Change the grade"),
}
# The status each decision moves the innovation to; grading keeps it approved.
DECISION_TARGET_STATUS = {
    ReviewAction.APPROVE: Status.APPROVED,
    ReviewAction.RETURN: Status.RETURNED,
    ReviewAction.REJECT: Status.REJECTED,
}
DECISIONS_NEEDING_A_COMMENT = {ReviewAction.RETURN, ReviewAction.REJECT}
DECISIONS_NEEDING_A_TIER = {ReviewAction.APPROVE, ReviewAction.GRADE}


def review_decisions_for(innovation: Innovation) -> list[str]:
    """The decisions worth offering for the innovation's current status, from the same
    transitions map the services check."""
    decisions = [
        decision
        for decision, status in DECISION_TARGET_STATUS.items()
        if innovation.can_move_to(status)
    ]
    if innovation.status == Status.APPROVED:
        decisions.append(ReviewAction.GRADE)
    return decisions


class InnovationReviewForm(forms.Form):
    # Not called "action": a field of that name hides the <form>'s own action in the browser.
    decision = forms.ChoiceField(
        label=_("Decision"), choices=list(DECISION_LABELS.items()), widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Required to return or reject an innovation: the worker needs to know why. "
            "The worker receives it by email."
        ),
    )
    tier = forms.ChoiceField(
        label=_("Incubation tier"),
        choices=[("", "---------"), *Tier.choices],
        required=False,
        help_text=_("Required to approve an innovation or to change its grade."),
    )
    is_excellent = forms.BooleanField(label=_("Excellent project"), required=False)
    is_high_value_patent = forms.BooleanField(label=_("High-value patent"), required=False)

    def __init__(self, *args, innovation: Innovation, **kwargs):
        self.innovation = innovation
        self.available_decisions = review_decisions_for(innovation)
        if innovation.status == Status.APPROVED:
            kwargs["initial"] = {
                "decision": ReviewAction.GRADE,
                "tier": innovation.tier,
                "is_excellent": innovation.is_excellent,
                "is_high_value_patent": innovation.is_high_value_patent,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        # Only the decisions that fit the current status are offered, but any decision is
        # accepted: when someone else decided first, the service refuses it with a message that
        # says why, which is clearer than "not one of the available choices".
        self.fields["decision"].widget.choices = [
            (decision, DECISION_LABELS[decision]) for decision in self.available_decisions
        ]

    def clean(self):
        cleaned_data = super().clean()
        decision = cleaned_data.get("decision")
        if decision in DECISIONS_NEEDING_A_COMMENT and not cleaned_data.get("comment", "").strip():
            self.add_error("comment", ReviewCommentRequiredError.default_message)
        if decision in DECISIONS_NEEDING_A_TIER and not cleaned_data.get("tier"):
            self.add_error("tier", _("Choose an incubation tier."))
        return cleaned_data
