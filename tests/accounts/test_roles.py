"""The three roles exist as groups from the migrations; union staff can use the Wagtail admin."""

from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from accounts.choices import ROLE_GROUP_NAMES, Role
from accounts.services.roles import user_assign_role, user_has_role, user_roles
from tests.factories.accounts import UserFactory


def test_every_role_has_its_group_after_migrating(db):
    names = set(Group.objects.values_list("name", flat=True))

    assert set(ROLE_GROUP_NAMES.values()) <= names


def test_union_staff_group_may_access_the_admin_and_edit_pages(db):
    staff = Group.objects.get(name=ROLE_GROUP_NAMES[Role.UNION_STAFF])

    assert staff.permissions.filter(codename="access_admin").exists()
    page_codenames = set(
        GroupPagePermission.objects.filter(group=staff).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= page_codenames


def test_workers_and_enterprise_members_get_no_admin_permission(db):
    for role in (Role.WORKER, Role.ENTERPRISE_MEMBER):
        group = Group.objects.get(name=ROLE_GROUP_NAMES[role])
        assert not group.permissions.filter(codename="access_admin").exists()


def test_assigning_a_role_puts_the_user_in_its_group(db):
    user = UserFactory()
    assert user_roles(user) == set()

    user_assign_role(user=user, role=Role.WORKER)

    assert user_has_role(user, Role.WORKER)
    assert not user_has_role(user, Role.UNION_STAFF)
    assert user.groups.filter(name=ROLE_GROUP_NAMES[Role.WORKER]).exists()


def test_assigning_the_same_role_twice_keeps_one_membership(db):
    user = UserFactory(role=Role.WORKER)

    user_assign_role(user=user, role=Role.WORKER)

    assert user.groups.count() == 1


def test_union_staff_can_open_the_admin_dashboard(client, union_staff):
    client.force_login(union_staff)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_worker_is_turned_away_from_the_admin(client, worker):
    client.force_login(worker)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
