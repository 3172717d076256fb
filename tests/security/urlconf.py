"""Every URL pattern of the project, found by walking the URL resolver.

Site pages sit in i18n_patterns with prefix_default_language=False: Chinese at /…, English at
/en/… — the same views under both. The matrix requests the Chinese (unprefixed) URLs;
test_authorization_matrix checks that each /en/ path resolves to the same view.
"""

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

PROJECT_APPS = (
    "accounts.",
    "api.",
    "cms.",
    "craftsmen.",
    "innovations.",
    "licensing.",
    "marketplace.",
    "sitesearch.",
)


@dataclass(frozen=True)
class Endpoint:
    key: str  # the URL's name with its namespaces, or "route:<route>" for an unnamed one
    route: str
    name: str | None
    view: str  # dotted path of the view
    parameters: tuple[str, ...]
    sample_kwargs: dict
    translated: bool  # inside i18n_patterns: also served under /en/

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_project_view(self) -> bool:
        return self.view.startswith(PROJECT_APPS)


def _sample_value(converter) -> str:
    if isinstance(converter, IntConverter):
        return "1"
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=1))
    return "x"


def _parameters(pattern) -> dict[str, str]:
    """Each named parameter with a value its converter (or regex group) accepts."""
    if isinstance(pattern, RoutePattern):
        return {name: _sample_value(conv) for name, conv in pattern.converters.items()}
    if isinstance(pattern, RegexPattern):
        return dict.fromkeys(pattern.regex.groupindex, "1")
    return {}


def _walk(patterns, prefix: str, namespace: str | None, parameters: dict, translated=False):
    for entry in patterns:
        here = {**parameters, **_parameters(entry.pattern)}
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            inside = translated or isinstance(entry.pattern, LocalePrefixPattern)
            yield from _walk(entry.url_patterns, route, inner, here, inside)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Endpoint(
                key=name or f"route:{route}",
                route=route,
                name=name,
                view=entry.lookup_str,
                parameters=tuple(here),
                sample_kwargs=here,
                translated=translated,
            )


def endpoints() -> list[Endpoint]:
    """Every pattern once per key (a ninja path with GET and POST appears under both names)."""
    seen: dict[str, Endpoint] = {}
    for endpoint in _walk(get_resolver().url_patterns, "", None, {}):
        seen.setdefault(endpoint.key, endpoint)
    return list(seen.values())
