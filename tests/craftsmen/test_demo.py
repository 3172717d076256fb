import pytest
from django.test.utils import override_settings
from wagtail.images import get_image_model

from accounts.demo import seed_people
from cms.models import CraftsmanIndexPage
from craftsmen.choices import Level
from craftsmen.demo import DEMO_CRAFTSMEN, portrait_png, seed_craftsman_pages, seed_craftsmen
from craftsmen.models import Craftsman, Honour, Studio
from craftsmen.selectors import craftsman_pyramid
from innovations.demo import seed_innovations

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people_and_innovations():
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        seed_people()
        seed_innovations()


def test_the_demo_seeds_the_pyramid_once(demo_people_and_innovations):
    assert seed_craftsmen() == len(DEMO_CRAFTSMEN)
    counts = (Craftsman.objects.count(), Honour.objects.count(), Studio.objects.count())
    images = get_image_model().objects.count()

    assert seed_craftsmen() == 0

    assert (Craftsman.objects.count(), Honour.objects.count(), Studio.objects.count()) == counts
    assert get_image_model().objects.count() == images == len(DEMO_CRAFTSMEN)
    by_level = {tier.value: tier.count for tier in craftsman_pyramid().levels}
    assert by_level[Level.SHANGHAI_CRAFTSMAN] >= 3
    assert by_level[Level.CRAFTSMAN_TALENT] >= 4
    assert by_level[Level.SKILLED_WORKER] >= 5
    assert all(tier.count > 0 for tier in craftsman_pyramid().distinctions)


def test_demo_craftsmen_link_the_demo_innovations_and_have_described_portraits(
    demo_people_and_innovations,
):
    seed_craftsmen()

    wang = Craftsman.objects.get(slug="wang-jianguo")
    assert set(wang.innovations.values_list("title", flat=True)) == {
        "数控车床刀具快速对刀装置",
        "轴承压装力在线检测改造",
    }
    assert wang.studio.name_zh == "王建国创新工作室"
    assert wang.employer.industry is not None
    assert not Craftsman.objects.filter(portrait__isnull=True).exists()
    assert not Craftsman.objects.filter(portrait_alt_zh="").exists()


def test_the_demo_portrait_is_the_same_each_time():
    spec = DEMO_CRAFTSMEN[0]

    assert portrait_png(spec) == portrait_png(spec)
    assert portrait_png(spec) != portrait_png(DEMO_CRAFTSMEN[1])


def test_the_demo_index_page_exists_once_in_both_languages(client, demo_people_and_innovations):
    seed_craftsmen()
    seed_craftsman_pages()
    seed_craftsman_pages()

    pages = CraftsmanIndexPage.objects.live()
    assert sorted(pages.values_list("locale__language_code", "title")) == [
        ("en", "Craftsmen"),
        ("zh-hans", "工匠风采"),
    ]
    assert all(page.show_in_menus for page in pages)
    chinese = client.get("/craftsmen/").content.decode()
    assert "王建国" in chinese and 'href="/craftsmen/"' in chinese.split("</header>")[0]
    assert client.get("/en/craftsmen/li-xiuying/").status_code == 200
    english = client.get("/en/craftsmen/li-xiuying/").content.decode()
    # 李秀英's second innovation is still under review: not on her profile
    assert "高压电缆接头温度无线监测贴片" not in english
    assert "地铁隧道巡检便携照明支架" in english
