"""Every user-facing form, fed the corpus of bad values one field at a time (the other fields
valid): never a server error, and a value the field must refuse writes nothing.

One test per form, looping over its fields and values, so the suite stays fast.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from accounts.models import Enterprise, User
from api.models import ApiToken
from innovations.models import Attachment, Contributor, Innovation, Patent
from licensing.models import PayoutProfile
from marketplace.models import Bid, CheckoutSession, Deposit
from tests.factories.accounts import credit_code
from tests.security import bad_inputs
from tests.security.bad_inputs import CREDIT_CODES, PATENT_NUMBERS, refuses, values_for
from tests.security.submitting import attempt, post_form

pytestmark = pytest.mark.django_db

PASSWORD = "Wie-Secure-Pass-2026!"


@dataclass(frozen=True)
class Field:
    kind: str  # see bad_inputs: text, format, number, choice, id, amount
    required: bool = True
    long_ok: bool = False  # a 10,000-character value is within its limit
    extra: tuple = ()  # more values of its own (malformed codes)


@dataclass(frozen=True)
class Form:
    role: str
    url: Callable
    base: Callable
    fields: dict
    state: Callable  # world → what a refusal must leave unchanged
    prefix: str = ""
    fresh_client: bool = False  # it logs the sender in (registration)

    def data(self, world, **changes) -> dict:
        fields = {**self.base(world), **changes}
        return {self.prefix + name: value for name, value in fields.items()}


def _must_refuse(spec: Field, nasty) -> bool:
    if nasty.name in ("empty", "whitespace only") and not spec.required:
        return False
    if nasty.name == "10,000 characters" and spec.long_ok:
        return False
    return refuses(spec.kind, nasty)


def _counts(*models) -> Callable:
    return lambda w: tuple(model.objects.count() for model in models)


def _registration(w) -> dict:
    return {
        "family_name": "王",
        "given_name": "新工",
        "email": "new.worker@example.com",
        "mobile": "13912345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "employer_name": "上海申江精密机械有限公司",
        "union_member_no": "SH-2026-1",
    }


def _enterprise_registration(w) -> dict:
    return {
        **_registration(w),
        "name": "上海新注册企业有限公司",
        "credit_code": credit_code(9_999_001),
        "district": "pudong",
        "industry": "1",
        "contact_name": "陈经理",
        "contact_phone": "021-62345678",
    }


def _innovation(w) -> dict:
    return {
        "title": "焊缝自动打磨小车",
        "summary": "打磨效率提高三倍。",
        "description": "小车沿焊缝自动行走。",
        "category": "invention",
        "technical_field": "basic_processes",
        "employer": str(w.enterprise.pk),
        "expected_benefit": "1000.00",
    }


def _draft_state(w):
    innovation = Innovation.objects.get(pk=w.worker_draft.pk)
    return (
        innovation.title,
        innovation.summary,
        innovation.description,
        innovation.expected_benefit,
        innovation.category,
        innovation.employer_id,
        Patent.objects.count(),
        Attachment.objects.count(),
        tuple(Contributor.objects.filter(innovation=innovation).values_list("name", "share")),
    )


INNOVATION_FIELDS = {
    "title": Field("text"),
    "summary": Field("text"),
    "description": Field("text", long_ok=True),
    "category": Field("choice"),
    "technical_field": Field("choice"),
    "employer": Field("id"),
    "industries": Field("id", required=False),
    "expected_benefit": Field("number", required=False),
}
PAYOUT_FIELDS = {
    "bank_account_name": Field("text"),
    "bank": Field("text"),
    "bank_account_number": Field("format"),
}
PAYOUT_BASE = {
    "bank_account_name": "王新工",
    "bank": "中国工商银行上海市浦东分行",
    "bank_account_number": "6222 0202 0012 3456",
}

FORMS = {
    "worker registration": Form(
        "anonymous",
        lambda w: "/accounts/register/",
        _registration,
        {
            "family_name": Field("text"),
            "given_name": Field("text"),
            "email": Field("format", required=False),
            "mobile": Field("format", required=False),
            "employer_name": Field("text"),
            "union_member_no": Field("format", required=False),
            "password2": Field("format"),
        },
        _counts(User, Enterprise),
        fresh_client=True,
    ),
    "enterprise registration": Form(
        "anonymous",
        lambda w: "/accounts/enterprise/register/",
        _enterprise_registration,
        {
            "name": Field("text"),
            "credit_code": Field("format", extra=tuple(CREDIT_CODES)),
            "district": Field("choice"),
            "industry": Field("id"),
            "contact_name": Field("text"),
            "contact_phone": Field("format"),
            "mobile": Field("format", required=False),
            "family_name": Field("text"),
        },
        _counts(User, Enterprise),
        fresh_client=True,
    ),
    "login": Form(
        "anonymous",
        lambda w: "/accounts/login/",
        lambda w: {"username": w.users["worker"].email, "password": "wrong password"},
        {"username": Field("format"), "password": Field("format")},
        _counts(User),
        fresh_client=True,
    ),
    "enterprise join": Form(
        "anonymous",
        lambda w: f"/accounts/enterprise/join/{w.invitation_token}/",
        lambda w: {k: v for k, v in _registration(w).items() if k not in ("email",)},
        {
            "family_name": Field("text"),
            "mobile": Field("format", required=False),
            "password1": Field("format"),
        },
        _counts(User),
        fresh_client=True,
    ),
    "enterprise invite": Form(
        "member",
        lambda w: "/accounts/enterprise/invite/",
        lambda w: {"email": "colleague@example.com"},
        {"email": Field("format")},
        # The invitation is emailed after commit: a queued callback is what an accepted one leaves.
        lambda w: len(connection.run_on_commit),
        prefix="invite-",
    ),
    "API token": Form(
        "member",
        lambda w: "/accounts/enterprise/api-tokens/",
        lambda w: {"name": "报价程序"},
        {"name": Field("text")},
        _counts(ApiToken),
    ),
    "innovation create": Form(
        "worker",
        lambda w: "/innovations/new/",
        _innovation,
        INNOVATION_FIELDS,
        _counts(Innovation),
    ),
    "innovation edit": Form(
        "worker",
        lambda w: f"/innovations/{w.worker_draft.pk}/edit/",
        _innovation,
        INNOVATION_FIELDS,
        _draft_state,
    ),
    "patent": Form(
        "worker",
        lambda w: f"/innovations/{w.worker_draft.pk}/patents/",
        lambda w: {
            "number": "ZL 2023 1 0397744.0",
            "kind": "invention",
            "status": "pending",
            "filing_date": "2023-03-01",
            "grant_date": "",
            "holders": "上海申江精密机械有限公司",
        },
        {
            "number": Field("format", extra=tuple(PATENT_NUMBERS)),
            "kind": Field("choice"),
            "status": Field("choice"),
            "filing_date": Field("format"),
            "grant_date": Field("format", required=False),
            "holders": Field("text"),
        },
        _draft_state,
        prefix="patent-",
    ),
    "inventors": Form(
        "worker",
        lambda w: f"/innovations/{w.worker_draft.pk}/inventors/",
        lambda w: {
            "contributors-TOTAL_FORMS": "1",
            "contributors-INITIAL_FORMS": "0",
            "contributors-MIN_NUM_FORMS": "0",
            "contributors-MAX_NUM_FORMS": "20",
            "contributors-0-name": "王新工",
            "contributors-0-account": "",
            "contributors-0-share": "100",
        },
        {
            "contributors-0-share": Field("amount"),
            "contributors-0-account": Field("format", required=False),
            "contributors-TOTAL_FORMS": Field("id"),
        },
        _draft_state,
    ),
    "bid": Form(
        "member",
        lambda w: f"/auctions/lots/{w.lot.pk}/bid/",
        lambda w: {"max_amount": "200000.00"},
        {"max_amount": Field("amount")},
        _counts(Bid),
    ),
    "deposit checkout": Form(
        "member",
        lambda w: "/deposits/checkout/",
        lambda w: {"lot": str(w.free_lot.pk)},
        # `next` only says where to go back to: any text will do (see the open-redirect test).
        {"lot": Field("id"), "checkout": Field("id", required=False), "next": Field("free")},
        _counts(CheckoutSession, Deposit),
    ),
    "simulated checkout": Form(
        "member",
        lambda w: f"/deposits/checkout/simulated/{w.checkout.stripe_session_id}/",
        lambda w: {"action": "cancel"},
        {"action": Field("choice")},
        lambda w: CheckoutSession.objects.get(pk=w.checkout.pk).status,
    ),
    "bank details": Form(
        "worker",
        lambda w: "/licensing/earnings/bank-details/",
        lambda w: PAYOUT_BASE,
        PAYOUT_FIELDS,
        _counts(PayoutProfile),
    ),
    "enterprise bank details": Form(
        "member",
        lambda w: "/licensing/earnings/enterprise-bank-details/",
        lambda w: PAYOUT_BASE,
        PAYOUT_FIELDS,
        _counts(PayoutProfile),
    ),
}


def _client(form: Form, world, clients) -> Client:
    if not form.fresh_client:
        return clients[form.role]
    client = Client(raise_request_exception=False)
    if world.users[form.role] is not None:
        client.force_login(world.users[form.role])
    return client


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_a_form_refuses_bad_values_without_a_server_error(form_name, world, clients):
    form = FORMS[form_name]
    problems = []
    for name, spec in form.fields.items():
        for nasty in [*values_for(spec.kind), *spec.extra]:
            data = form.data(world, **{name: nasty.value})
            client = _client(form, world, clients)
            outcome = attempt(
                lambda data=data, client=client: post_form(client, form.url(world), data),
                lambda: form.state(world),
                must_refuse=_must_refuse(spec, nasty),
                label=f"{form_name}.{name} = {nasty.name}",
            )
            if outcome.problem:
                problems.append(outcome.problem)

    assert not problems, "\n".join(problems)


def test_the_base_values_are_accepted_so_each_refusal_is_the_bad_values_doing(world, clients):
    """Without this, a form that refused everything (a broken base) would pass the test above."""
    for form_name, form in FORMS.items():
        if form_name in ("login", "simulated checkout"):
            continue
        client = _client(form, world, clients)
        outcome = attempt(
            lambda form=form, client=client: post_form(client, form.url(world), form.data(world)),
            lambda form=form: form.state(world),
            must_refuse=False,
            label=form_name,
            record=False,
        )
        assert outcome.written, f"{form_name}: the valid base values were refused"


OFFSITE = [
    "https://evil.example/",
    "//evil.example/",
    "\\\\evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "http:evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", OFFSITE)
def test_the_deposit_forms_next_never_leaves_the_site(target, world, clients):
    outcome = attempt(
        lambda: post_form(clients["member"], "/deposits/checkout/", {"lot": "", "next": target}),
        lambda: 0,
        must_refuse=True,
        label=f"next={target!r}",
    )

    location = outcome.response["Location"]
    assert outcome.status == 303
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


# --- Uploads -------------------------------------------------------------------------------------

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fe0dc7a3e20000000049454e44ae426082"
)
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
UPLOADS = [
    ("exe renamed .pdf", "document", "report.pdf", b"MZ\x90\x00" + b"\x00" * 200),
    ("30 MB", "document", "big.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)),
    ("SVG with script as image", "image", "logo.svg", SVG_WITH_SCRIPT),
    ("SVG renamed .png", "image", "logo.png", SVG_WITH_SCRIPT),
    ("HTML renamed .pdf", "document", "page.pdf", b"<html><script>alert(1)</script></html>"),
    ("PNG named .pdf", "document", "photo.pdf", PNG_1PX),
    ("truncated PNG", "image", "cut.png", PNG_1PX[:40]),
    ("empty file", "document", "empty.pdf", b""),
    ("name with NUL and RTL", "document", "a\u202eexe.pdf", b"MZ" + b"\x00" * 50),
    ("bad kind", "<script>", "ok.pdf", b"%PDF-1.4\n%%EOF"),
]


@pytest.mark.parametrize("label,kind,name,content", UPLOADS, ids=[u[0] for u in UPLOADS])
def test_a_disguised_or_oversized_upload_is_refused(label, kind, name, content, world, clients):
    path = f"/innovations/{world.worker_draft.pk}/files/"
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    outcome = attempt(
        lambda: clients["worker"].post(path, {"attachment-kind": kind, "attachment-file": upload}),
        lambda: Attachment.objects.count(),
        must_refuse=True,
        label=f"upload {label}",
    )

    assert outcome.problem is None, outcome.problem
    assert outcome.status == 400


# --- Searches and filters (GET): never a server error --------------------------------------------

GET_PARAMETERS = {
    "/search/": ["q", "page"],
    "/innovations/": [
        "q",
        "category",
        "technical_field",
        "industry",
        "tier",
        "has_granted_patent",
        "employer",
        "ordering",
        "page",
    ],
    "/auctions/lots/": [
        "session",
        "category",
        "technical_field",
        "industry",
        "right_type",
        "price_min",
        "price_max",
        "status",
        "has_granted_patent",
        "ordering",
        "page",
    ],
    "/goal/": ["x"],
}


@pytest.mark.parametrize("path", sorted(GET_PARAMETERS))
def test_searches_and_filters_answer_bad_values_without_a_server_error(path, world, clients):
    problems = []
    for parameter in GET_PARAMETERS[path]:
        for nasty in bad_inputs.TEXT_VALUES + bad_inputs.NUMBER_VALUES:
            query = bad_inputs.form_query({parameter: nasty.value})
            outcome = attempt(
                lambda query=query: clients["anonymous"].get(f"{path}?{query}"),
                lambda: 0,
                must_refuse=False,
                label=f"GET {path}?{parameter}={nasty.name}",
            )
            if outcome.problem or outcome.status != 200:
                problems.append(outcome.problem or f"{parameter}={nasty.name}: {outcome.status}")

    assert not problems, "\n".join(problems)
