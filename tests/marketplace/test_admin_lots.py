"""Union staff build lots in the Wagtail admin: from an eligible innovation, with terms, a
disclosure, confidential documents, then publish or withdraw them. Workers reach none of it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from accounts.choices import Role
from innovations.choices import PatentKind, PatentStatus, Status, Tier
from innovations.models import Innovation
from marketplace.choices import LotStatus, RightType, Season
from marketplace.exceptions import LotDisclosureIncompleteError
from marketplace.models import AuctionSession, Lot, LotDocument
from marketplace.services.auctions import (
    LotTerms,
    SessionSchedule,
    lot_create,
    lot_withdraw,
    session_create,
)
from marketplace.services.lot_documents import lot_document_add
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory, PatentFactory

INDEX_URL = "/admin/auctions/lots/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def in_chinese(message) -> str:
    """The message as the Chinese admin shows it: a plain string is a msgid to translate; a
    lazy string or an error is rendered in Chinese."""
    with translation.override("zh-hans"):
        return gettext(message) if isinstance(message, str) else str(message)


def shown(message) -> str:
    """The message as the page's HTML writes it."""
    return escape(in_chinese(message))


def make_session(staff, *, season=Season.SPRING, name="春季职工创新成果拍卖会") -> AuctionSession:
    """Preview open since yesterday, bidding from the day after tomorrow, for two days."""
    now = timezone.now()
    schedule = SessionSchedule(
        preview_start=now - timedelta(days=1),
        bidding_start=now + timedelta(days=2),
        first_lot_closes_at=now + timedelta(days=4),
    )
    return session_create(
        actor=staff,
        name=name,
        year=timezone.localtime(schedule.bidding_start).year,
        season=season,
        schedule=schedule,
    )


def transact_innovation(**fields) -> Innovation:
    return InnovationFactory(status=Status.APPROVED, tier=Tier.TRANSACT, **fields)


def make_lot(staff, session, innovation=None, **terms) -> Lot:
    terms = {"right_type": RightType.ASSIGNMENT, "starting_price": Decimal("50000.00"), **terms}
    return lot_create(
        actor=staff,
        session=session,
        innovations=[innovation or transact_innovation()],
        terms=LotTerms(**terms),
    )


def add_url(session: AuctionSession) -> str:
    return reverse("auction_lots:add", args=[session.pk])


def url(name: str, lot: Lot) -> str:
    return reverse(f"auction_lots:{name}", args=[lot.pk])


def lot_form(*innovations: Innovation, **changes) -> dict:
    data = {
        "innovations": [innovation.pk for innovation in innovations],
        "title": "",
        "right_type": RightType.EXCLUSIVE_LICENCE,
        "licence_term_years": "5",
        "territory": "中华人民共和国境内",
        "starting_price": "50000.00",
        "reserve_price": "",
        "deposit_amount": "",
    }
    data.update(changes)
    return data


def edit_form(lot: Lot, **changes) -> dict:
    data = {
        "title": lot.title,
        "right_type": lot.right_type,
        "licence_term_years": lot.licence_term_years or "",
        "territory": lot.territory,
        "starting_price": str(lot.starting_price),
        "reserve_price": "" if lot.reserve_price is None else str(lot.reserve_price),
        "deposit_amount": str(lot.deposit_amount),
        "patents_legal_status": "",
        "known_limitations": "",
        "confidentiality_terms": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def session(union_staff):
    return make_session(union_staff)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# Creating a lot


def test_only_eligible_innovations_are_offered(staff_client, session, union_staff):
    eligible = transact_innovation(title="焊缝自动打磨小车")
    incubating = InnovationFactory(status=Status.APPROVED, tier=Tier.INCUBATE, title="孵化中的夹具")
    submitted = InnovationFactory(status=Status.SUBMITTED, title="待审的量具")
    offered = transact_innovation(title="已上拍的刀架")
    make_lot(union_staff, session, offered)

    response = staff_client.get(add_url(session))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert list(response.context["form"].fields["innovations"].queryset) == [eligible]
    assert "焊缝自动打磨小车" in page
    for innovation in (incubating, submitted, offered):
        assert innovation.title not in page


def test_a_withdrawn_lots_innovation_is_offered_again(staff_client, session, union_staff):
    innovation = transact_innovation(title="撤拍后再上拍的装置")
    lot_withdraw(lot=make_lot(union_staff, session, innovation), actor=union_staff, reason="补材料")

    response = staff_client.get(add_url(session))

    assert innovation in response.context["form"].fields["innovations"].queryset


def test_staff_create_a_lot_from_an_eligible_innovation(staff_client, session):
    innovation = transact_innovation(title="焊缝自动打磨小车")

    response = staff_client.post(add_url(session), lot_form(innovation))

    lot = Lot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("inspect", lot)
    assert lot.number == 1
    assert lot.title == "焊缝自动打磨小车"
    assert list(lot.innovations.all()) == [innovation]
    assert lot.closes_at == lot.scheduled_close_at == session.first_lot_closes_at
    assert (lot.right_type, lot.licence_term_years) == (RightType.EXCLUSIVE_LICENCE, 5)
    # 10% of ¥50,000 is above the ¥1,000 minimum.
    assert lot.deposit_amount == Decimal("5000.00")
    assert lot.status == LotStatus.DRAFT
    page = staff_client.get(response["Location"]).content.decode()
    assert "¥5,000.00" in page


def test_the_second_lot_closes_one_interval_later_with_the_minimum_deposit(
    staff_client, session, union_staff
):
    make_lot(union_staff, session)
    innovation = transact_innovation()

    staff_client.post(add_url(session), lot_form(innovation, starting_price="8000.00"))

    lot = Lot.objects.get(innovations=innovation)
    assert lot.number == 2
    assert lot.closes_at == session.first_lot_closes_at + timedelta(minutes=2)
    # 10% of ¥8,000 is ¥800, below the ¥1,000 minimum.
    assert lot.deposit_amount == Decimal("1000.00")


def test_a_deposit_typed_by_staff_is_kept(staff_client, session):
    staff_client.post(add_url(session), lot_form(transact_innovation(), deposit_amount="20000"))

    assert Lot.objects.get().deposit_amount == Decimal("20000.00")


def test_the_form_shows_the_sessions_deposit_rule(staff_client, session):
    page = staff_client.get(add_url(session)).content.decode()

    assert "10%" in page
    assert "¥1,000.00" in page


def test_several_innovations_make_a_technology_package(staff_client, session):
    first, second = transact_innovation(), transact_innovation()

    staff_client.post(add_url(session), lot_form(first, second, title="数控加工技术包"))

    lot = Lot.objects.get()
    assert lot.title == "数控加工技术包"
    assert set(lot.innovations.all()) == {first, second}


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.APPROVED, "tier": Tier.INCUBATE},
        {"status": Status.SUBMITTED},
    ],
    ids=["approved-but-incubating", "submitted"],
)
def test_a_forged_post_with_an_ineligible_innovation_is_refused(staff_client, session, fields):
    ineligible = InnovationFactory(**fields)

    response = staff_client.post(add_url(session), lot_form(ineligible))

    assert response.status_code == 200
    assert response.context["form"].errors["innovations"]
    assert not Lot.objects.exists()


def test_an_innovation_already_in_a_lot_cannot_be_offered_twice(staff_client, session, union_staff):
    innovation = transact_innovation()
    make_lot(union_staff, session, innovation)

    response = staff_client.post(add_url(session), lot_form(innovation))

    assert response.status_code == 200
    assert Lot.objects.count() == 1


def test_a_reserve_below_the_starting_price_is_refused(staff_client, session):
    response = staff_client.post(
        add_url(session),
        lot_form(transact_innovation(), starting_price="50000", reserve_price="40000"),
    )

    assert response.status_code == 200
    assert shown("The reserve price cannot be below the starting price.") in (
        response.content.decode()
    )
    assert not Lot.objects.exists()


def test_a_licence_without_a_term_is_refused(staff_client, session):
    response = staff_client.post(
        add_url(session), lot_form(transact_innovation(), licence_term_years="")
    )

    assert response.status_code == 200
    assert shown("A licence needs a term in years.") in response.content.decode()
    assert not Lot.objects.exists()


def test_the_form_says_when_no_innovation_can_be_offered(staff_client, session):
    page = staff_client.get(add_url(session)).content.decode()

    assert (
        shown(
            "No innovation can be offered now: a lot offers approved innovations graded ready to "
            "transact that no other lot offers."
        )
        in page
    )


# Terms, disclosure and publishing


def test_the_edit_form_suggests_the_legal_status_of_each_patent(staff_client, session, union_staff):
    innovation = transact_innovation()
    invention = PatentFactory(
        innovation=innovation, kind=PatentKind.INVENTION, status=PatentStatus.GRANTED
    )
    utility = PatentFactory(
        innovation=innovation, kind=PatentKind.UTILITY_MODEL, status=PatentStatus.PENDING
    )
    lot = make_lot(union_staff, session, innovation)

    response = staff_client.get(url("edit", lot))

    suggestion = response.context["form"].initial["patents_legal_status"]
    assert response.status_code == 200
    assert invention.number in suggestion
    assert utility.number in suggestion
    assert in_chinese(PatentKind.INVENTION.label) in suggestion
    assert in_chinese(PatentKind.UTILITY_MODEL.label) in suggestion
    assert in_chinese(PatentStatus.GRANTED.label) in suggestion
    assert in_chinese(PatentStatus.PENDING.label) in suggestion
    assert invention.number in response.content.decode()


def test_changing_the_terms_recomputes_an_emptied_deposit(staff_client, session, union_staff):
    lot = make_lot(union_staff, session)

    response = staff_client.post(
        url("edit", lot), edit_form(lot, starting_price="200000.00", deposit_amount="")
    )

    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.starting_price == Decimal("200000.00")
    assert lot.deposit_amount == Decimal("20000.00")


def test_publishing_with_an_incomplete_disclosure_lists_what_is_missing_then_succeeds(
    staff_client, session, union_staff
):
    innovation = transact_innovation()
    PatentFactory(innovation=innovation, holders="上海申江精密机械有限公司、张三")
    lot = make_lot(union_staff, session, innovation)
    staff_client.post(url("edit", lot), edit_form(lot, is_service_invention="on"))

    refused = staff_client.post(url("publish", lot), follow=True)

    lot.refresh_from_db()
    assert lot.status == LotStatus.DRAFT
    with translation.override("zh-hans"):
        missing = pgettext("list separator", "; ").join(
            gettext(item)
            for item in (
                "the legal status of each patent",
                "the employer's consent to selling a service invention",
                "the co-owners' consent",
                "known limitations (write “none” if there are none)",
            )
        )
    assert shown(LotDisclosureIncompleteError(missing=missing)) in refused.content.decode()

    completed = staff_client.post(
        url("edit", lot),
        edit_form(
            lot,
            patents_legal_status="CN202310000001.X 发明专利，审查中。",
            is_service_invention="on",
            employer_consent="on",
            co_owners_consent="on",
            known_limitations="仅在 CK6140 系列车床上验证。",
        ),
    )
    published = staff_client.post(url("publish", lot))

    assert completed.status_code == 302
    assert published.status_code == 302
    lot.refresh_from_db()
    assert lot.status == LotStatus.PUBLISHED
    assert lot.employer_consent is True
    assert lot.known_limitations == "仅在 CK6140 系列车床上验证。"


def test_the_lot_page_shows_terms_innovations_and_patents(staff_client, session, union_staff):
    innovation = transact_innovation(title="焊缝自动打磨小车")
    patent = PatentFactory(innovation=innovation)
    lot = make_lot(union_staff, session, innovation, reserve_price=Decimal("80000.00"))

    response = staff_client.get(url("inspect", lot))

    page = response.content.decode()
    assert response.status_code == 200
    assert "焊缝自动打磨小车" in page
    assert patent.number in page
    assert "¥50,000.00" in page
    assert "¥80,000.00" in page
    assert url("edit", lot) in page
    assert url("publish", lot) in page
    assert url("withdraw", lot) in page


# Withdrawing


def test_withdrawing_needs_a_reason(staff_client, session, union_staff):
    lot = make_lot(union_staff, session)

    response = staff_client.post(url("withdraw", lot), {"reason": "   "})

    assert response.status_code == 200
    assert shown("Give the reason for withdrawing the lot.") in response.content.decode()
    lot.refresh_from_db()
    assert lot.status == LotStatus.DRAFT


def test_withdrawing_with_a_reason(staff_client, session, union_staff):
    lot = make_lot(union_staff, session)

    response = staff_client.post(url("withdraw", lot), {"reason": "权利人撤回委托。"})

    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.status, lot.withdrawn_reason) == (LotStatus.WITHDRAWN, "权利人撤回委托。")


# Confidential documents


def test_staff_upload_a_confidential_pdf_and_download_it(staff_client, session, union_staff, media):
    lot = make_lot(union_staff, session)
    upload = SimpleUploadedFile("工艺说明.pdf", PDF, content_type="application/pdf")

    response = staff_client.post(url("add_document", lot), {"title": "工艺说明", "file": upload})

    document = LotDocument.objects.get()
    assert response.status_code == 302
    assert (document.lot, document.title, document.original_name) == (
        lot,
        "工艺说明",
        "工艺说明.pdf",
    )
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    download_url = reverse("auction_lots:document", args=[lot.pk, document.pk])
    assert download_url in staff_client.get(url("inspect", lot)).content.decode()
    download = staff_client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_renamed_program_is_refused_as_a_document(staff_client, session, union_staff, media):
    lot = make_lot(union_staff, session)
    upload = SimpleUploadedFile("图纸.pdf", b"MZ\x90\x00" + b"\x00" * 64)

    response = staff_client.post(url("add_document", lot), {"title": "图纸", "file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not LotDocument.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_document_for_a_published_lot_needs_its_confidentiality_terms(
    staff_client, session, union_staff, media
):
    lot = make_lot(union_staff, session)
    staff_client.post(url("edit", lot), edit_form(lot, known_limitations="无"))
    staff_client.post(url("publish", lot))
    upload = SimpleUploadedFile("工艺说明.pdf", PDF)

    response = staff_client.post(url("add_document", lot), {"title": "", "file": upload})

    expected = LotDisclosureIncompleteError(
        missing=in_chinese("the confidentiality terms for the technical documents")
    )
    assert response.status_code == 200
    assert shown(expected) in response.content.decode()
    assert not LotDocument.objects.exists()


# The listing


def test_the_listing_filters_by_session_status_and_right_and_searches_titles(
    staff_client, session, union_staff, django_assert_max_num_queries
):
    autumn = make_session(union_staff, season=Season.AUTUMN, name="秋季拍卖会")
    make_lot(union_staff, session, transact_innovation(title="焊缝自动打磨小车"))
    make_lot(
        union_staff,
        session,
        transact_innovation(title="冷却液回收装置"),
        right_type=RightType.SOLE_LICENCE,
        licence_term_years=3,
    )
    make_lot(union_staff, autumn, transact_innovation(title="秋季的量具"))
    for n in range(5):
        make_lot(union_staff, autumn, transact_innovation(title=f"批量拍品{n}"))

    with django_assert_max_num_queries(18):
        everything = staff_client.get(INDEX_URL).content.decode()
    by_session = staff_client.get(f"{INDEX_URL}?session={autumn.pk}").content.decode()
    by_right = staff_client.get(f"{INDEX_URL}?right_type={RightType.SOLE_LICENCE}").content
    by_status = staff_client.get(f"{INDEX_URL}?status={LotStatus.PUBLISHED}").content.decode()
    searched = staff_client.get(f"{INDEX_URL}?q=打磨").content.decode()

    assert "焊缝自动打磨小车" in everything
    assert "秋季的量具" in everything
    assert everything.count("批量拍品") >= 5
    assert "秋季的量具" in by_session
    assert "焊缝自动打磨小车" not in by_session
    assert "冷却液回收装置" in by_right.decode()
    assert "焊缝自动打磨小车" not in by_right.decode()
    assert "焊缝自动打磨小车" not in by_status
    assert "焊缝自动打磨小车" in searched
    assert "冷却液回收装置" not in searched


# Who may


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_only_union_staff_reach_the_lot_pages(client, session, union_staff, media, who):
    lot = make_lot(union_staff, session)
    document = lot_document_add(
        lot=lot, actor=union_staff, upload=SimpleUploadedFile("说明.pdf", PDF), title="说明"
    )
    if who != "anonymous":
        role = Role.WORKER if who == "worker" else Role.ENTERPRISE_MEMBER
        client.force_login(UserFactory(role=role))
    innovation = transact_innovation()

    responses = [
        client.get(INDEX_URL),
        client.get(add_url(session)),
        client.post(add_url(session), lot_form(innovation)),
        client.get(url("inspect", lot)),
        client.get(url("edit", lot)),
        client.post(url("edit", lot), edit_form(lot, starting_price="1")),
        client.post(url("publish", lot)),
        client.get(url("withdraw", lot)),
        client.post(url("withdraw", lot), {"reason": "伪造"}),
        client.get(url("add_document", lot)),
        client.post(
            url("add_document", lot), {"file": SimpleUploadedFile("x.pdf", PDF), "title": "x"}
        ),
        client.get(reverse("auction_lots:document", args=[lot.pk, document.pk])),
    ]

    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    lot.refresh_from_db()
    assert (lot.status, lot.starting_price) == (LotStatus.DRAFT, Decimal("50000.00"))
    assert Lot.objects.count() == 1
    assert list(LotDocument.objects.all()) == [document]
