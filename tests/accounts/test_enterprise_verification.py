"""Union staff verify or reject enterprises in the Wagtail admin; a rejected enterprise corrects
its details and resubmits. Services, the members' resubmission form and the admin screens."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry
from wagtail.users.models import UserProfile

from accounts.choices import District, Role, VerificationStatus
from accounts.exceptions import (
    EnterpriseCreditCodeInvalidError,
    EnterpriseCreditCodeMissingError,
    EnterpriseCreditCodeTakenError,
    EnterpriseNotMemberError,
    EnterprisePermissionError,
    EnterpriseRejectionReasonRequiredError,
    EnterpriseTransitionError,
)
from accounts.models import Enterprise
from accounts.services.enterprises import (
    ACTION_VERBS,
    LOG_REJECT,
    LOG_SUBMIT,
    LOG_VERIFY,
    enterprise_reject,
    enterprise_resubmit,
    enterprise_verify,
)
from innovations.models import Industry
from tests.factories.accounts import EnterpriseFactory, UserFactory, credit_code

QUEUE_URL = "/admin/enterprises/?status=pending"
DETAIL_URL_EN = "/en/accounts/enterprise/"
RESUBMIT_URL_EN = "/en/accounts/enterprise/resubmit/"
REASON = "营业执照上的名称为“上海浦江新材料科技有限公司”，请核对。"


def inspect_url(enterprise: Enterprise) -> str:
    return reverse("enterprises_admin:inspect", args=[enterprise.pk])


def verify_url(enterprise: Enterprise) -> str:
    return reverse("enterprises_admin:verify", args=[enterprise.pk])


def snapshot(enterprise: Enterprise) -> tuple:
    enterprise.refresh_from_db()
    return (
        enterprise.verification_status,
        enterprise.verified_at,
        enterprise.verified_by_id,
        enterprise.rejection_reason,
        enterprise.name,
        enterprise.credit_code,
        ModelLogEntry.objects.count(),
    )


def in_language(message, language: str = "zh-hans") -> str:
    with translation.override(language):
        return str(message)


def pending(**fields) -> Enterprise:
    return EnterpriseFactory(verification_status=VerificationStatus.PENDING, **fields)


@pytest.fixture
def automotive(db) -> Industry:
    return Industry.objects.get(slug="automotive")


@pytest.fixture
def enterprise(db) -> Enterprise:
    return pending(name="上海浦江新材料科技股份有限公司")


@pytest.fixture
def members(enterprise):
    return [
        UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise, email="a@example.com"),
        UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise, email="b@example.com"),
        # Mobile-only: reads the decision on the enterprise page.
        UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise, email=""),
    ]


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


# The services


def test_verifying_records_who_and_when_and_emails_each_member(
    enterprise, members, union_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_verify(staff_user=union_staff, enterprise=enterprise)

    enterprise.refresh_from_db()
    assert enterprise.verification_status == VerificationStatus.VERIFIED
    assert enterprise.is_verified
    assert enterprise.verified_by == union_staff
    assert enterprise.verified_at is not None
    entry = ModelLogEntry.objects.get(action=LOG_VERIFY)
    assert (entry.object_id, entry.user) == (str(enterprise.pk), union_staff)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.com", "b@example.com"]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert enterprise.name in mail.outbox[0].subject
    assert "http://testserver/accounts/enterprise/" in mail.outbox[0].body
    assert "http://testserver/en/accounts/enterprise/" in mail.outbox[0].body


def test_rejecting_records_the_reason_and_emails_it_to_the_members(
    enterprise, members, union_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_reject(staff_user=union_staff, enterprise=enterprise, reason=f"  {REASON} ")

    enterprise.refresh_from_db()
    assert enterprise.verification_status == VerificationStatus.REJECTED
    assert enterprise.rejection_reason == REASON
    assert (enterprise.verified_at, enterprise.verified_by) == (None, None)
    entry = ModelLogEntry.objects.get(action=LOG_REJECT)
    assert (entry.user, entry.data) == (union_staff, {"reason": REASON})
    assert len(mail.outbox) == 2
    assert REASON in mail.outbox[0].body


def test_a_superuser_may_verify(enterprise):
    enterprise_verify(staff_user=UserFactory(is_superuser=True), enterprise=enterprise)

    enterprise.refresh_from_db()
    assert enterprise.is_verified


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_rejecting_without_a_reason_is_refused(enterprise, union_staff, reason):
    before = snapshot(enterprise)

    with pytest.raises(EnterpriseRejectionReasonRequiredError):
        enterprise_reject(staff_user=union_staff, enterprise=enterprise, reason=reason)

    assert snapshot(enterprise) == before


@pytest.mark.parametrize("who", ["worker", "member of the enterprise", "inactive staff"])
def test_only_union_staff_and_superusers_decide(enterprise, members, who):
    user = {
        "worker": lambda: UserFactory(role=Role.WORKER),
        "member of the enterprise": lambda: members[0],
        "inactive staff": lambda: UserFactory(role=Role.UNION_STAFF, is_active=False),
    }[who]()
    before = snapshot(enterprise)

    with pytest.raises(EnterprisePermissionError):
        enterprise_verify(staff_user=user, enterprise=enterprise)
    with pytest.raises(EnterprisePermissionError):
        enterprise_reject(staff_user=user, enterprise=enterprise, reason=REASON)

    assert snapshot(enterprise) == before


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (VerificationStatus.VERIFIED, "verify"),
        (VerificationStatus.VERIFIED, "reject"),
        (VerificationStatus.REJECTED, "verify"),
        (VerificationStatus.REJECTED, "reject"),
        (VerificationStatus.UNVERIFIED, "verify"),
        (VerificationStatus.UNVERIFIED, "reject"),
    ],
)
def test_only_a_pending_enterprise_can_be_decided(union_staff, status, decide):
    enterprise = EnterpriseFactory(verification_status=status)
    before = snapshot(enterprise)

    with pytest.raises(EnterpriseTransitionError) as raised:
        if decide == "verify":
            enterprise_verify(staff_user=union_staff, enterprise=enterprise)
        else:
            enterprise_reject(staff_user=union_staff, enterprise=enterprise, reason=REASON)

    assert snapshot(enterprise) == before
    target = VerificationStatus.VERIFIED if decide == "verify" else VerificationStatus.REJECTED
    with translation.override("en"):
        assert str(raised.value) == (
            f"An enterprise that is “{VerificationStatus(status).label}” cannot be "
            f"{ACTION_VERBS[target]}."
        )


def test_verifying_an_already_verified_enterprise_sends_no_email(
    union_staff, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory(verification_status=VerificationStatus.VERIFIED)
    UserFactory(enterprise=enterprise)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(EnterpriseTransitionError):
        enterprise_verify(staff_user=union_staff, enterprise=enterprise)

    assert mail.outbox == []


@pytest.mark.parametrize(
    ("stored_code", "error"),
    [
        ("", EnterpriseCreditCodeMissingError),
        ("91350100M000100Y44", EnterpriseCreditCodeInvalidError),
    ],
)
def test_verifying_needs_a_valid_credit_code(union_staff, stored_code, error):
    # Only possible through data written outside the services, e.g. an import.
    enterprise = pending()
    Enterprise.objects.filter(pk=enterprise.pk).update(credit_code=stored_code)
    before = snapshot(enterprise)

    with pytest.raises(error):
        enterprise_verify(staff_user=union_staff, enterprise=enterprise)

    assert snapshot(enterprise) == before


# Correcting and resubmitting


def resubmission(industry: Industry, /, **overrides) -> dict:
    return {
        "name": "上海浦江新材料科技有限公司",
        "credit_code": credit_code(9001),
        "district": District.MINHANG,
        "industry": industry,
        "contact_name": "李秀英",
        "contact_phone": "13912345678",
        **overrides,
    }


@pytest.fixture
def rejected(enterprise, union_staff):
    return enterprise_reject(staff_user=union_staff, enterprise=enterprise, reason=REASON)


def test_a_rejected_enterprise_corrects_its_details_and_is_pending_again(
    rejected, members, automotive
):
    enterprise_resubmit(user=members[1], **resubmission(automotive))

    rejected.refresh_from_db()
    assert rejected.verification_status == VerificationStatus.PENDING
    assert rejected.rejection_reason == ""
    assert (rejected.name, rejected.credit_code) == (
        "上海浦江新材料科技有限公司",
        credit_code(9001),
    )
    assert (rejected.district, rejected.industry) == (District.MINHANG, automotive)
    assert ModelLogEntry.objects.filter(action=LOG_REJECT).get().data == {"reason": REASON}
    assert ModelLogEntry.objects.filter(action=LOG_SUBMIT).get().user == members[1]


def test_keeping_the_same_credit_code_is_not_a_duplicate(rejected, members, automotive):
    enterprise_resubmit(
        user=members[0], **resubmission(automotive, credit_code=rejected.credit_code.lower())
    )

    rejected.refresh_from_db()
    assert rejected.verification_status == VerificationStatus.PENDING


@pytest.mark.parametrize(
    "status", [VerificationStatus.PENDING, VerificationStatus.VERIFIED], ids=str
)
def test_only_a_rejected_or_unsubmitted_enterprise_can_be_resubmitted(
    members, enterprise, automotive, status
):
    Enterprise.objects.filter(pk=enterprise.pk).update(verification_status=status)
    before = snapshot(enterprise)

    with pytest.raises(EnterpriseTransitionError):
        enterprise_resubmit(user=members[0], **resubmission(automotive))

    assert snapshot(enterprise) == before


@pytest.mark.parametrize(
    ("who", "overrides", "error"),
    [
        ("worker", {}, EnterpriseNotMemberError),
        ("member", {"credit_code": "91350100M000100Y44"}, EnterpriseCreditCodeInvalidError),
        ("member", {"credit_code": credit_code(9002)}, EnterpriseCreditCodeTakenError),
    ],
)
def test_a_refused_resubmission_changes_nothing(
    rejected, members, automotive, who, overrides, error
):
    EnterpriseFactory(credit_code=credit_code(9002))
    user = members[0] if who == "member" else UserFactory(role=Role.WORKER, employer=rejected)
    before = snapshot(rejected)

    with pytest.raises(error):
        enterprise_resubmit(user=user, **resubmission(automotive, **overrides))

    assert snapshot(rejected) == before


def test_the_members_page_shows_the_reason_and_a_form_filled_with_the_details(
    client, rejected, members
):
    client.force_login(members[0])

    page = client.get(DETAIL_URL_EN).content.decode()

    assert "营业执照上的名称为" in page
    assert f'value="{rejected.credit_code}"' in page
    assert 'name="details-name"' in page


def test_resubmitting_from_the_members_page(client, rejected, members, automotive):
    client.force_login(members[0])
    data = {f"details-{key}": value for key, value in resubmission(automotive).items()}
    data["details-industry"] = automotive.pk

    response = client.post(RESUBMIT_URL_EN, data, follow=True)

    rejected.refresh_from_db()
    assert rejected.verification_status == VerificationStatus.PENDING
    page = response.content.decode()
    assert "Your corrections are sent." in page
    assert "Union staff are checking your enterprise" in page
    assert 'name="details-name"' not in page


def test_a_bad_resubmission_from_the_page_says_why_and_changes_nothing(
    client, rejected, members, automotive
):
    client.force_login(members[0])
    data = {f"details-{key}": value for key, value in resubmission(automotive).items()}
    data.update({"details-industry": automotive.pk, "details-credit_code": "91350100M000100Y4"})
    before = snapshot(rejected)

    response = client.post(RESUBMIT_URL_EN, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_details-credit_code"' in page
    assert "this one has 17" in page
    assert snapshot(rejected) == before


def test_resubmitting_a_pending_enterprise_from_the_page_is_refused(
    client, enterprise, members, automotive
):
    client.force_login(members[0])
    data = {f"details-{key}": value for key, value in resubmission(automotive).items()}
    data["details-industry"] = automotive.pk
    before = snapshot(enterprise)

    response = client.post(RESUBMIT_URL_EN, data)

    assert response.status_code == 200
    assert "cannot be submitted for verification" in response.content.decode()
    assert snapshot(enterprise) == before


# The admin: the queue and the listing


def test_the_verification_queue_lists_pending_enterprises_only_in_chinese(staff_client, enterprise):
    EnterpriseFactory(name="已认证的企业", verification_status=VerificationStatus.VERIFIED)
    EnterpriseFactory(name="工人填写的雇主", credit_code="")

    response = staff_client.get(QUEUE_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert enterprise.name in page
    assert enterprise.credit_code in page
    assert "已认证的企业" not in page
    assert "工人填写的雇主" not in page


def test_the_queue_renders_in_english_for_staff_who_chose_english(client, union_staff, enterprise):
    profile = UserProfile.get_for_user(union_staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(union_staff)

    page = client.get(QUEUE_URL).content.decode()

    assert '<html lang="en"' in page
    assert "Verification queue" in page
    assert "Awaiting verification" in page
    assert enterprise.name in page


def test_all_enterprises_are_listed_oldest_registration_first(staff_client, enterprise):
    EnterpriseFactory(name="后登记的企业", verification_status=VerificationStatus.VERIFIED)

    page = staff_client.get("/admin/enterprises/").content.decode()

    assert page.index(enterprise.name) < page.index("后登记的企业")


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("district=minhang", "闵行的企业", "浦东的企业"),
        ("industry={automotive}", "浦东的企业", "闵行的企业"),
    ],
)
def test_the_queue_filters_by_district_and_industry(
    staff_client, automotive, query, found, not_found
):
    pending(name="闵行的企业", district=District.MINHANG)
    pending(name="浦东的企业", district=District.PUDONG, industry=automotive)

    page = staff_client.get(f"{QUEUE_URL}&{query.format(automotive=automotive.pk)}")

    assert found in page.content.decode()
    assert not_found not in page.content.decode()


def test_search_finds_an_enterprise_by_its_credit_code(staff_client, enterprise):
    pending(name="另一家企业")

    page = staff_client.get(f"{QUEUE_URL}&q={enterprise.credit_code[-6:]}").content.decode()

    assert enterprise.name in page
    assert "另一家企业" not in page


def test_search_finds_a_chinese_word_inside_the_name(staff_client, enterprise):
    pending(name="上海临港智能装备有限公司")

    page = staff_client.get(f"{QUEUE_URL}&q=新材料").content.decode()

    assert enterprise.name in page
    assert "上海临港智能装备有限公司" not in page


def test_each_queue_row_links_to_its_inspect_page_and_verification_form(staff_client, enterprise):
    page = staff_client.get(QUEUE_URL).content.decode()

    assert inspect_url(enterprise) in page
    assert verify_url(enterprise) in page


def test_the_listing_query_count_does_not_grow_with_its_rows(
    staff_client, automotive, django_assert_max_num_queries
):
    for n in range(10):
        pending(name=f"批量企业{n}", industry=automotive)

    with django_assert_max_num_queries(18):
        response = staff_client.get("/admin/enterprises/")

    assert response.status_code == 200
    assert response.content.decode().count("批量企业") >= 10


def test_the_admin_menu_offers_the_verification_queue_to_staff(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert QUEUE_URL in page


# The admin: inspect and decide


def test_the_inspect_page_shows_details_members_and_history(
    staff_client, rejected, members, automotive, union_staff
):
    enterprise_resubmit(user=members[0], **resubmission(automotive))

    response = staff_client.get(inspect_url(rejected))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert "上海浦江新材料科技有限公司" in page
    assert credit_code(9001) in page
    assert "13912345678" in page
    for member in members:
        assert member.get_full_name() in page
    assert "a@example.com" in page
    assert REASON in page  # the history keeps the reason the resubmission cleared
    assert union_staff.get_full_name() in page
    assert verify_url(rejected) in page


def test_a_verified_enterprise_can_be_inspected_but_offers_no_decision(
    staff_client, enterprise, union_staff
):
    enterprise_verify(staff_user=union_staff, enterprise=enterprise)

    page = staff_client.get(inspect_url(enterprise)).content.decode()

    assert enterprise.name in page
    assert verify_url(enterprise) not in page


def test_the_verification_form_offers_both_decisions_for_a_pending_enterprise(
    staff_client, enterprise
):
    response = staff_client.get(verify_url(enterprise))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert 'value="verify"' in page
    assert 'value="reject"' in page


def test_verifying_from_the_admin(
    staff_client, enterprise, members, union_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(verify_url(enterprise), {"decision": "verify", "reason": ""})

    assert response.status_code == 302
    assert response["Location"] == inspect_url(enterprise)
    enterprise.refresh_from_db()
    assert (enterprise.verification_status, enterprise.verified_by) == (
        VerificationStatus.VERIFIED,
        union_staff,
    )
    assert len(mail.outbox) == 2


def test_rejecting_from_the_admin_with_a_reason(staff_client, enterprise):
    response = staff_client.post(verify_url(enterprise), {"decision": "reject", "reason": REASON})

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.verification_status, enterprise.rejection_reason) == (
        VerificationStatus.REJECTED,
        REASON,
    )


def test_rejecting_from_the_admin_without_a_reason_says_why_and_changes_nothing(
    staff_client, enterprise
):
    before = snapshot(enterprise)

    response = staff_client.post(verify_url(enterprise), {"decision": "reject", "reason": "  "})

    assert response.status_code == 200
    assert (
        in_language(EnterpriseRejectionReasonRequiredError.default_message)
        in response.content.decode()
    )
    assert snapshot(enterprise) == before


def test_a_decision_that_no_longer_fits_is_refused_with_the_domain_message(
    staff_client, enterprise, union_staff
):
    # Another member of staff verified it while this one had the form open.
    enterprise_verify(staff_user=UserFactory(role=Role.UNION_STAFF), enterprise=enterprise)
    before = snapshot(enterprise)

    response = staff_client.post(verify_url(enterprise), {"decision": "verify", "reason": ""})

    expected = EnterpriseTransitionError(
        status=in_language(VerificationStatus.VERIFIED.label),
        action=in_language(ACTION_VERBS[VerificationStatus.VERIFIED]),
    )
    assert response.status_code == 200
    assert in_language(expected) in response.content.decode()
    assert snapshot(enterprise) == before


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_only_reviewers_reach_the_queue_the_inspect_page_and_the_form(
    client, enterprise, members, who
):
    if who == "worker":
        client.force_login(UserFactory(role=Role.WORKER))
    elif who == "enterprise_member":
        client.force_login(members[0])
    before = snapshot(enterprise)

    responses = [
        client.get(QUEUE_URL),
        client.get(inspect_url(enterprise)),
        client.get(verify_url(enterprise)),
        client.post(verify_url(enterprise), {"decision": "verify", "reason": ""}),
    ]

    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert snapshot(enterprise) == before


def test_staff_have_no_url_to_add_edit_copy_or_delete_enterprises(staff_client, enterprise):
    for name in ("add", "edit", "copy", "delete", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"enterprises_admin:{name}", args=[] if name == "add" else [enterprise.pk])

    for path in (
        "/admin/enterprises/new/",
        f"/admin/enterprises/edit/{enterprise.pk}/",
        f"/admin/enterprises/copy/{enterprise.pk}/",
        f"/admin/enterprises/delete/{enterprise.pk}/",
    ):
        assert staff_client.get(path).status_code == 404
        assert staff_client.post(path, {"name": "改掉名称"}).status_code == 404
    enterprise.refresh_from_db()
    assert enterprise.name == "上海浦江新材料科技股份有限公司"


def test_the_admin_policy_lets_reviewers_view_and_verify_but_nobody_change(
    union_staff, worker, enterprise
):
    policy = policy_registry.get_by_type(Enterprise)
    superuser = UserFactory(is_superuser=True)

    for reviewer in (union_staff, superuser):
        assert policy.user_has_permission(reviewer, "view")
        assert policy.user_has_permission(reviewer, "verify")
        assert policy.user_has_permission_for_instance(reviewer, "verify", enterprise)
        assert not policy.user_has_any_permission(reviewer, ["add", "change", "delete"])
    assert not policy.user_has_any_permission(worker, ["view", "verify"])
    assert set(policy.users_with_permission("verify")) == {union_staff, superuser}


def test_the_inspect_page_shows_times_in_shanghai(staff_client, enterprise):
    # 16:30 UTC on 30 April is 00:30 on 1 May in Shanghai.
    Enterprise.objects.filter(pk=enterprise.pk).update(
        created_at=datetime(2026, 4, 30, 16, 30, tzinfo=UTC)
    )

    page = staff_client.get(inspect_url(enterprise)).content.decode()

    assert "2026-05-01 00:30" in page
    assert "16:30" not in page
