"""Demo editorial pages in both languages: about, auction rules, profit-sharing policy, contact,
the union's 2024 policy document, news and the craftsmen's forum.

Each page is made in Chinese under the Chinese home, then translated with Wagtail's
copy_for_translation and given its English text. Idempotent: a page whose slug already exists
under the Chinese home is left as it is.
"""

import re
from datetime import date
from html import escape
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from cms.models import ContentPage, HomePage, NewsIndexPage, NewsPage

POLICY_FILE = Path(__file__).parent / "demo_content" / "hu_gong_zong_fa_2024_7.txt"
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
# A line ending so ends its paragraph: sentence punctuation, or the last character of the
# document's header lines (its number, issuer, date and printing note).
SENTENCE_END = ("。", "；", "：", "！", "？", "号", "会", "日", "发")


def paragraphs(*texts: str) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText(f"<p>{escape(text)}</p>")) for text in texts]


def policy_body() -> list[tuple]:
    """The policy document as headings and paragraphs; lines broken mid-sentence by its
    conversion from PDF are joined again."""
    blocks, pending = [], ""
    for line in POLICY_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if HEADING.match(line) and len(line) <= 40 and not pending:
            blocks.append(("heading", line))
            continue
        pending += line
        if pending.endswith(SENTENCE_END):
            blocks.extend(paragraphs(pending))
            pending = ""
    if pending:
        blocks.extend(paragraphs(pending))
    return blocks


CONTENT_PAGES = [
    {
        "slug": "about",
        "menu": True,
        "zh": {
            "title": "关于平台",
            "intro": "上海市总工会职工创新成果转化交易平台，让职工创新走向市场。",
            "body": [
                ("heading", "平台做什么"),
                *paragraphs(
                    "平台汇集全市职工的“五小”创新成果（小发明、小创造、小革新、小设计、小建议），"
                    "经工会评审后择优培育，并通过每年春秋两季的成果拍卖会向企业转让或许可。",
                    "每一元转化收益都按收益分享方案回到完成创新的职工、所在单位和职工创新转化基金。",
                ),
            ],
        },
        "en": {
            "title": "About the platform",
            "intro": "The Shanghai Federation of Trade Unions' platform for bringing workers' "
            "innovations to market.",
            "body": [
                ("heading", "What the platform does"),
                *paragraphs(
                    "It gathers the city's workers' \"five small\" innovations (inventions, "
                    "creations, renovations, designs and suggestions); union staff review and "
                    "select the best, and enterprises acquire or license them in the spring and "
                    "autumn auction sessions.",
                    "Every yuan received is shared by the innovation's profit-sharing plan with "
                    "the workers who made it, their employer and the union's transformation fund.",
                ),
            ],
        },
        "children": [
            {
                "slug": "profit-sharing-policy",
                "menu": False,
                "zh": {
                    "title": "收益分享政策",
                    "intro": "职工科技成果转化收益分享机制。",
                    "body": paragraphs(
                        "每笔成交价款、许可费和提成到账后，按该成果的收益分享方案分配：默认发明人团队"
                        "70%、所在单位15%、工会职工创新转化基金10%、平台服务费5%。",
                        "发明人团队的份额按各完成人的贡献比例分配，分配到分，保证各方合计与到账金额一致。",
                        "依照《促进科技成果转化法》第四十五条，未约定时重要贡献人员所得不低于50%；"
                        "职务发明许可他人实施的，发明人报酬不低于许可费的10%。",
                    ),
                },
                "en": {
                    "title": "Profit-sharing policy",
                    "intro": "How the proceeds of transforming workers' achievements are shared.",
                    "body": paragraphs(
                        "Every price, licence fee and royalty received is shared by the "
                        "innovation's plan: by default 70% to the inventors, 15% to their "
                        "employer, 10% to the union's transformation fund and 5% platform fee.",
                        "The inventors' part is split by their contribution shares and rounded to "
                        "the fen so that the parts add up exactly to the amount received.",
                        "Under Article 45 of the Law on Promoting the Transformation of Scientific "
                        "and Technological Achievements, key contributors receive at least 50% "
                        "where nothing else was agreed; for a licensed service invention the "
                        "inventors' remuneration is at least 10% of the royalties.",
                    ),
                },
            },
            {
                "slug": "contact",
                "menu": False,
                "zh": {
                    "title": "联系我们",
                    "intro": "上海市总工会职工技术协会 · 成果转化服务窗口",
                    "body": paragraphs(
                        "地址：上海市西藏中路120号（演示数据）",
                        "工作时间：周一至周五 9:00—17:00",
                    ),
                },
                "en": {
                    "title": "Contact",
                    "intro": (
                        "Shanghai Workers' Technical Association · transformation service desk"
                    ),
                    "body": paragraphs(
                        "Address: 120 Middle Xizang Road, Shanghai (demo data)",
                        "Office hours: Monday to Friday, 9:00–17:00",
                    ),
                },
            },
        ],
    },
    {
        "slug": "auction-rules",
        "menu": True,
        "zh": {
            "title": "拍卖规则",
            "intro": "成果拍卖会的报名、保证金、出价与成交规则。",
            "body": [
                ("heading", "保证金"),
                *paragraphs(
                    "经认证的企业为每个拍品缴纳保证金后方可出价；未成交的保证金在拍品成交或流拍后24小时内退还。"
                ),
                ("heading", "代理出价与延时"),
                *paragraphs(
                    "出价即设定您的最高价，系统按加价幅度代为出价；最后5分钟内有人出价，该拍品的结束时间顺延5分钟。",
                    "竞买人以号牌显示，不显示企业名称。",
                ),
                ("heading", "成交与悔拍"),
                *paragraphs(
                    "最高出价达到保留价即成交，保证金抵作价款，余款须在10日内付清；逾期未付视为悔拍，保证金不予退还。"
                ),
            ],
        },
        "en": {
            "title": "Auction rules",
            "intro": "Registration, deposits, bidding and sale in the achievement auctions.",
            "body": [
                ("heading", "Deposits"),
                *paragraphs(
                    "A verified enterprise bids on a lot once it has paid that lot's deposit; "
                    "deposits of those who do not win are refunded within 24 hours of the lot "
                    "being sold or passed."
                ),
                ("heading", "Proxy bids and soft close"),
                *paragraphs(
                    "A bid sets your maximum; the platform bids for you by the increment. A bid "
                    "in a lot's last 5 minutes extends its closing time by 5 minutes.",
                    "Bidders are shown by paddle number, never by name.",
                ),
                ("heading", "Sale and default"),
                *paragraphs(
                    "A lot is sold when the highest maximum reaches the reserve; the deposit is "
                    "applied to the price and the balance is due within 10 days. A buyer who "
                    "does not pay in time defaults and forfeits the deposit."
                ),
            ],
        },
    },
    {
        "slug": "policies",
        "menu": True,
        "zh": {
            "title": "政策文件",
            "intro": "平台依据的工会政策文件。",
            "body": [],
        },
        "en": {
            "title": "Policy documents",
            "intro": "The union policies the platform implements.",
            "body": [],
        },
        "children": [
            {
                "slug": "shanghai-ftu-2024-7",
                "menu": False,
                "zh": {
                    "title": "上海市总工会关于推动高质量发展 建设高技能职工队伍的实施意见",
                    "intro": "沪工总发〔2024〕7号",
                    "body": policy_body,
                },
                "en": {
                    "title": "Implementing opinions on building a high-skill workforce (2024)",
                    "intro": "Shanghai Federation of Trade Unions, document No. 7 of 2024. "
                    "An English summary; the Chinese text is authoritative.",
                    "body": paragraphs(
                        'The opinions ask for "five small" innovation activities with excellent '
                        "projects selected and improved; 1,000 Shanghai craftsmen selected; a "
                        "trading platform for workers' innovation achievements holding two "
                        "auctions a year and reaching ¥1 billion of transactions in three years; "
                        "tiered incubation, high-value patents; and a mechanism that shares the "
                        "proceeds of transformation with the workers.",
                    ),
                },
            }
        ],
    },
]

NEWS_INDEXES = [
    {
        "slug": "news",
        "zh": {"title": "新闻动态", "intro": "<p>平台与拍卖会的最新消息。</p>"},
        "en": {"title": "News", "intro": "<p>The latest from the platform and its auctions.</p>"},
        "articles": [
            {
                "slug": "autumn-2026-auction-results",
                "date": date(2026, 11, 20),
                "tags": (["拍卖会", "成交"], ["auctions", "results"]),
                "zh": (
                    "2026年秋季成果拍卖会落槌",
                    "秋季拍卖会多项职工创新成果成交，收益将按分享方案分配给发明人。",
                ),
                "en": (
                    "Autumn 2026 auction closes",
                    "Several workers' innovations were sold; the proceeds will be shared with "
                    "their inventors.",
                ),
            },
            {
                "slug": "spring-2027-call-for-lots",
                "date": date(2026, 11, 28),
                "tags": (["拍卖会", "征集"], ["auctions", "call for lots"]),
                "zh": (
                    "2027年春季拍卖会拍品征集启动",
                    "欢迎已评定为可转化的五小创新成果报名参加春季拍卖会。",
                ),
                "en": (
                    "Call for lots: spring 2027 auction",
                    "Innovations graded as ready to transact may be entered for the spring "
                    "session.",
                ),
            },
            {
                "slug": "craftsmen-selection-2026",
                "date": date(2026, 10, 15),
                "tags": (["上海工匠"], ["Shanghai craftsmen"]),
                "zh": (
                    "2026年度上海工匠选树结果公布",
                    "本年度新增一批上海工匠，覆盖智能制造、生物医药等重点产业。",
                ),
                "en": (
                    "Shanghai craftsmen of 2026 announced",
                    "This year's Shanghai craftsmen come from smart manufacturing, "
                    "biomedicine and other key industries.",
                ),
            },
        ],
    },
    {
        "slug": "forum",
        "zh": {"title": "工匠论坛", "intro": "<p>工匠们分享技艺与创新经验。</p>"},
        "en": {
            "title": "Craftsmen's forum",
            "intro": "<p>Craftsmen share their skills and innovations.</p>",
        },
        "articles": [
            {
                "slug": "from-suggestion-to-patent",
                "date": date(2026, 9, 8),
                "tags": (["经验分享", "专利"], ["experience", "patents"]),
                "zh": (
                    "从一条小建议到一项发明专利",
                    "一位数控车工讲述他把车间里的一条合理化建议做成发明专利的经历。",
                ),
                "en": (
                    "From a small suggestion to an invention patent",
                    "A CNC turner tells how a suggestion on the shop floor became an invention "
                    "patent.",
                ),
            },
            {
                "slug": "measuring-equipment-workshop",
                "date": date(2026, 8, 21),
                "tags": (["经验分享"], ["experience"]),
                "zh": (
                    "量测设备创新工作室交流会",
                    "关键仪器与量测设备领域的创新工作室交流改进经验。",
                ),
                "en": (
                    "Measuring-equipment studio exchange",
                    "Innovation studios working on key instruments and measuring equipment "
                    "compare notes.",
                ),
            },
        ],
    },
]


def _translate(page: Page, locale: Locale, fields: dict, *, tags=None) -> None:
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.draft_title = translated.title
    if tags is not None:
        translated.tags.set(tags)
    translated.save_revision().publish()


def menu_section(home: HomePage, en: Locale, page_class: type[Page], spec: dict) -> Page:
    """The section page `spec["slug"]` under the Chinese home, in the header menu, made with
    its Chinese fields and translated with its English ones when it does not exist yet."""
    section = home.get_children().filter(slug=spec["slug"]).first()
    if section is None:
        section = page_class(slug=spec["slug"], show_in_menus=True, **spec["zh"])
        home.add_child(instance=section)
        section.save_revision().publish()
        _translate(section, en, spec["en"])
    return section.specific


def _content_page(parent: Page, parent_en_locale: Locale, spec: dict) -> None:
    existing = parent.get_children().filter(slug=spec["slug"]).first()
    if existing is None:
        zh = {**spec["zh"]}
        if callable(zh["body"]):
            zh["body"] = zh["body"]()
        page = ContentPage(slug=spec["slug"], show_in_menus=spec["menu"], **zh)
        parent.add_child(instance=page)
        page.save_revision().publish()
        _translate(page, parent_en_locale, spec["en"])
    else:
        page = existing
    for child in spec.get("children", []):
        _content_page(page, parent_en_locale, child)


def _news_index(home: HomePage, en: Locale, spec: dict) -> None:
    index = menu_section(home, en, NewsIndexPage, spec)
    for article in spec["articles"]:
        if index.get_children().filter(slug=article["slug"]).exists():
            continue
        zh_tags, en_tags = article["tags"]
        title, intro = article["zh"]
        page = NewsPage(
            slug=article["slug"],
            date=article["date"],
            title=title,
            intro=intro,
            body=paragraphs(intro),
        )
        index.add_child(instance=page)
        page.tags.set(zh_tags)
        page.save_revision().publish()
        title, intro = article["en"]
        _translate(
            page, en, {"title": title, "intro": intro, "body": paragraphs(intro)}, tags=en_tags
        )


@transaction.atomic
def seed_editorial_pages() -> None:
    home = HomePage.objects.get(depth=2, locale__language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    for spec in CONTENT_PAGES:
        _content_page(home, en, spec)
    for spec in NEWS_INDEXES:
        _news_index(home, en, spec)
