"""innovations.services.drafting refuses changes outside a draft or a returned innovation."""

from decimal import Decimal

import pytest

from accounts.choices import Role
from innovations.choices import Status, Tier
from innovations.exceptions import (
    ContributorInvalidError,
    InnovationNotEditableError,
    InnovationPermissionError,
)
from innovations.services.drafting import (
    ContributorInput,
    InnovationContent,
    contributors_replace,
    innovation_update_draft,
)
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory


def content_for(innovation, **changes) -> InnovationContent:
    values = {
        "title": innovation.title,
        "summary": innovation.summary,
        "description": innovation.description,
        "category": innovation.category,
        "technical_field": innovation.technical_field,
        "employer": innovation.employer,
        "expected_benefit": innovation.expected_benefit,
    }
    values.update(changes)
    return InnovationContent(**values)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.REJECTED])
def test_editing_outside_draft_or_returned_is_refused(worker, status):
    innovation = InnovationFactory(owner=worker, status=status, tier=Tier.TRANSACT)

    with pytest.raises(InnovationNotEditableError):
        innovation_update_draft(
            innovation=innovation, actor=worker, content=content_for(innovation, title="改名")
        )

    innovation.refresh_from_db()
    assert innovation.title != "改名"


def test_a_returned_innovation_can_be_edited(worker):
    innovation = InnovationFactory(owner=worker, status=Status.RETURNED)

    innovation_update_draft(
        innovation=innovation, actor=worker, content=content_for(innovation, title="改进后的名称")
    )

    innovation.refresh_from_db()
    assert innovation.title == "改进后的名称"


def test_only_the_submitter_edits(worker):
    innovation = InnovationFactory(owner=worker)

    with pytest.raises(InnovationPermissionError):
        innovation_update_draft(
            innovation=innovation,
            actor=UserFactory(role=Role.WORKER),
            content=content_for(innovation, title="别人改的"),
        )


def test_script_in_the_description_is_removed_when_saved(worker):
    innovation = InnovationFactory(owner=worker)

    updated = innovation_update_draft(
        innovation=innovation,
        actor=worker,
        content=content_for(
            innovation, description='<p onclick="x()">说明<script>alert(1)</script></p>'
        ),
    )

    assert updated.description == "<p>说明</p>"


@pytest.mark.parametrize(
    "contributors",
    [
        [],
        [ContributorInput(share=Decimal("0"), name="甲")],
        [ContributorInput(share=Decimal("100.01"), name="甲")],
        [ContributorInput(share=Decimal("33.333"), name="甲")],
        [ContributorInput(share=Decimal("50"), name="  ")],
    ],
    ids=["none", "zero", "over-100", "three-decimals", "no-name"],
)
def test_bad_contributor_lists_are_refused_and_the_old_list_kept(worker, contributors):
    innovation = InnovationFactory(owner=worker)

    with pytest.raises(ContributorInvalidError):
        contributors_replace(innovation=innovation, actor=worker, contributors=contributors)

    assert innovation.contributors.get().user == worker


def test_the_same_worker_twice_is_refused(worker):
    innovation = InnovationFactory(owner=worker)
    twice = [ContributorInput(share=Decimal("50"), user=worker)] * 2

    with pytest.raises(ContributorInvalidError):
        contributors_replace(innovation=innovation, actor=worker, contributors=twice)
