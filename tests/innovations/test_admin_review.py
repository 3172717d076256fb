"""Union staff review innovations in the Wagtail admin: the queue, the inspect page and the
review form. Workers and visitors get none of it, and nobody edits a worker's content there."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.permissions import policy_registry

from accounts.choices import Role
from innovations.choices import AttachmentKind, Category, ReviewAction, Status, Tier
from innovations.exceptions import InnovationTransitionError, ReviewCommentRequiredError
from innovations.models import Attachment, Contributor, Innovation
from innovations.services.review import (
    ACTION_VERBS,
    innovation_approve,
    innovation_reject,
    innovation_return,
    innovation_submit,
)
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory, PatentFactory

QUEUE_URL = "/admin/innovations/?status=submitted"


def inspect_url(innovation: Innovation) -> str:
    return reverse("innovations_admin:inspect", args=[innovation.pk])


def review_url(innovation: Innovation) -> str:
    return reverse("innovations_admin:review", args=[innovation.pk])


def submitted_innovation(**fields) -> Innovation:
    innovation = InnovationFactory(**fields)
    innovation_submit(innovation=innovation, actor=innovation.owner)
    innovation.refresh_from_db()
    return innovation


def snapshot(innovation: Innovation) -> tuple:
    innovation.refresh_from_db()
    return (
        innovation.status,
        innovation.tier,
        innovation.is_excellent,
        innovation.is_high_value_patent,
        innovation.review_events.count(),
    )


def in_chinese(message) -> str:
    with translation.override("zh-hans"):
        return str(message)


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def submitted(worker):
    return submitted_innovation(owner=worker, title="焊缝自动打磨小车")


@pytest.fixture
def draft(worker):
    return InnovationFactory(owner=worker, title="尚未提交的草稿")


# The queue and the listing


def test_the_review_queue_lists_submitted_innovations_only_in_chinese(
    staff_client, submitted, draft, union_staff
):
    approved = submitted_innovation(title="已批准的冲压模具")
    innovation_approve(innovation=approved, actor=union_staff, tier=Tier.NURTURE)

    response = staff_client.get(QUEUE_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert "焊缝自动打磨小车" in page
    assert "已批准的冲压模具" not in page
    assert "尚未提交的草稿" not in page


def test_all_innovations_are_listed_oldest_submission_first_but_never_drafts(
    staff_client, draft, union_staff
):
    later = submitted_innovation(title="后提交的夹具")
    earlier = submitted_innovation(title="先提交的量具")
    Innovation.objects.filter(pk=earlier.pk).update(
        submitted_at=later.submitted_at - timedelta(days=2)
    )
    innovation_approve(innovation=earlier, actor=union_staff, tier=Tier.INCUBATE)

    page = staff_client.get("/admin/innovations/").content.decode()

    assert page.index("先提交的量具") < page.index("后提交的夹具")
    assert "尚未提交的草稿" not in page


def test_the_queue_filters_by_category(staff_client, submitted):
    submitted_innovation(title="工位照明改造建议", category=Category.SUGGESTION)

    page = staff_client.get(f"{QUEUE_URL}&category={Category.SUGGESTION}").content.decode()

    assert "工位照明改造建议" in page
    assert "焊缝自动打磨小车" not in page


def test_the_queue_filters_by_submission_date(staff_client, submitted):
    old = submitted_innovation(title="去年提交的刀架")
    Innovation.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    today = timezone.localdate()

    page = staff_client.get(
        f"{QUEUE_URL}&submitted_at_from={today - timedelta(days=7):%Y-%m-%d}"
        f"&submitted_at_to={today:%Y-%m-%d}"
    ).content.decode()

    assert "焊缝自动打磨小车" in page
    assert "去年提交的刀架" not in page


def test_search_finds_a_chinese_word_inside_the_title(staff_client, submitted):
    submitted_innovation(title="数控机床冷却液回收装置")

    page = staff_client.get(f"{QUEUE_URL}&q=打磨").content.decode()

    assert "焊缝自动打磨小车" in page
    assert "数控机床冷却液回收装置" not in page


def test_search_also_looks_in_the_summary(staff_client):
    submitted_innovation(title="一号装置", summary="用磁力吸盘代替螺栓夹紧工件。")

    page = staff_client.get(f"{QUEUE_URL}&q=磁力吸盘").content.decode()

    assert "一号装置" in page


def test_each_queue_row_links_to_its_inspect_page_and_review_form(staff_client, submitted):
    page = staff_client.get(QUEUE_URL).content.decode()

    assert inspect_url(submitted) in page
    assert review_url(submitted) in page


def test_the_listing_query_count_does_not_grow_with_its_rows(
    staff_client, django_assert_max_num_queries
):
    for n in range(10):
        submitted_innovation(title=f"批量成果{n}")

    with django_assert_max_num_queries(18):
        response = staff_client.get("/admin/innovations/")

    assert response.status_code == 200
    assert response.content.decode().count("批量成果") >= 10


def test_the_admin_menu_offers_the_review_queue_to_staff(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert QUEUE_URL in page


# The inspect page


def test_the_inspect_page_shows_content_inventors_patents_files_and_history(
    staff_client, worker, union_staff
):
    innovation = InnovationFactory(owner=worker, title="焊缝自动打磨小车")
    Contributor.objects.filter(innovation=innovation).update(share="60.00")
    Contributor.objects.create(innovation=innovation, name="赵师傅", share="40.00")
    patent = PatentFactory(innovation=innovation)
    Attachment.objects.create(
        innovation=innovation,
        kind=AttachmentKind.DOCUMENT,
        file="innovations/0123456789abcdef.pdf",
        original_name="试验报告.pdf",
        content_type="application/pdf",
        size=2048,
        uploaded_by=worker,
    )
    innovation_submit(innovation=innovation, actor=worker)
    innovation_return(innovation=innovation, actor=union_staff, comment="请补充效益测算。")
    innovation_submit(innovation=innovation, actor=worker)

    response = staff_client.get(inspect_url(innovation))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert "在刀架上加装可调定位块" in page  # the description
    assert worker.get_full_name() in page
    assert "赵师傅" in page
    assert "40%" in page
    assert patent.number in page
    assert "试验报告.pdf" in page
    assert (
        reverse(
            "innovations:attachment_download",
            kwargs={"pk": innovation.pk, "attachment_pk": innovation.attachments.get().pk},
        )
        in page
    )
    assert "请补充效益测算。" in page
    assert union_staff.get_full_name() in page
    assert review_url(innovation) in page


def test_a_rejected_innovation_can_be_inspected_but_offers_no_review(
    staff_client, submitted, union_staff
):
    innovation_reject(innovation=submitted, actor=union_staff, reason="与已有专利重复。")

    page = staff_client.get(inspect_url(submitted)).content.decode()

    assert "与已有专利重复。" in page
    assert review_url(submitted) not in page


# The review form


def test_the_review_form_renders_in_chinese_with_the_decisions_for_a_submission(
    staff_client, submitted
):
    response = staff_client.get(review_url(submitted))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert 'value="approve"' in page
    assert 'value="return"' in page
    assert 'value="reject"' in page
    assert 'value="grade"' not in page


def test_approving_as_ready_to_transact_and_excellent(staff_client, submitted, union_staff):
    events_before = submitted.review_events.count()

    response = staff_client.post(
        review_url(submitted),
        {"decision": "approve", "tier": Tier.TRANSACT, "is_excellent": "on", "comment": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == inspect_url(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert submitted.tier == Tier.TRANSACT
    assert submitted.is_excellent is True
    assert submitted.is_high_value_patent is False
    assert submitted.review_events.count() == events_before + 1
    event = submitted.review_events.last()
    assert (event.action, event.actor, event.tier) == (
        ReviewAction.APPROVE,
        union_staff,
        Tier.TRANSACT,
    )


def test_the_decision_is_mailed_to_the_worker_after_commit(
    staff_client, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            review_url(submitted),
            {"decision": "return", "comment": "请补充现场照片。", "tier": ""},
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [submitted.owner.email]
    assert "请补充现场照片。" in mail.outbox[0].body


def test_approving_without_a_tier_is_refused(staff_client, submitted):
    before = snapshot(submitted)

    response = staff_client.post(review_url(submitted), {"decision": "approve", "tier": ""})

    assert response.status_code == 200
    assert snapshot(submitted) == before


def test_returning_without_a_comment_shows_an_error_and_changes_nothing(staff_client, submitted):
    before = snapshot(submitted)

    response = staff_client.post(
        review_url(submitted), {"decision": "return", "comment": "   ", "tier": ""}
    )

    assert response.status_code == 200
    assert in_chinese(ReviewCommentRequiredError.default_message) in response.content.decode()
    assert snapshot(submitted) == before


def test_returning_with_a_comment(staff_client, submitted):
    response = staff_client.post(
        review_url(submitted), {"decision": "return", "comment": "请补充效益测算。", "tier": ""}
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert submitted.review_events.last().comment == "请补充效益测算。"


def test_rejecting_with_a_reason(staff_client, submitted):
    response = staff_client.post(
        review_url(submitted), {"decision": "reject", "comment": "与已有专利重复。", "tier": ""}
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED
    event = submitted.review_events.last()
    assert (event.action, event.comment) == (ReviewAction.REJECT, "与已有专利重复。")


def test_changing_the_grade_of_an_approved_innovation(staff_client, submitted, union_staff):
    innovation_approve(innovation=submitted, actor=union_staff, tier=Tier.INCUBATE)
    form_page = staff_client.get(review_url(submitted)).content.decode()

    response = staff_client.post(
        review_url(submitted),
        {
            "decision": "grade",
            "tier": Tier.TRANSACT,
            "is_high_value_patent": "on",
            "comment": "孵化完成",
        },
    )

    assert 'value="grade"' in form_page
    assert 'value="approve"' not in form_page
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.tier, submitted.is_high_value_patent) == (
        Status.APPROVED,
        Tier.TRANSACT,
        True,
    )
    assert submitted.review_events.last().action == ReviewAction.GRADE


def test_a_decision_that_no_longer_fits_is_refused_with_the_domain_message(
    staff_client, submitted, union_staff
):
    # Another reviewer approved it while this one had the form open.
    innovation_approve(innovation=submitted, actor=union_staff, tier=Tier.NURTURE)
    before = snapshot(submitted)

    response = staff_client.post(
        review_url(submitted), {"decision": "approve", "tier": Tier.TRANSACT}
    )

    expected = InnovationTransitionError(
        status=in_chinese(Status.APPROVED.label),
        action=in_chinese(ACTION_VERBS[ReviewAction.APPROVE]),
    )
    assert response.status_code == 200
    assert in_chinese(expected) in response.content.decode()
    assert snapshot(submitted) == before


def test_a_returned_innovation_cannot_be_approved(staff_client, submitted, union_staff):
    innovation_return(innovation=submitted, actor=union_staff, comment="请补充。")
    before = snapshot(submitted)

    response = staff_client.post(
        review_url(submitted), {"decision": "approve", "tier": Tier.TRANSACT}
    )

    assert response.status_code == 200
    assert snapshot(submitted) == before


def test_drafts_are_out_of_the_admin_reach(staff_client, draft):
    # A draft is the worker's own until submitted (innovations.permissions.can_view).
    before = snapshot(draft)

    assert staff_client.get(inspect_url(draft)).status_code == 404
    assert staff_client.get(review_url(draft)).status_code == 404
    response = staff_client.post(review_url(draft), {"decision": "approve", "tier": Tier.NURTURE})

    assert response.status_code == 404
    assert snapshot(draft) == before


# Who may do what


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_only_reviewers_reach_the_queue_the_inspect_page_and_the_form(client, submitted, who):
    if who != "anonymous":
        role = Role.WORKER if who == "worker" else Role.ENTERPRISE_MEMBER
        client.force_login(UserFactory(role=role))
    before = snapshot(submitted)

    responses = [
        client.get(QUEUE_URL),
        client.get(inspect_url(submitted)),
        client.get(review_url(submitted)),
        client.post(review_url(submitted), {"decision": "approve", "tier": Tier.TRANSACT}),
    ]

    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert snapshot(submitted) == before


def test_the_submitter_cannot_review_their_own_innovation(client, submitted):
    client.force_login(submitted.owner)
    before = snapshot(submitted)

    response = client.post(review_url(submitted), {"decision": "approve", "tier": Tier.TRANSACT})

    assert response.status_code == 302
    assert snapshot(submitted) == before


def test_staff_have_no_url_to_add_edit_copy_or_delete_innovations(staff_client, submitted):
    for name in ("add", "edit", "copy", "delete", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"innovations_admin:{name}", args=[] if name == "add" else [submitted.pk])

    for path in (
        "/admin/innovations/new/",
        f"/admin/innovations/edit/{submitted.pk}/",
        f"/admin/innovations/copy/{submitted.pk}/",
        f"/admin/innovations/delete/{submitted.pk}/",
    ):
        assert staff_client.get(path).status_code == 404
        assert staff_client.post(path, {"title": "改掉标题"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.title == "焊缝自动打磨小车"


def test_the_admin_policy_lets_reviewers_view_and_review_but_nobody_change(
    union_staff, worker, draft
):
    policy = policy_registry.get_by_type(Innovation)
    superuser = UserFactory(is_superuser=True)

    for reviewer in (union_staff, superuser):
        assert policy.user_has_permission(reviewer, "view")
        assert policy.user_has_permission(reviewer, "review")
        assert not policy.user_has_any_permission(reviewer, ["add", "change", "delete"])
        assert not policy.user_has_permission_for_instance(reviewer, "view", draft)
    assert not policy.user_has_any_permission(worker, ["view", "review"])
    assert set(policy.users_with_permission("review")) == {union_staff, superuser}


def test_the_inspect_page_shows_times_in_shanghai(staff_client):
    innovation = submitted_innovation()
    # 02:00 UTC is 10:00 in Shanghai; Wagtail's inspect page printed the stored UTC time.
    Innovation.objects.filter(pk=innovation.pk).update(
        submitted_at=datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
    )

    page = staff_client.get(inspect_url(innovation)).content.decode()

    assert "2026-05-01 10:00" in page
    assert "02:00" not in page
