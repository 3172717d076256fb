"""What a role should get from a URL: a status, and for a redirect where it leads."""

from dataclasses import dataclass

from tests.security.world import ROLES


@dataclass(frozen=True)
class Expect:
    status: int
    location: str | None = None  # a redirect's Location must start with this

    def matches(self, response) -> bool:
        if response.status_code != self.status:
            return False
        if self.location is None:
            return True
        return response.get("Location", "").startswith(self.location)

    def __str__(self) -> str:
        return f"{self.status} → {self.location}" if self.location else str(self.status)


OK = Expect(200)
CREATED = Expect(201)
BAD_REQUEST = Expect(400)
UNAUTHORISED = Expect(401)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
NOT_ALLOWED = Expect(405)
LOGIN = Expect(302, "/accounts/login/?next=")
ADMIN_LOGIN = Expect(302, "/admin/login/?next=")


def redirect_to(location: str, status: int = 302) -> Expect:
    return Expect(status, location)


def per_role(default: Expect, **overrides: Expect) -> dict[str, Expect]:
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    return {role: overrides.get(role, default) for role in ROLES}


def everyone(expect: Expect) -> dict[str, Expect]:
    return per_role(expect)


def signed_in(expect: Expect, **overrides: Expect) -> dict[str, Expect]:
    """login_required: anonymous visitors go to the login page."""
    return per_role(expect, anonymous=LOGIN, **overrides)


def only(*roles: str, allowed: Expect = OK, others: Expect = NOT_FOUND, **overrides) -> dict:
    """Those roles get `allowed`, everyone else `others` (a 404 tells nothing)."""
    return per_role(others, **{role: allowed for role in roles}, **overrides)


# login_required outside require_POST: anonymous → login, anyone else → 405 for a GET.
POST_ONLY = signed_in(NOT_ALLOWED)
# require_POST outermost: a GET is 405 for everyone.
POST_ONLY_OPEN = everyone(NOT_ALLOWED)
