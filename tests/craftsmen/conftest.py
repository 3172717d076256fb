from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from cms.models import CraftsmanIndexPage, HomePage


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Portraits and their renditions are written to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def index_pages(db):
    """工匠风采 at /craftsmen/ and its English translation at /en/craftsmen/."""
    home = HomePage.objects.get(depth=2, locale__language_code="zh-hans")
    index = CraftsmanIndexPage(title="工匠风采", slug="craftsmen", intro="<p>工匠简介</p>")
    home.add_child(instance=index)
    index.save_revision().publish()
    english = index.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Craftsmen"
    english.intro = "<p>About craftsmen</p>"
    english.save_revision().publish()
    return {"zh-hans": index, "en": english}


def make_image(title: str = "肖像", size: tuple[int, int] = (600, 750)):
    buffer = BytesIO()
    PillowImage.new("RGB", size, (180, 40, 30)).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(BytesIO(buffer.getvalue()), name="portrait.png")
    image.save()
    return image


@pytest.fixture
def portrait(db):
    return make_image()
