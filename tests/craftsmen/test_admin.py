"""Union staff curate craftsmen in the Wagtail admin: profiles with honours inline and a
portrait from the image library, whose description is required; studios. Workers and
enterprise members reach none of it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext

from accounts.choices import Role
from craftsmen.models import Craftsman, Studio
from innovations.choices import Status
from tests.factories.accounts import EnterpriseFactory, UserFactory
from tests.factories.craftsmen import CraftsmanFactory, HonourFactory
from tests.factories.innovations import InnovationFactory

pytestmark = pytest.mark.django_db

INDEX_URL = "/admin/craftsmen/"
ADD_URL = "/admin/craftsmen/new/"
STUDIO_ADD_URL = "/admin/studios/new/"


def edit_url(craftsman) -> str:
    return reverse("craftsmen_admin:edit", args=[craftsman.pk])


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def craftsman_form(employer, *, honours=(), **fields) -> dict:
    data = {
        "name": "王建国",
        "name_en": "Wang Jianguo",
        "slug": "wang-jianguo",
        "is_published": "on",
        "level": "shanghai_craftsman",
        "is_model_worker": "on",
        "employer": str(employer.pk),
        "trade": "cnc_operator",
        "portrait": "",
        "portrait_alt_zh": "",
        "portrait_alt_en": "",
        "story_zh": "二十六年只做一件事。",
        "story_en": "Twenty-six years at one craft.",
        "honours-TOTAL_FORMS": str(len(honours)),
        "honours-INITIAL_FORMS": "0",
        "honours-MIN_NUM_FORMS": "0",
        "honours-MAX_NUM_FORMS": "1000",
    }
    for index, (year, name_zh, name_en) in enumerate(honours):
        data.update(
            {
                f"honours-{index}-year": str(year),
                f"honours-{index}-name_zh": name_zh,
                f"honours-{index}-name_en": name_en,
                f"honours-{index}-id": "",
                f"honours-{index}-DELETE": "",
            }
        )
    data.update(fields)
    return data


def test_staff_add_a_craftsman_with_honours_a_portrait_and_innovations(staff_client, portrait):
    employer = EnterpriseFactory()
    approved = InnovationFactory(status=Status.APPROVED)

    response = staff_client.post(
        ADD_URL,
        craftsman_form(
            employer,
            honours=[
                (2021, "全国五一劳动奖章", "National May Day Labour Medal"),
                (2019, "上海工匠", "Shanghai Craftsman"),
            ],
            portrait=str(portrait.pk),
            portrait_alt_zh="王建国在车床前",
            portrait_alt_en="Wang Jianguo at his lathe",
            innovations=[str(approved.pk)],
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    craftsman = Craftsman.objects.get(slug="wang-jianguo")
    assert craftsman.portrait == portrait
    assert [(h.year, h.name_zh) for h in craftsman.honours.all()] == [
        (2021, "全国五一劳动奖章"),
        (2019, "上海工匠"),
    ]
    assert list(craftsman.innovations.all()) == [approved]


def test_a_portrait_without_its_description_is_refused_and_nothing_saved(staff_client, portrait):
    response = staff_client.post(
        ADD_URL, craftsman_form(EnterpriseFactory(), portrait=str(portrait.pk))
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"portrait_alt_zh", "portrait_alt_en"}
    assert errors["portrait_alt_en"] == [gettext("Required when a portrait is chosen.")]
    assert not Craftsman.objects.exists()


def test_an_honour_year_out_of_range_is_a_form_error_not_a_500(staff_client):
    response = staff_client.post(
        ADD_URL, craftsman_form(EnterpriseFactory(), honours=[(1900, "旧荣誉", "Old honour")])
    )

    assert response.status_code == 200
    assert not Craftsman.objects.exists()


def test_the_innovation_choices_leave_out_workers_drafts(staff_client):
    draft = InnovationFactory(title="草稿成果", status=Status.DRAFT)
    submitted = InnovationFactory(title="待审成果", status=Status.SUBMITTED)

    response = staff_client.get(ADD_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert submitted.title in content
    assert draft.title not in content


def test_staff_edit_a_profile_and_hide_it(staff_client):
    craftsman = CraftsmanFactory(slug="li-xiuying", name="李秀英", name_en="Li Xiuying")

    response = staff_client.post(
        edit_url(craftsman),
        craftsman_form(
            craftsman.employer,
            slug="li-xiuying",
            name="李秀英",
            name_en="Li Xiuying",
            is_published="",
        ),
    )

    assert response.status_code == 302
    craftsman.refresh_from_db()
    assert craftsman.is_published is False


def test_staff_add_one_studio_per_craftsman(staff_client):
    craftsman = CraftsmanFactory()
    form = {
        "craftsman": str(craftsman.pk),
        "name_zh": "王建国创新工作室",
        "name_en": "Wang Jianguo Innovation Studio",
        "founded_year": "2016",
        "description_zh": "",
        "description_en": "",
    }

    assert staff_client.post(STUDIO_ADD_URL, form).status_code == 302
    second = staff_client.post(STUDIO_ADD_URL, {**form, "name_zh": "第二个工作室"})

    assert second.status_code == 200
    assert "craftsman" in second.context["form"].errors
    assert Studio.objects.count() == 1


def test_the_admin_menu_offers_craftsmen_to_staff(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert INDEX_URL in page and "/admin/studios/" in page
    assert staff_client.get(INDEX_URL).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_only_union_staff_reach_the_craftsmen_admin(client, who):
    craftsman = CraftsmanFactory(name="原名")
    if who != "anonymous":
        role = Role.WORKER if who == "worker" else Role.ENTERPRISE_MEMBER
        client.force_login(UserFactory(role=role, enterprise=EnterpriseFactory()))

    responses = [
        client.get(INDEX_URL),
        client.get(ADD_URL),
        client.post(ADD_URL, craftsman_form(craftsman.employer, slug="new-one")),
        client.get(edit_url(craftsman)),
        client.post(edit_url(craftsman), craftsman_form(craftsman.employer, name="改名")),
        client.get("/admin/studios/"),
    ]

    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert Craftsman.objects.count() == 1
    craftsman.refresh_from_db()
    assert craftsman.name == "原名"


def test_an_admin_user_who_is_not_union_staff_is_refused(client):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    employer = EnterpriseFactory()

    assert client.get(INDEX_URL).status_code == 302
    response = client.post(ADD_URL, craftsman_form(employer))

    assert response.status_code == 302
    assert not Craftsman.objects.exists()


def test_staff_open_the_listing_edit_and_inspect_pages_of_a_profile(staff_client, portrait):
    craftsman = CraftsmanFactory(
        name="陈志刚", portrait=portrait, portrait_alt_zh="肖像", portrait_alt_en="Portrait"
    )
    HonourFactory(craftsman=craftsman, name_zh="中华技能大奖")

    listing = staff_client.get(INDEX_URL)
    edit = staff_client.get(edit_url(craftsman))
    inspect = staff_client.get(reverse("craftsmen_admin:inspect", args=[craftsman.pk]))

    assert listing.status_code == edit.status_code == inspect.status_code == 200
    assert "陈志刚" in listing.content.decode()
    edit_page = edit.content.decode()
    assert "中华技能大奖" in edit_page  # the honours inline
    assert 'name="portrait"' in edit_page and "image-chooser" in edit_page
