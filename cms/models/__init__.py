from cms.models.content import ContentPage
from cms.models.home import HomePage
from cms.models.news import NewsIndexPage, NewsPage, NewsPageTag

__all__ = ["ContentPage", "HomePage", "NewsIndexPage", "NewsPage", "NewsPageTag"]
