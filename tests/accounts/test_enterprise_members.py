"""Members see their enterprise, its verification status and its members, and invite
colleagues by a signed link that is valid for 7 days."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY, authenticate
from django.core import mail, signing
from django.utils import translation
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from accounts.choices import Role, VerificationStatus
from accounts.exceptions import (
    EnterpriseInvitationEmailTakenError,
    EnterpriseInvitationExpiredError,
    EnterpriseInvitationInvalidError,
    EnterpriseNotMemberError,
    RegistrationMobileTakenError,
)
from accounts.models import Enterprise, User
from accounts.services.enterprises import (
    INVITATION_SALT,
    LOG_JOIN,
    enterprise_invitation_load,
    enterprise_invitation_token,
    enterprise_invite_member,
    enterprise_join,
)
from accounts.services.roles import user_roles
from tests.factories.accounts import EnterpriseFactory, UserFactory

DETAIL_URL_EN = "/en/accounts/enterprise/"
DETAIL_URL_ZH = "/accounts/enterprise/"
INVITE_URL_EN = "/en/accounts/enterprise/invite/"
NEW_PASSWORD = "Lathe-jig-2026-pudong"
INVITEE = "zhao.min@example.com"
DAY = 24 * 60 * 60


def join_url(token: str, *, language: str = "en") -> str:
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/accounts/enterprise/join/{token}/"


def join_data(**overrides) -> dict:
    return {
        "family_name": "赵",
        "given_name": "敏",
        "mobile": "13700001111",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def signed_days_ago(monkeypatch, days: float):
    """Make the next token as if it had been signed `days` ago."""
    signed_at = int(time.time() - days * DAY)
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(signed_at)
    )


@pytest.fixture
def enterprise(db) -> Enterprise:
    return EnterpriseFactory(
        name="上海浦江新材料科技股份有限公司", verification_status=VerificationStatus.PENDING
    )


@pytest.fixture
def member(enterprise) -> User:
    return UserFactory(
        role=Role.ENTERPRISE_MEMBER,
        enterprise=enterprise,
        last_name="陈",
        first_name="立新",
        email="chen.lixin@example.com",
    )


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def token(member) -> str:
    return enterprise_invitation_token(inviter=member, email=INVITEE)


# The members' page


@pytest.mark.parametrize(("url", "lang"), [(DETAIL_URL_ZH, "zh-hans"), (DETAIL_URL_EN, "en")])
def test_a_member_sees_the_details_members_and_invite_form_in_both_languages(
    member_client, enterprise, member, url, lang
):
    colleague = UserFactory(enterprise=enterprise, last_name="李", first_name="秀英")
    UserFactory(enterprise=EnterpriseFactory(), last_name="外", first_name="人")

    response = member_client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in page
    assert enterprise.name in page
    assert enterprise.credit_code in page
    assert "陈立新" in page
    assert colleague.email in page
    assert "外人" not in page
    assert 'action="' + url.replace("enterprise/", "enterprise/invite/") in page


@pytest.mark.parametrize(
    ("status", "label", "words"),
    [
        (
            VerificationStatus.UNVERIFIED,
            "Not yet verified",
            "has not been sent for verification yet",
        ),
        (
            VerificationStatus.PENDING,
            "Awaiting verification",
            "Union staff are checking your enterprise",
        ),
        (VerificationStatus.VERIFIED, "Verified", "may register for auctions and bid"),
        (
            VerificationStatus.REJECTED,
            "Rejected",
            "Union staff could not verify your enterprise",
        ),
    ],
)
def test_the_verification_status_is_told_in_plain_words(
    member_client, enterprise, status, label, words
):
    Enterprise.objects.filter(pk=enterprise.pk).update(
        verification_status=status, rejection_reason="营业执照名称与填写不符"
    )

    page = member_client.get(DETAIL_URL_EN).content.decode()

    assert words in page
    assert f'"status status--{status}">{label}</span>' in page
    assert ("营业执照名称与填写不符" in page) is (status == VerificationStatus.REJECTED)
    can_resubmit = status in (VerificationStatus.UNVERIFIED, VerificationStatus.REJECTED)
    assert ('action="/en/accounts/enterprise/resubmit/"' in page) is can_resubmit


def test_anonymous_visitors_are_sent_to_log_in(client, enterprise):
    response = client.get(DETAIL_URL_EN)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


@pytest.mark.parametrize("role", [Role.WORKER, Role.UNION_STAFF])
def test_people_who_are_not_members_of_an_enterprise_get_a_404(client, db, role):
    client.force_login(UserFactory(role=role, employer=EnterpriseFactory()))

    assert client.get(DETAIL_URL_EN).status_code == 404
    assert client.post(INVITE_URL_EN, {"invite-email": INVITEE}).status_code == 404
    assert mail.outbox == []


def test_the_page_query_count_does_not_grow_with_the_members(
    member_client, enterprise, django_assert_max_num_queries
):
    for _ in range(15):
        UserFactory(enterprise=enterprise)

    with django_assert_max_num_queries(8):
        response = member_client.get(DETAIL_URL_EN)

    assert response.content.decode().count('class="member-list__contact"') == 16


# Inviting


def test_a_member_invites_a_colleague_who_gets_a_link_by_email(
    member_client, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(INVITE_URL_EN, {"invite-email": INVITEE})

    assert response.status_code == 302
    assert response["Location"] == DETAIL_URL_EN
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [INVITEE]
    assert enterprise.name in message.subject
    assert "陈立新" in message.subject
    links = re.findall(r"http://testserver(\S+/enterprise/join/\S+/)", message.body)
    assert [link.startswith("/en/") for link in links] == [False, True]
    page = member_client.get(DETAIL_URL_EN).content.decode()
    assert escape(f"Invitation sent to {INVITEE}") in page


def test_the_link_in_the_email_opens_the_join_form(
    client, member, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_invite_member(inviter=member, email=INVITEE)
    (link,) = re.findall(r"http://testserver(/en/\S+/enterprise/join/\S+/)", mail.outbox[0].body)

    response = client.get(link)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in page
    assert enterprise.name in page
    assert INVITEE in page
    assert 'name="email"' not in page


def test_the_invitation_is_not_sent_when_the_transaction_rolls_back(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enterprise_invite_member(inviter=member, email=INVITEE)

    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("not-an-email", "invalid"),
        ("", "required"),
        ("Chen.Lixin@EXAMPLE.com", EnterpriseInvitationEmailTakenError.code),
    ],
)
def test_a_refused_invitation_says_why_and_sends_nothing(
    member_client, email, code, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(INVITE_URL_EN, {"invite-email": email})

    assert response.status_code == 200
    errors = response.context["invite_form"].errors.as_data()["email"]
    assert [error.code for error in errors] == [code]
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_invite-email"' in page
    assert mail.outbox == []


def test_the_token_says_which_enterprise_which_address_and_who_invited(member, token):
    payload = signing.loads(token, salt=INVITATION_SALT)

    assert payload == {"enterprise": member.enterprise_id, "email": INVITEE, "by": member.pk}


@pytest.mark.parametrize("inviter", ["worker", "staff", "inactive member"])
def test_only_active_members_of_an_enterprise_may_invite(db, enterprise, inviter):
    user = {
        "worker": lambda: UserFactory(role=Role.WORKER, employer=enterprise),
        "staff": lambda: UserFactory(role=Role.UNION_STAFF),
        "inactive member": lambda: UserFactory(enterprise=enterprise, is_active=False),
    }[inviter]()

    with pytest.raises(EnterpriseNotMemberError):
        enterprise_invitation_token(inviter=user, email=INVITEE)
    with pytest.raises(EnterpriseNotMemberError):
        enterprise_invite_member(inviter=user, email=INVITEE)


def test_any_member_may_invite_not_only_the_one_who_registered(db, enterprise, member):
    Enterprise.objects.filter(pk=enterprise.pk).update(registered_by=member)
    colleague = UserFactory(enterprise=enterprise)

    token = enterprise_invite_member(inviter=colleague, email=INVITEE)

    assert enterprise_invitation_load(token=token).inviter == colleague


# Joining


def test_joining_creates_a_logged_in_member_with_the_invited_address(client, enterprise, token):
    response = client.post(join_url(token), join_data())

    assert response.status_code == 302
    assert response["Location"] == DETAIL_URL_EN
    user = User.objects.get(email=INVITEE)
    assert client.session.get(SESSION_KEY) == str(user.pk)
    assert user.enterprise == enterprise
    assert user_roles(user) == {Role.ENTERPRISE_MEMBER}
    assert (user.last_name, user.first_name, user.mobile) == ("赵", "敏", "13700001111")
    assert authenticate(username=INVITEE, password=NEW_PASSWORD) == user
    page = client.get(DETAIL_URL_EN).content.decode()
    assert escape(f"you are now a member of “{enterprise.name}”") in page


def test_joining_without_a_mobile_number(client, token):
    client.post(join_url(token), join_data(mobile=""))

    assert User.objects.get(email=INVITEE).mobile is None


def test_the_join_is_recorded_with_who_invited(db, enterprise, member, token):
    user = enterprise_join(
        token=token, family_name="赵", given_name="敏", mobile="", password=NEW_PASSWORD
    )

    entry = ModelLogEntry.objects.get(action=LOG_JOIN)
    assert (entry.object_id, entry.user, entry.data) == (
        str(enterprise.pk),
        user,
        {"invited_by": member.pk},
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_join_form_renders_in_both_languages(client, token, language):
    response = client.get(join_url(token, language=language))

    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_a_link_signed_six_days_and_23_hours_ago_still_works(db, member, monkeypatch):
    signed_days_ago(monkeypatch, 6 + 23 / 24)
    token = enterprise_invitation_token(inviter=member, email=INVITEE)

    assert enterprise_invitation_load(token=token).email == INVITEE


def test_a_link_older_than_7_days_has_expired(client, member, monkeypatch):
    signed_days_ago(monkeypatch, 7 + 1 / 24)
    token = enterprise_invitation_token(inviter=member, email=INVITEE)
    users_before = User.objects.count()

    with pytest.raises(EnterpriseInvitationExpiredError):
        enterprise_invitation_load(token=token)
    get_response = client.get(join_url(token))
    post_response = client.post(join_url(token), join_data())

    assert get_response.status_code == 400
    assert "This invitation has expired" in get_response.content.decode()
    assert 'name="password1"' not in get_response.content.decode()
    assert post_response.status_code == 400
    assert User.objects.count() == users_before


def _forged(member: User, **payload) -> str:
    return signing.dumps(
        {"enterprise": member.enterprise_id, "email": INVITEE, "by": member.pk, **payload},
        salt=INVITATION_SALT,
    )


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda member, token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
            id="signature changed",
        ),
        pytest.param(
            lambda member, token: token.replace(
                token.split(":")[0],
                signing.b64_encode(b'{"enterprise":1,"email":"evil@example.com","by":1}').decode(),
            ),
            id="payload changed",
        ),
        pytest.param(
            lambda member, token: signing.dumps(
                signing.loads(token, salt=INVITATION_SALT), salt="another-purpose"
            ),
            id="signed for another purpose",
        ),
        pytest.param(
            lambda member, token: _forged(member, enterprise=EnterpriseFactory().pk),
            id="another enterprise than the inviter's",
        ),
        pytest.param(lambda member, token: _forged(member, by=999999), id="unknown inviter"),
        pytest.param(lambda member, token: _forged(member, email=""), id="no address"),
        pytest.param(lambda member, token: "not-a-token", id="garbage"),
    ],
)
def test_a_forged_or_damaged_link_is_refused(client, member, token, make_token):
    bad_token = make_token(member, token)
    users_before = User.objects.count()

    with pytest.raises(EnterpriseInvitationInvalidError) as raised:
        enterprise_invitation_load(token=bad_token)
    response = client.post(join_url(bad_token), join_data())

    assert type(raised.value) is EnterpriseInvitationInvalidError
    assert response.status_code == 400
    assert "This invitation link is not valid" in response.content.decode()
    assert User.objects.count() == users_before


def test_a_link_from_someone_who_has_left_the_enterprise_is_refused(client, member, token):
    User.objects.filter(pk=member.pk).update(enterprise=EnterpriseFactory())

    with pytest.raises(EnterpriseInvitationInvalidError):
        enterprise_invitation_load(token=token)
    assert client.get(join_url(token)).status_code == 400


def test_a_link_works_once(client, token):
    client.post(join_url(token), join_data())
    client.logout()
    users_before = User.objects.count()

    response = client.post(join_url(token), join_data(mobile=""))

    assert response.status_code == 400
    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.count() == users_before


def test_an_address_registered_since_the_invitation_is_refused_with_a_way_forward(db, token):
    UserFactory(email=INVITEE.upper(), role=Role.WORKER)

    with pytest.raises(EnterpriseInvitationEmailTakenError) as raised:
        enterprise_join(
            token=token, family_name="赵", given_name="敏", mobile="", password=NEW_PASSWORD
        )

    assert raised.value.code == "invitation_email_taken"
    with translation.override("en"):
        assert "contact union staff" in str(raised.value)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"mobile": "13900000099"}, "mobile", "mobile_taken"),
        ({"mobile": "139"}, "mobile", "mobile_format"),
        ({"given_name": ""}, "given_name", "required"),
        ({"password2": "something-else-2026"}, "password2", "password_mismatch"),
        (
            {"password1": "zhao.min@example", "password2": "zhao.min@example"},
            "password1",
            "password_too_similar",
        ),
    ],
)
def test_bad_input_when_joining_says_why_and_saves_nothing(client, token, overrides, field, code):
    UserFactory(mobile="13900000099")
    users_before = User.objects.count()

    response = client.post(join_url(token), join_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()[field]
    assert code in [error.code for error in errors]
    assert 'role="alert"' in response.content.decode()
    assert User.objects.count() == users_before


def test_enterprise_join_refuses_a_taken_mobile_number(db, token):
    UserFactory(mobile="13900000099")

    with pytest.raises(RegistrationMobileTakenError):
        enterprise_join(
            token=token, family_name="赵", given_name="敏", mobile="13900000099", password="x"
        )
    assert not User.objects.filter(email=INVITEE).exists()


def test_someone_logged_in_is_asked_to_log_out_before_joining(client, worker, token):
    client.force_login(worker)
    users_before = User.objects.count()

    get_page = client.get(join_url(token)).content.decode()
    client.post(join_url(token), join_data())

    assert "log out first" in get_page
    assert 'name="password1"' not in get_page
    assert User.objects.count() == users_before
