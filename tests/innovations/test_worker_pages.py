"""A worker writes, completes and submits an innovation through the site; others cannot see it."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.choices import Role
from innovations.choices import Status
from innovations.models import Attachment, Contributor, Innovation, Patent
from innovations.services.review import innovation_return, innovation_submit
from tests.factories.accounts import EnterpriseFactory, UserFactory
from tests.factories.innovations import InnovationFactory, PatentFactory, cn_application_number


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


def draft_form_data(employer, **overrides):
    data = {
        "title": "焊缝自动打磨小车",
        "summary": "替代人工打磨，效率提高三倍。",
        "description": "第一段说明。\n\n第二段<script>alert(1)</script>说明。",
        "category": "renovation",
        "technical_field": "basic_processes",
        "employer": employer.pk,
        "expected_benefit": "80000.00",
    }
    data.update(overrides)
    return data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_worker_saves_a_draft_and_sees_it_under_my_innovations(worker_client, worker):
    employer = EnterpriseFactory()

    response = worker_client.post("/innovations/new/", draft_form_data(employer))

    innovation = Innovation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/innovations/{innovation.pk}/"
    assert innovation.owner == worker
    assert innovation.status == Status.DRAFT
    assert innovation.expected_benefit == Decimal("80000.00")
    assert innovation.contributors.get().share == Decimal("100")
    assert "<script>" not in innovation.description
    assert innovation.description.startswith("<p>第一段说明。</p>")
    assert "焊缝自动打磨小车" in worker_client.get("/innovations/mine/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"category": "big-invention"}, "category"),
        ({"expected_benefit": "-1"}, "expected_benefit"),
        ({"expected_benefit": "1e20"}, "expected_benefit"),
        ({"expected_benefit": "abc"}, "expected_benefit"),
        ({"description": "<p> </p><script>x</script>"}, "description"),
    ],
)
def test_bad_draft_input_is_refused_and_nothing_is_saved(worker_client, overrides, field):
    response = worker_client.post(
        "/innovations/new/", draft_form_data(EnterpriseFactory(), **overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Innovation.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/innovations/new/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_inventors_with_shares_60_and_40_are_saved(worker_client, worker):
    innovation = InnovationFactory(owner=worker)
    colleague = UserFactory(role=Role.WORKER, mobile="13912345678")

    response = worker_client.post(
        f"/innovations/{innovation.pk}/inventors/",
        {
            "contributors-TOTAL_FORMS": "3",
            "contributors-INITIAL_FORMS": "0",
            "contributors-0-name": worker.get_full_name(),
            "contributors-0-account": worker.email,
            "contributors-0-share": "60",
            "contributors-1-name": "",
            "contributors-1-account": "13912345678",
            "contributors-1-share": "30",
            "contributors-2-name": "赵师傅（退休）",
            "contributors-2-account": "",
            "contributors-2-share": "10",
        },
    )

    assert response.status_code == 302
    shares = list(innovation.contributors.values_list("user", "name", "share"))
    assert shares == [
        (worker.pk, worker.get_full_name(), Decimal("60.00")),
        (colleague.pk, colleague.get_full_name(), Decimal("30.00")),
        (None, "赵师傅（退休）", Decimal("10.00")),
    ]


def test_an_unknown_co_inventor_account_is_refused_and_nothing_changes(worker_client, worker):
    innovation = InnovationFactory(owner=worker)

    response = worker_client.post(
        f"/innovations/{innovation.pk}/inventors/",
        {
            "contributors-TOTAL_FORMS": "1",
            "contributors-INITIAL_FORMS": "0",
            "contributors-0-account": "nobody@example.com",
            "contributors-0-share": "100",
        },
    )

    assert response.status_code == 400
    assert "No worker account" in response.content.decode() or "没有" in response.content.decode()
    assert innovation.contributors.get().user == worker


def test_submitting_with_shares_not_adding_to_100_shows_why(worker_client, worker):
    innovation = InnovationFactory(owner=worker)
    Contributor.objects.filter(innovation=innovation).update(share=90)

    response = worker_client.post(f"/innovations/{innovation.pk}/submit/", follow=True)

    innovation.refresh_from_db()
    assert innovation.status == Status.DRAFT
    assert "90" in response.content.decode()


def test_submit_then_answer_a_return_by_editing_and_resubmitting(
    worker_client, worker, union_staff
):
    innovation = InnovationFactory(owner=worker)
    assert worker_client.post(f"/innovations/{innovation.pk}/submit/").status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == Status.SUBMITTED
    assert worker_client.get(f"/innovations/{innovation.pk}/edit/").status_code == 404

    innovation_return(innovation=innovation, actor=union_staff, comment="请补充效益测算依据。")
    page = worker_client.get(f"/innovations/{innovation.pk}/").content.decode()
    assert "请补充效益测算依据。" in page

    form = draft_form_data(innovation.employer, expected_benefit="95000.00")
    assert worker_client.post(f"/innovations/{innovation.pk}/edit/", form).status_code == 302
    assert worker_client.post(f"/innovations/{innovation.pk}/submit/").status_code == 302
    innovation.refresh_from_db()
    assert (innovation.status, innovation.expected_benefit) == (
        Status.SUBMITTED,
        Decimal("95000.00"),
    )


def test_linking_a_patent_normalises_its_number(worker_client, worker):
    innovation = InnovationFactory(owner=worker)
    number = cn_application_number(123456)  # CN2023100123456.?
    written = "ZL " + number[2:6] + " " + number[6] + " " + number[7:]

    response = worker_client.post(
        f"/innovations/{innovation.pk}/patents/",
        {
            "patent-number": written,
            "patent-kind": "invention",
            "patent-status": "granted",
            "patent-filing_date": "2023-03-01",
            "patent-grant_date": "2024-06-18",
            "patent-holders": "上海临港智能装备有限公司",
        },
    )

    assert response.status_code == 302
    assert Patent.objects.get().number == number


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"patent-number": "CN202310123456.8"}, "number"),
        ({"patent-number": "hello"}, "number"),
        ({"patent-kind": "design"}, "kind"),
        ({"patent-status": "granted", "patent-grant_date": ""}, "grant_date"),
        ({"patent-grant_date": "2022-01-01", "patent-status": "granted"}, "grant_date"),
        ({"patent-filing_date": "2999-01-01"}, "filing_date"),
        ({"patent-holders": ""}, "holders"),
    ],
)
def test_bad_patents_are_refused_and_nothing_is_saved(worker_client, worker, overrides, field):
    innovation = InnovationFactory(owner=worker)
    data = {
        "patent-number": cn_application_number(7),
        "patent-kind": "invention",
        "patent-status": "pending",
        "patent-filing_date": "2023-03-01",
        "patent-grant_date": "",
        "patent-holders": "上海临港智能装备有限公司",
    }
    data.update(overrides)

    response = worker_client.post(f"/innovations/{innovation.pk}/patents/", data)

    assert response.status_code == 400
    assert field in response.context["patent_form"].errors
    assert not Patent.objects.exists()


def test_a_patent_already_on_another_innovation_is_refused(worker_client, worker):
    existing = PatentFactory()
    innovation = InnovationFactory(owner=worker)

    response = worker_client.post(
        f"/innovations/{innovation.pk}/patents/",
        {
            "patent-number": existing.number,
            "patent-kind": "invention",
            "patent-status": "pending",
            "patent-filing_date": "2023-03-01",
            "patent-holders": "某公司",
        },
    )

    assert response.status_code == 400
    assert Patent.objects.count() == 1


def test_an_image_upload_is_stored_and_served_to_the_owner(
    worker_client, worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    innovation = InnovationFactory(owner=worker)

    response = worker_client.post(
        f"/innovations/{innovation.pk}/files/",
        {
            "attachment-kind": "image",
            "attachment-file": SimpleUploadedFile("现场照片.png", png_bytes(), "image/png"),
        },
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("现场照片.png", "image/png")
    download = worker_client.get(f"/innovations/{innovation.pk}/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png_bytes()


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(
    worker_client, worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    innovation = InnovationFactory(owner=worker)

    response = worker_client.post(
        f"/innovations/{innovation.pk}/files/",
        {
            "attachment-kind": "document",
            "attachment-file": SimpleUploadedFile(
                "说明书.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"
            ),
        },
    )

    assert response.status_code == 400
    assert "file" in response.context["attachment_form"].errors
    assert not Attachment.objects.exists()
    assert list(tmp_path.rglob("*.*")) == []


def test_a_30_mb_upload_is_refused(worker_client, worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    innovation = InnovationFactory(owner=worker)
    big_pdf = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)

    response = worker_client.post(
        f"/innovations/{innovation.pk}/files/",
        {
            "attachment-kind": "document",
            "attachment-file": SimpleUploadedFile("big.pdf", big_pdf, "application/pdf"),
        },
    )

    assert response.status_code == 400
    assert not Attachment.objects.exists()


class TestOtherPeopleCannotSeeOrChangeADraft:
    @pytest.fixture
    def draft(self, worker):
        return InnovationFactory(owner=worker)

    @pytest.fixture
    def other_client(self, client, db):
        client.force_login(UserFactory(role=Role.WORKER))
        return client

    @pytest.mark.parametrize(
        "path",
        ["/innovations/{pk}/", "/innovations/{pk}/edit/", "/en/innovations/{pk}/"],
    )
    def test_pages_are_404_for_another_worker(self, other_client, draft, path):
        assert other_client.get(path.format(pk=draft.pk)).status_code == 404

    @pytest.mark.parametrize(
        "path",
        [
            "/innovations/{pk}/edit/",
            "/innovations/{pk}/submit/",
            "/innovations/{pk}/delete/",
            "/innovations/{pk}/inventors/",
            "/innovations/{pk}/patents/",
            "/innovations/{pk}/files/",
        ],
    )
    def test_posts_are_404_for_another_worker_and_change_nothing(self, other_client, draft, path):
        response = other_client.post(path.format(pk=draft.pk), {"title": "偷改"})

        assert response.status_code == 404
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT
        assert draft.title != "偷改"

    def test_anonymous_gets_404_for_a_draft(self, client, draft):
        assert client.get(f"/innovations/{draft.pk}/").status_code == 404

    def test_the_draft_is_not_listed_for_another_worker(self, other_client, draft):
        assert draft.title not in other_client.get("/innovations/mine/").content.decode()


def test_a_co_inventor_sees_the_submitted_innovation_but_cannot_edit_it(client, worker):
    colleague = UserFactory(role=Role.WORKER)
    innovation = InnovationFactory(owner=worker)
    Contributor.objects.filter(innovation=innovation).update(share=50)
    Contributor.objects.create(innovation=innovation, user=colleague, name="同事", share=50)
    innovation_submit(innovation=innovation, actor=worker)
    client.force_login(colleague)

    assert client.get(f"/innovations/{innovation.pk}/").status_code == 200
    assert innovation.title in client.get("/innovations/mine/").content.decode()
    assert client.get(f"/innovations/{innovation.pk}/edit/").status_code == 404


def test_pages_render_in_both_languages(worker_client, worker):
    innovation = InnovationFactory(owner=worker)

    chinese = worker_client.get(f"/innovations/{innovation.pk}/").content.decode()
    english = worker_client.get(f"/en/innovations/{innovation.pk}/").content.decode()

    assert '<html lang="zh-hans"' in chinese and "小发明" in chinese
    assert '<html lang="en"' in english and "Small invention" in english


def test_the_same_co_inventor_twice_is_refused_with_the_services_message(worker_client, worker):
    innovation = InnovationFactory(owner=worker)

    response = worker_client.post(
        f"/en/innovations/{innovation.pk}/inventors/",
        {
            "contributors-TOTAL_FORMS": "2",
            "contributors-INITIAL_FORMS": "0",
            "contributors-0-account": worker.email,
            "contributors-0-share": "50",
            "contributors-1-account": worker.email,
            "contributors-1-share": "50",
        },
    )

    assert response.status_code == 400
    assert "The same worker is listed twice." in response.content.decode()
    assert innovation.contributors.get().share == Decimal("100")


def test_an_empty_inventor_list_is_refused(worker_client, worker):
    innovation = InnovationFactory(owner=worker)

    response = worker_client.post(
        f"/en/innovations/{innovation.pk}/inventors/",
        {"contributors-TOTAL_FORMS": "1", "contributors-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 400
    assert "An innovation needs at least one inventor." in response.content.decode()
    assert innovation.contributors.count() == 1
