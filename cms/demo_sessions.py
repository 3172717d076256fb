"""Demo auction-session pages: an index and one story page per public session, in both
languages. Run after seed_auction and seed_settlement (the sessions must exist); idempotent by
slug. A session created later gets its page on the next run."""

from django.db import transaction
from wagtail.models import Locale

from cms.demo_pages import _translate, menu_section, paragraphs
from cms.models import AuctionSessionIndexPage, AuctionSessionPage, HomePage
from marketplace.catalogue_queries import PUBLIC_SESSION_STATUSES
from marketplace.choices import Season, SessionStatus
from marketplace.models import AuctionSession

INDEX = {
    # Not "auctions": that address is the live catalogue (marketplace.urls).
    "slug": "auction-sessions",
    # Not "拍卖会" alone: the header already has 拍卖, the live catalogue.
    "zh": {"title": "拍卖会专题", "intro": "每年春秋两季，职工创新成果与专利公开拍卖。"},
    "en": {
        "title": "Auction stories",
        "intro": "Every spring and autumn, worker innovations and patents go to public auction.",
    },
}


def _story(session: AuctionSession) -> dict:
    season_zh = "春季" if session.season == Season.SPRING else "秋季"
    season_en = "spring" if session.season == Season.SPRING else "autumn"
    if session.status in (SessionStatus.CLOSED, SessionStatus.SETTLED):
        zh = (
            f"{session.year}年{season_zh}拍卖会已圆满落槌。",
            "来自制造、能源和交通等行业的企业参与竞拍，成交的创新成果将通过许可和转让在企业落地，"
            "成交收益按平台收益分配办法回馈职工发明人。",
        )
        en = (
            f"The {season_en} {session.year} auction has closed.",
            "Enterprises from manufacturing, energy and transport bid for the lots. The "
            "innovations sold will be put to work through licences and assignments, and the "
            "proceeds are shared with the worker inventors under the platform's policy.",
        )
    else:
        zh = (
            f"{session.year}年{season_zh}拍卖会正在进行。",
            "企业完成认证并缴纳保证金后即可出价，每件拍品依次截止，截止前有出价将自动延时。",
        )
        en = (
            f"The {season_en} {session.year} auction is under way.",
            "Verified enterprises that have paid the deposit can bid. Lots close one after "
            "another, and a bid in the last minutes extends the closing time.",
        )
    return {"zh": zh, "en": en}


def _session_page(index: AuctionSessionIndexPage, en: Locale, session: AuctionSession) -> None:
    slug = f"{session.year}-{session.season}"
    if index.get_children().filter(slug=slug).exists():
        return
    story = _story(session)
    page = AuctionSessionPage(
        slug=slug,
        session=session,
        title=session.name,
        intro=story["zh"][0],
        body=paragraphs(*story["zh"][1:]),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    season = "Spring" if session.season == Season.SPRING else "Autumn"
    _translate(
        page,
        en,
        {
            "title": f"{season} {session.year} worker innovation auction",
            "intro": story["en"][0],
            "body": paragraphs(*story["en"][1:]),
        },
    )


@transaction.atomic
def seed_session_pages() -> None:
    home = HomePage.objects.get(depth=2, locale__language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    index = menu_section(home, en, AuctionSessionIndexPage, INDEX)
    sessions = AuctionSession.objects.filter(status__in=PUBLIC_SESSION_STATUSES)
    for session in sessions.order_by("bidding_start"):
        _session_page(index, en, session)
