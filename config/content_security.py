"""The content security policy: strict on the site, looser in the Wagtail admin.

The site's templates have no inline script or style, so its policy (CONTENT_SECURITY_POLICY)
allows scripts and styles from our own origin only. The Wagtail admin cannot live with that:
its widgets are started by inline scripts (`initDateChooser(…)`, `new InlinePanel(…)`,
choosers), and its editors set style attributes from JavaScript. Paths under the admin
therefore get ADMIN_CONTENT_SECURITY_POLICY, which adds 'unsafe-inline' for scripts and styles
and lets the admin frame its own previews; everything else is as strict as the site.

A page previewed in the admin is rendered by Wagtail through a dummy request for the page's
own URL, which passes this middleware too: it gets the site's policy (it is the site's page),
except that the admin's preview panel, on our own origin, may frame it.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class SiteAndAdminCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy for paths under ADMIN_PATH_PREFIX
    and letting the admin frame page previews.

    A view that sets its own policy with django-csp's decorators (`csp_replace`, …) keeps it.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(settings.ADMIN_PATH_PREFIX):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        elif parts.replace is None and getattr(request, "is_preview", False):
            parts.replace = {"frame-ancestors": [SELF]}
        return parts
