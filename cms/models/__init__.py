from cms.models.auction_sessions import AuctionSessionIndexPage, AuctionSessionPage
from cms.models.content import ContentPage
from cms.models.craftsmen import CraftsmanIndexPage
from cms.models.home import HomeFeaturedCraftsman, HomeFeaturedInnovation, HomePage
from cms.models.news import NewsIndexPage, NewsPage, NewsPageTag
from cms.models.showcase import ShowcaseCategoryPage, ShowcaseIndexPage, ShowcasePin

__all__ = [
    "AuctionSessionIndexPage",
    "AuctionSessionPage",
    "ContentPage",
    "CraftsmanIndexPage",
    "HomeFeaturedCraftsman",
    "HomeFeaturedInnovation",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "ShowcaseCategoryPage",
    "ShowcaseIndexPage",
    "ShowcasePin",
]
