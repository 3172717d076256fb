from cms.models.content import ContentPage
from cms.models.craftsmen import CraftsmanIndexPage
from cms.models.home import HomePage
from cms.models.news import NewsIndexPage, NewsPage, NewsPageTag

__all__ = [
    "ContentPage",
    "CraftsmanIndexPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
]
