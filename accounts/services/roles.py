"""Roles are Django groups: membership gives a user both their role and its permissions."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.choices import ROLE_GROUP_NAMES, Role
from accounts.models import User


def role_group(role: Role) -> Group:
    return Group.objects.get(name=ROLE_GROUP_NAMES[role])


# The user's group names, read once per user object: an admin page asks for every menu item.
GROUP_NAMES_ATTRIBUTE = "_role_group_names"


def user_roles(user: User) -> set[Role]:
    if not user.is_authenticated:
        return set()
    names = getattr(user, GROUP_NAMES_ATTRIBUTE, None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, GROUP_NAMES_ATTRIBUTE, names)
    return {role for role, name in ROLE_GROUP_NAMES.items() if name in names}


def user_has_role(user: User, role: Role) -> bool:
    return role in user_roles(user)


def is_union_staff(user: User) -> bool:
    """Union staff, or an administrator: the people who review, verify and run auctions."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, Role.UNION_STAFF))


@transaction.atomic
def user_assign_role(*, user: User, role: Role) -> None:
    """Make `user` a member of `role`'s group. Other groups are left as they are."""
    user.groups.add(role_group(role))
    user.__dict__.pop(GROUP_NAMES_ATTRIBUTE, None)
