"""Union staff build auction sessions in the Wagtail admin: the listing, the create and
reschedule forms, the session's page, and the publish and open-bidding buttons. Workers,
enterprises and visitors reach none of it."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.choices import Role
from innovations.choices import Status, Tier
from marketplace.choices import LotStatus, RightType, Season, SessionStatus
from marketplace.exceptions import SessionSeasonTakenError
from marketplace.models import AuctionSession, Lot
from marketplace.models.auction_session import DEFAULT_INCREMENT_BANDS
from marketplace.services.auctions import (
    LotDisclosure,
    LotTerms,
    SessionSchedule,
    lot_create,
    lot_publish,
    lot_set_disclosure,
    session_create,
)
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
INDEX_URL = "/admin/auctions/sessions/"
ADD_URL = "/admin/auctions/sessions/new/"


def in_chinese(message) -> str:
    """The message as the Chinese admin shows it: a plain string is a msgid to translate; a
    lazy string or an error is rendered in Chinese."""
    with translation.override("zh-hans"):
        return gettext(message) if isinstance(message, str) else str(message)


def shown(message) -> str:
    """The message as the page's HTML writes it."""
    return escape(in_chinese(message))


def band_rows(bands) -> dict:
    data = {
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for index, (bound, increment) in enumerate(bands):
        data[f"bands-{index}-upper_bound"] = bound or ""
        data[f"bands-{index}-increment"] = increment or ""
    return data


def session_form(**changes) -> dict:
    """A spring 2031 session: preview from 20 April, bidding 10 May 10:00 to 12 May 15:00."""
    data = {
        "name": "2031年春季职工创新成果拍卖会",
        "year": "2031",
        "season": Season.SPRING,
        "description": "基础零部件与关键仪器专场。",
        "preview_start": "2031-04-20T09:00",
        "bidding_start": "2031-05-10T10:00",
        "first_lot_closes_at": "2031-05-12T15:00",
        "closing_interval_minutes": "2",
        "soft_close_minutes": "5",
        "deposit_rate_percent": "10",
        "deposit_minimum": "1000",
        "buyers_premium_percent": "0",
        **band_rows(DEFAULT_INCREMENT_BANDS),
    }
    data.update(changes)
    return data


def make_session(staff, *, season=Season.SPRING, name="2031年春季拍卖会", schedule=None):
    schedule = schedule or SessionSchedule(
        preview_start=datetime(2031, 4, 20, 9, 0, tzinfo=SHANGHAI),
        bidding_start=datetime(2031, 5, 10, 10, 0, tzinfo=SHANGHAI),
        first_lot_closes_at=datetime(2031, 5, 12, 15, 0, tzinfo=SHANGHAI),
    )
    return session_create(
        actor=staff,
        name=name,
        year=timezone.localtime(schedule.bidding_start).year,
        season=season,
        schedule=schedule,
    )


def make_lot(staff, session, *, title="数控车床刀具快速定位装置", publish=False) -> Lot:
    innovation = InnovationFactory(status=Status.APPROVED, tier=Tier.TRANSACT, title=title)
    lot = lot_create(
        actor=staff,
        session=session,
        innovations=[innovation],
        terms=LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("50000.00")),
    )
    if publish:
        lot_set_disclosure(
            lot=lot,
            actor=staff,
            disclosure=LotDisclosure(
                patents_legal_status="",
                is_service_invention=False,
                employer_consent=False,
                co_owners_consent=False,
                known_limitations="无",
            ),
        )
        lot = lot_publish(lot=lot, actor=staff)
    return lot


def inspect_url(session: AuctionSession) -> str:
    return reverse("auction_sessions:inspect", args=[session.pk])


def edit_url(session: AuctionSession) -> str:
    return reverse("auction_sessions:edit", args=[session.pk])


def publish_url(session: AuctionSession) -> str:
    return reverse("auction_sessions:publish", args=[session.pk])


def open_url(session: AuctionSession) -> str:
    return reverse("auction_sessions:open", args=[session.pk])


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def session(union_staff):
    return make_session(union_staff)


# Creating a session


def test_the_create_form_renders_in_chinese_with_the_defaults(staff_client):
    response = staff_client.get(ADD_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page
    assert 'type="datetime-local"' in page
    assert 'name="closing_interval_minutes" value="2"' in page
    assert 'name="soft_close_minutes" value="5"' in page
    assert 'name="deposit_rate_percent" value="10"' in page
    assert 'name="deposit_minimum" value="1000"' in page
    for bound, increment in DEFAULT_INCREMENT_BANDS:
        assert f'value="{increment}"' in page
        if bound:
            assert f'value="{bound}"' in page


def test_staff_create_a_session_with_times_stored_as_entered_in_shanghai_time(
    staff_client,
):
    response = staff_client.post(ADD_URL, session_form())

    session = AuctionSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inspect_url(session)
    assert (session.name, session.year, session.season, session.status) == (
        "2031年春季职工创新成果拍卖会",
        2031,
        Season.SPRING,
        SessionStatus.DRAFT,
    )
    assert session.preview_start == datetime(2031, 4, 20, 9, 0, tzinfo=SHANGHAI)
    assert session.bidding_start == datetime(2031, 5, 10, 10, 0, tzinfo=SHANGHAI)
    assert session.first_lot_closes_at == datetime(2031, 5, 12, 15, 0, tzinfo=SHANGHAI)
    # 10:00 in Shanghai is 02:00 UTC.
    assert session.bidding_start.astimezone(ZoneInfo("UTC")).hour == 2
    assert session.closing_interval == timedelta(minutes=2)
    assert session.soft_close_window == timedelta(minutes=5)
    assert session.deposit_rate == Decimal("0.1")
    assert session.deposit_minimum == Decimal("1000.00")
    assert session.buyers_premium_rate == Decimal("0")
    assert session.increment_bands == DEFAULT_INCREMENT_BANDS


def test_percentages_minutes_and_an_added_band_are_converted(staff_client):
    bands = [*DEFAULT_INCREMENT_BANDS, ["500000.00", "5000.00"]]  # typed in the spare row

    staff_client.post(
        ADD_URL,
        session_form(
            closing_interval_minutes="3",
            soft_close_minutes="10",
            deposit_rate_percent="12.5",
            deposit_minimum="2000",
            buyers_premium_percent="5",
            **band_rows(bands),
        ),
    )

    session = AuctionSession.objects.get()
    assert session.closing_interval == timedelta(minutes=3)
    assert session.soft_close_window == timedelta(minutes=10)
    assert session.deposit_rate == Decimal("0.125")
    assert session.deposit_minimum == Decimal("2000.00")
    assert session.buyers_premium_rate == Decimal("0.05")
    assert session.increment_bands == [
        ["10000.00", "500.00"],
        ["100000.00", "2000.00"],
        ["500000.00", "5000.00"],
        ["1000000.00", "10000.00"],
        ["10000000.00", "50000.00"],
        [None, "100000.00"],
    ]


def test_a_third_session_in_the_same_year_is_refused_with_the_message(staff_client, union_staff):
    make_session(union_staff, season=Season.SPRING)
    make_session(union_staff, season=Season.AUTUMN, name="2031年秋季拍卖会")

    response = staff_client.post(ADD_URL, session_form(name="又一场春季拍卖会"))

    expected = SessionSeasonTakenError(season=in_chinese(Season.SPRING.label), year=2031)
    assert response.status_code == 200
    assert shown(expected) in response.content.decode()
    assert AuctionSession.objects.count() == 2


def test_a_23_hour_bidding_window_is_refused(staff_client):
    response = staff_client.post(
        ADD_URL,
        session_form(bidding_start="2031-05-10T10:00", first_lot_closes_at="2031-05-11T09:00"),
    )

    assert response.status_code == 200
    assert (
        shown("Bidding must stay open for at least 24 hours before the first lot closes.")
        in response.content.decode()
    )
    assert not AuctionSession.objects.exists()


def test_bidding_before_the_preview_is_refused(staff_client):
    response = staff_client.post(
        ADD_URL, session_form(preview_start="2031-05-10T10:00", bidding_start="2031-05-09T10:00")
    )

    assert response.status_code == 200
    assert shown("Bidding must open after the preview starts.") in response.content.decode()
    assert not AuctionSession.objects.exists()


def test_an_increment_table_without_an_open_last_band_is_refused(staff_client):
    bands = [["10000.00", "500.00"], ["100000.00", "2000.00"]]

    response = staff_client.post(ADD_URL, session_form(**band_rows(bands)))

    assert response.status_code == 200
    assert (
        shown(
            "Each price band needs an upper bound above the previous one and a positive "
            "increment; the last band has no upper bound."
        )
        in response.content.decode()
    )
    assert not AuctionSession.objects.exists()


def test_a_missing_time_is_a_field_error_and_saves_nothing(staff_client):
    response = staff_client.post(ADD_URL, session_form(first_lot_closes_at=""))

    assert response.status_code == 200
    assert response.context["form"].errors["first_lot_closes_at"]
    assert not AuctionSession.objects.exists()


# The listing and the session's page


def test_the_listing_shows_each_session_in_shanghai_time_with_its_lot_count(
    staff_client, session, union_staff, django_assert_max_num_queries
):
    make_lot(union_staff, session, title="一号")
    make_lot(union_staff, session, title="二号")
    make_session(union_staff, season=Season.AUTUMN, name="2031年秋季拍卖会")

    with django_assert_max_num_queries(18):
        response = staff_client.get(INDEX_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "2031年春季拍卖会" in page
    assert "2031年秋季拍卖会" in page
    assert "2031-04-20 09:00" in page
    assert "2031-05-10 10:00" in page
    assert "2031-05-12 15:00" in page
    assert inspect_url(session) in page
    lot_counts = {row.name: row.lot_count for row in response.context["object_list"]}
    assert lot_counts == {"2031年春季拍卖会": 2, "2031年秋季拍卖会": 0}


def test_the_session_page_lists_its_lots_in_number_order_with_their_closing_times(
    staff_client, session, union_staff
):
    make_lot(union_staff, session, title="第一件拍品")
    make_lot(union_staff, session, title="第二件拍品")

    response = staff_client.get(inspect_url(session))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("第一件拍品") < page.index("第二件拍品")
    assert "2031-05-12 15:00" in page
    assert "2031-05-12 15:02" in page
    assert reverse("auction_lots:add", args=[session.pk]) in page
    assert edit_url(session) in page
    assert publish_url(session) in page
    assert "¥100,000.00" in page  # a band of the increment table


# Changing the times


def test_rescheduling_moves_the_session_and_every_lots_closing_time(
    staff_client, session, union_staff
):
    first = make_lot(union_staff, session, title="一号")
    second = make_lot(union_staff, session, title="二号")
    form_page = staff_client.get(edit_url(session)).content.decode()

    response = staff_client.post(
        edit_url(session),
        {
            "preview_start": "2031-04-21T09:00",
            "bidding_start": "2031-05-11T10:00",
            "first_lot_closes_at": "2031-05-13T20:00",
            "closing_interval_minutes": "3",
            "soft_close_minutes": "5",
        },
    )

    assert 'value="2031-05-10T10:00"' in form_page
    assert response.status_code == 302
    session.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert session.first_lot_closes_at == datetime(2031, 5, 13, 20, 0, tzinfo=SHANGHAI)
    assert first.closes_at == datetime(2031, 5, 13, 20, 0, tzinfo=SHANGHAI)
    assert second.closes_at == datetime(2031, 5, 13, 20, 3, tzinfo=SHANGHAI)


def test_rescheduling_to_a_short_window_is_refused(staff_client, session):
    before = session.first_lot_closes_at

    response = staff_client.post(
        edit_url(session),
        {
            "preview_start": "2031-04-20T09:00",
            "bidding_start": "2031-05-10T10:00",
            "first_lot_closes_at": "2031-05-10T12:00",
            "closing_interval_minutes": "2",
            "soft_close_minutes": "5",
        },
    )

    assert response.status_code == 200
    session.refresh_from_db()
    assert session.first_lot_closes_at == before


# Publishing and opening


def test_publishing_a_session_without_lots_is_refused_with_the_message(staff_client, session):
    response = staff_client.post(publish_url(session), follow=True)

    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT
    assert (
        shown("Publish at least one lot before publishing the session.")
        in response.content.decode()
    )


def test_publishing_a_session_with_a_published_lot(staff_client, session, union_staff):
    make_lot(union_staff, session, publish=True)

    response = staff_client.post(publish_url(session))

    assert response.status_code == 302
    assert response["Location"] == inspect_url(session)
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED


def test_bidding_cannot_be_opened_before_its_time(staff_client, session, union_staff):
    make_lot(union_staff, session, publish=True)
    staff_client.post(publish_url(session))

    response = staff_client.post(open_url(session), follow=True)

    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED
    assert (
        shown("Bidding opens at the time the session sets, not before.")
        in response.content.decode()
    )


def test_bidding_opens_once_its_time_has_come(staff_client, session, union_staff):
    lot = make_lot(union_staff, session, publish=True)
    staff_client.post(publish_url(session))
    now = timezone.now()
    # The clock moves on to the bidding window.
    AuctionSession.objects.filter(pk=session.pk).update(
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(minutes=1),
        first_lot_closes_at=now + timedelta(days=2),
    )

    response = staff_client.post(open_url(session))

    assert response.status_code == 302
    session.refresh_from_db()
    lot.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    assert lot.status == LotStatus.PUBLISHED


def test_the_action_urls_only_accept_post(staff_client, session):
    assert staff_client.get(publish_url(session)).status_code == 405
    assert staff_client.get(open_url(session)).status_code == 405


# Who may


def test_the_admin_menu_offers_auctions_to_staff(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert INDEX_URL in page
    assert "/admin/auctions/lots/" in page


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_only_union_staff_reach_the_session_pages(client, session, who):
    if who != "anonymous":
        role = Role.WORKER if who == "worker" else Role.ENTERPRISE_MEMBER
        client.force_login(UserFactory(role=role))

    responses = [
        client.get(INDEX_URL),
        client.get(ADD_URL),
        client.post(ADD_URL, session_form(season=Season.AUTUMN)),
        client.get(inspect_url(session)),
        client.get(edit_url(session)),
        client.post(edit_url(session), {"first_lot_closes_at": "2031-05-20T10:00"}),
        client.post(publish_url(session)),
        client.post(open_url(session)),
    ]

    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert AuctionSession.objects.count() == 1
    session.refresh_from_db()
    assert session.first_lot_closes_at == datetime(2031, 5, 12, 15, 0, tzinfo=SHANGHAI)


def test_an_admin_user_who_is_not_union_staff_is_refused(client, session):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    assert client.get(INDEX_URL).status_code == 302
    assert client.get(ADD_URL).status_code == 302
    response = client.post(ADD_URL, session_form(season=Season.AUTUMN))

    assert response.status_code == 302
    assert AuctionSession.objects.count() == 1


def test_there_is_no_generic_delete_copy_or_history_view(staff_client, session):
    for name in ("delete", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"auction_sessions:{name}", args=[session.pk])
