"""Who gets what from each URL (GET), keyed by URL name: the authorisation matrix's one table.

Every pattern of the URLconf needs a rule here, or a place under the blanket rule for
Wagtail's own admin views (WAGTAIL_ADMIN below); tests/security/test_authorization_matrix.py
fails for a URL without one. Parameters are filled from tests/security/world.py: "worker" owns
`worker_draft`, "other_worker" owns `other_draft`, "member" acts for `enterprise` (its deposit,
checkout, purchase, agreement, token), "other_member" for `other_enterprise`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import ninja

from licensing.models import IncomeRecord
from licensing.payable_accounts import worker_payable_account
from tests.security.expectations import (
    ADMIN_LOGIN,
    BAD_REQUEST,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    POST_ONLY,
    POST_ONLY_OPEN,
    everyone,
    only,
    per_role,
    redirect_to,
    signed_in,
)

AFTER_LOGIN = "/innovations/mine/"  # settings.LOGIN_REDIRECT_URL


@dataclass(frozen=True)
class Case:
    expect: dict
    kwargs: Callable | None = None  # world → URL kwargs, for reverse()
    path: Callable | None = None  # world → path, for patterns reverse() cannot build
    label: str = ""
    # A client of its own per role: for views that drop the session cookie even when refused.
    fresh_client: bool = False


@dataclass(frozen=True)
class Rule:
    cases: list[Case] = field(default_factory=list)


def rule(expect: dict, kwargs: Callable | None = None, **extra) -> Rule:
    return Rule([Case(expect, kwargs=kwargs, **extra)])


def pk(attribute: str) -> Callable:
    return lambda w: {"pk": getattr(w, attribute).pk}


def staff_admin(staff, kwargs: Callable | None = None) -> Rule:
    """A project admin view: Wagtail sends everyone without admin access to its login. A GET
    on an action that only takes a POST (publish, open, transition, retry) is 405 for staff."""
    return rule(per_role(ADMIN_LOGIN, staff=staff), kwargs)


def _income_pk(world) -> int:
    return IncomeRecord.objects.filter(agreement=world.agreement).values_list("pk", flat=True)[0]


HEALTH = everyone(OK)

RULES: dict[str, Rule] = {
    # --- accounts (views owned elsewhere; the matrix only reads them) ---------------------
    "accounts:register": rule(per_role(redirect_to(AFTER_LOGIN), anonymous=OK)),
    "accounts:enterprise_register": rule(
        per_role(
            OK,
            member=redirect_to("/accounts/enterprise/"),
            other_member=redirect_to("/accounts/enterprise/"),
        )
    ),
    "accounts:enterprise_detail": rule(signed_in(NOT_FOUND, member=OK, other_member=OK)),
    "accounts:enterprise_invite": rule(POST_ONLY),
    "accounts:enterprise_resubmit": rule(POST_ONLY),
    "accounts:api_tokens": rule(signed_in(OK)),
    "accounts:api_token_revoke": rule(POST_ONLY, lambda w: {"pk": w.member_token_id}),
    "accounts:enterprise_join": Rule(
        [
            # Logged-in people are told they already have an account.
            Case(everyone(OK), kwargs=lambda w: {"token": w.invitation_token}),
            Case(
                per_role(OK, anonymous=BAD_REQUEST),
                kwargs=lambda w: {"token": "forged"},
                label="forged token",
            ),
        ]
    ),
    "accounts:login": rule(per_role(redirect_to(AFTER_LOGIN), anonymous=OK)),
    "accounts:logout": rule(POST_ONLY_OPEN),
    "accounts:password_reset": rule(everyone(OK)),
    "accounts:password_reset_done": rule(everyone(OK)),
    "accounts:password_reset_confirm": rule(
        everyone(OK), lambda w: {"uidb64": "MQ", "token": "forged-token"}
    ),
    "accounts:password_reset_complete": rule(everyone(OK)),
    # --- innovations -------------------------------------------------------------------------
    "innovations:list": rule(everyone(OK)),
    "innovations:mine": rule(signed_in(OK)),
    "innovations:create": rule(signed_in(OK)),
    "innovations:detail": Rule(
        [
            Case(only("worker"), pk("worker_draft"), label="worker's draft"),
            Case(only("other_worker"), pk("other_draft"), label="other worker's draft"),
            Case(only("worker", "staff"), pk("worker_submitted"), label="submitted"),
            Case(everyone(OK), pk("approved"), label="approved"),
        ]
    ),
    "innovations:edit": Rule(
        [
            Case(signed_in(NOT_FOUND, worker=OK), pk("worker_draft"), label="draft"),
            Case(signed_in(NOT_FOUND), pk("worker_submitted"), label="submitted: locked"),
        ]
    ),
    "innovations:submit": rule(POST_ONLY, pk("worker_draft")),
    "innovations:delete": rule(POST_ONLY, pk("worker_draft")),
    "innovations:contributors": rule(POST_ONLY, pk("worker_draft")),
    "innovations:patent_add": rule(POST_ONLY, pk("worker_draft")),
    "innovations:patent_remove": rule(
        POST_ONLY, lambda w: {"pk": w.worker_draft.pk, "patent_pk": w.patent.pk}
    ),
    "innovations:attachment_add": rule(POST_ONLY, pk("worker_draft")),
    "innovations:attachment_remove": rule(
        POST_ONLY, lambda w: {"pk": w.worker_draft.pk, "attachment_pk": w.attachment.pk}
    ),
    "innovations:attachment_download": rule(
        only("worker"), lambda w: {"pk": w.worker_draft.pk, "attachment_pk": w.attachment.pk}
    ),
    # --- licensing ---------------------------------------------------------------------------
    "licensing:earnings": rule(signed_in(OK)),
    "licensing:payout_details": rule(signed_in(OK)),
    "licensing:enterprise_payout_details": rule(signed_in(NOT_FOUND, member=OK, other_member=OK)),
    # The member's enterprise employs the inventor: it sees its employer line.
    "licensing:statement": rule(
        signed_in(NOT_FOUND, worker=OK, member=OK, staff=OK), pk("statement")
    ),
    "licensing:certificate": rule(
        signed_in(NOT_FOUND, worker=OK, member=OK, staff=OK), pk("agreement")
    ),
    # --- search ------------------------------------------------------------------------------
    "sitesearch:search": Rule(
        [Case(everyone(OK)), Case(everyone(OK), path=lambda w: "/search/?q=工匠", label="q")]
    ),
    # --- marketplace -------------------------------------------------------------------------
    "marketplace:session_list": rule(everyone(OK)),
    "marketplace:session_detail": rule(everyone(OK), pk("session")),
    "marketplace:lot_list": rule(everyone(OK)),
    "marketplace:lot_detail": rule(everyone(OK), pk("lot")),
    "marketplace:lot_bid": rule(POST_ONLY, pk("lot")),
    "marketplace:lot_live": rule(everyone(OK), pk("lot")),
    "marketplace:lot_watch": rule(POST_ONLY_OPEN, pk("lot")),
    "marketplace:lot_unwatch": rule(POST_ONLY_OPEN, pk("lot")),
    "marketplace:lot_confidentiality_accept": rule(POST_ONLY_OPEN, pk("lot")),
    # Only a member of a verified enterprise who accepted the terms; a 404 for anyone else.
    "marketplace:lot_document": rule(
        only("member"), lambda w: {"pk": w.lot.pk, "document_pk": w.lot_document.pk}
    ),
    "marketplace:goal": rule(everyone(OK)),
    "marketplace:my_deposits": rule(signed_in(OK)),
    "marketplace:deposit_checkout": rule(POST_ONLY),
    "marketplace:simulated_checkout": rule(
        signed_in(NOT_FOUND, member=OK), lambda w: {"checkout_id": w.checkout.stripe_session_id}
    ),
    "marketplace:deposit_receipt": rule(
        signed_in(NOT_FOUND, member=OK, staff=OK), pk("bank_deposit")
    ),
    "marketplace:my_purchases": rule(signed_in(OK)),
    # Staff work on purchases in the admin, not here.
    "marketplace:purchase_detail": rule(signed_in(NOT_FOUND, member=OK), pk("settlement")),
    "marketplace:purchase_pay": rule(POST_ONLY, pk("settlement")),
    "marketplace:simulated_balance_checkout": rule(
        signed_in(NOT_FOUND, member=OK),
        lambda w: {"checkout_id": w.balance_checkout.stripe_session_id},
    ),
    "stripe_webhook": rule(POST_ONLY_OPEN),
    # --- JSON API ----------------------------------------------------------------------------
    "api_docs_asset": Rule(
        [
            Case(everyone(OK), lambda w: {"version": ninja.__version__, "name": "swagger-ui.css"}),
            Case(
                everyone(NOT_FOUND),
                lambda w: {"version": ninja.__version__, "name": "settings.py"},
                label="not a docs file",
            ),
        ]
    ),
    # Both resolve to the JSON 404 that comes before ninja's own root view.
    "route:api/v1/": rule(everyone(NOT_FOUND), path=lambda w: "/api/v1/"),
    "api-v1:api-root": rule(everyone(NOT_FOUND)),
    "api-v1:openapi-json": rule(everyone(OK)),
    "api-v1:openapi-view": rule(everyone(OK)),
    "api-v1:lot_list": rule(everyone(OK)),
    "api-v1:lot_detail": rule(everyone(OK), lambda w: {"lot_id": w.lot.pk}),
    "api-v1:lot_bids": rule(everyone(OK), lambda w: {"lot_id": w.lot.pk}),
    # The same path as lot_bids: a GET is the public history; bidding is checked by POST
    # in test_authorization_matrix.py.
    "api-v1:bid_create": rule(everyone(OK), lambda w: {"lot_id": w.lot.pk}),
    "api-v1:goal_read": rule(everyone(OK)),
    # --- Wagtail: documents and page serving ---------------------------------------------------
    "wagtaildocs_serve": Rule(
        [
            Case(everyone(OK), path=lambda w: w.document.url, label="public document"),
            Case(everyone(NOT_FOUND), path=lambda w: "/documents/999999/none.pdf", label="none"),
        ]
    ),
    "wagtaildocs_authenticate_with_password": rule(
        everyone(NOT_FOUND), lambda w: {"restriction_id": 999999}
    ),
    "wagtailcore_authenticate_with_password": rule(
        everyone(NOT_FOUND), lambda w: {"page_view_restriction_id": 999999, "page_id": 999999}
    ),
    "wagtailcore_login": rule(everyone(OK)),
    "wagtail_serve": Rule(
        [
            Case(everyone(OK), path=lambda w: "/", label="home"),
            Case(everyone(OK), path=lambda w: "/en/", label="English home"),
            Case(everyone(NOT_FOUND), path=lambda w: "/no-such-page/", label="unknown"),
        ]
    ),
    # --- Health check (announced by another change): public JSON -------------------------------
    "health": rule(HEALTH),
    "route:health/": rule(HEALTH),
    # --- Wagtail admin: its public views ----------------------------------------------------
    # Logged in without admin access: the form again, to log in as someone who has it.
    "wagtailadmin_login": rule(per_role(OK, staff=redirect_to("/admin/"))),
    "wagtailadmin_password_reset": rule(everyone(OK)),
    "wagtailadmin_password_reset_done": rule(everyone(OK)),
    "wagtailadmin_password_reset_confirm": rule(
        everyone(OK), lambda w: {"uidb64": "MQ", "token": "forged-token"}
    ),
    "wagtailadmin_password_reset_complete": rule(everyone(OK)),
    "wagtailadmin_sprite": rule(everyone(OK)),
    "wagtailadmin_javascript_catalog": rule(everyone(OK)),
    # Wagtail deletes the session cookie even when it refuses a GET: fresh clients.
    "wagtailadmin_logout": rule(per_role(ADMIN_LOGIN, staff=NOT_ALLOWED), fresh_client=True),
    # --- Project admin views: union staff only ----------------------------------------------
    "auction_live_monitor": staff_admin(OK),
    "auction_live_monitor_figures": staff_admin(OK, lambda w: {"session_pk": w.session.pk}),
    "goal_edit": staff_admin(OK),
    "goal_report": staff_admin(OK),
    "goal_report_export": staff_admin(OK, lambda w: {"key": "months", "fmt": "csv"}),
    "licensing_payouts": staff_admin(OK),
    "licensing_payout_single": staff_admin(
        OK, lambda w: {"pk": worker_payable_account(w.users["worker"]).pk}
    ),
    "licensing_payout_profiles": staff_admin(OK),
    "licensing_payout_profile": staff_admin(
        OK, lambda w: {"kind": "user", "pk": w.users["worker"].pk}
    ),
    "licensing_payout_batch_create": staff_admin(NOT_ALLOWED),
    "licensing_payout_batch": staff_admin(NOT_FOUND, lambda w: {"pk": 999999}),
    "licensing_payout_batch_xlsx": staff_admin(NOT_FOUND, lambda w: {"pk": 999999}),
    "enterprises_admin:index": staff_admin(OK),
    "enterprises_admin:index_results": staff_admin(OK),
    "enterprises_admin:inspect": staff_admin(OK, pk("enterprise")),
    "enterprises_admin:verify": staff_admin(OK, pk("enterprise")),
    "innovations_admin:index": staff_admin(OK),
    "innovations_admin:index_results": staff_admin(OK),
    "innovations_admin:inspect": staff_admin(OK, pk("worker_submitted")),
    "innovations_admin:review": staff_admin(OK, pk("worker_submitted")),
    "auction_sessions:index": staff_admin(OK),
    "auction_sessions:index_results": staff_admin(OK),
    "auction_sessions:add": staff_admin(OK),
    "auction_sessions:edit": staff_admin(OK, pk("session")),
    "auction_sessions:inspect": staff_admin(OK, pk("session")),
    "auction_sessions:publish": staff_admin(NOT_ALLOWED, pk("session")),
    "auction_sessions:open": staff_admin(NOT_ALLOWED, pk("session")),
    "auction_lots:index": staff_admin(OK),
    "auction_lots:index_results": staff_admin(OK),
    "auction_lots:add": staff_admin(OK, lambda w: {"session_pk": w.session.pk}),
    "auction_lots:edit": staff_admin(OK, pk("lot")),
    "auction_lots:inspect": staff_admin(OK, pk("lot")),
    "auction_lots:publish": staff_admin(NOT_ALLOWED, pk("lot")),
    "auction_lots:withdraw": staff_admin(OK, pk("lot")),
    "auction_lots:bank_transfer": staff_admin(OK, pk("lot")),
    "auction_lots:add_document": staff_admin(OK, pk("lot")),
    "auction_lots:document": staff_admin(
        OK, lambda w: {"pk": w.lot.pk, "document_pk": w.lot_document.pk}
    ),
    "settlements:index": staff_admin(OK),
    "settlements:index_results": staff_admin(OK),
    "settlements:inspect": staff_admin(OK, pk("settlement")),
    "settlements:bank_payment": staff_admin(OK, pk("settlement")),
    "settlements:runner_up": staff_admin(NOT_ALLOWED, pk("settlement")),
    "settlements:relist": staff_admin(OK, pk("settlement")),
    "settlements:negotiated": staff_admin(OK),
    "settlements:receipt": staff_admin(
        NOT_FOUND, lambda w: {"pk": w.settlement.pk, "receipt_pk": 999999}
    ),
    "deposit_refunds:index": staff_admin(OK),
    "deposit_refunds:index_results": staff_admin(OK),
    "deposit_refunds:inspect": staff_admin(NOT_FOUND, lambda w: {"pk": 999999}),
    "deposit_refunds:confirm": staff_admin(NOT_FOUND, lambda w: {"pk": 999999}),
    "deposit_refunds:retry": staff_admin(NOT_ALLOWED, lambda w: {"pk": 999999}),
    "licensing_agreements:index": staff_admin(OK),
    "licensing_agreements:index_results": staff_admin(OK),
    "licensing_agreements:add": staff_admin(OK),
    "licensing_agreements:inspect": staff_admin(OK, pk("agreement")),
    "licensing_agreements:transition": staff_admin(
        NOT_ALLOWED, lambda w: {"pk": w.agreement.pk, "target": "active"}
    ),
    "licensing_agreements:terms": staff_admin(OK, pk("agreement")),
    "licensing_agreements:income": staff_admin(OK, pk("agreement")),
    "licensing_agreements:reverse_income": staff_admin(
        OK, lambda w: {"pk": w.agreement.pk, "income_pk": _income_pk(w)}
    ),
    "licensing_agreements:plan": staff_admin(
        OK, lambda w: {"pk": w.agreement.pk, "innovation_pk": w.approved.pk}
    ),
    "licensing_statements:index": staff_admin(OK),
    "licensing_statements:index_results": staff_admin(OK),
    "innovation_chooser:choose": staff_admin(OK),
    "innovation_chooser:choose_results": staff_admin(OK),
    "innovation_chooser:chosen": Rule(
        [
            Case(per_role(ADMIN_LOGIN, staff=OK), lambda w: {"pk": w.approved.pk}),
            Case(per_role(ADMIN_LOGIN, staff=NOT_FOUND), pk("worker_draft"), label="draft"),
            Case(per_role(ADMIN_LOGIN, staff=NOT_FOUND), lambda w: {"pk": "x"}, label="not an id"),
        ]
    ),
    "innovation_chooser:chosen_multiple": Rule(
        [
            Case(
                per_role(ADMIN_LOGIN, staff=OK),
                path=lambda w: (
                    f"/admin/innovation-chooser/chosen-multiple/?id=x&id={w.approved.pk}"
                ),
            )
        ]
    ),
}

# Keys announced by work in progress elsewhere; the check for stale rules spares them.
ANTICIPATED = {"health", "route:health/"}

# Wagtail's own admin views, which carry no rule each: everyone without admin access is sent to
# the admin login, whatever the parameters (the check runs before any object is looked up).
WAGTAIL_ADMIN = per_role(ADMIN_LOGIN)

# Wagtail admin views union staff use, each of which must open (200) for them.
STAFF_ADMIN_SAMPLE = [
    "wagtailadmin_home",
    "wagtailadmin_explore_root",
    "wagtailadmin_pages:search",
    "wagtailimages:index",
    "wagtaildocs:index",
    "craftsmen_admin:index",
    "craftsmen_admin:add",
    "craftsman_studios_admin:index",
    "wagtailadmin_reports:locked_pages",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_account",
]

# Wagtail admin views that fail on purpose (its error page test) and are left out for staff.
STAFF_ADMIN_UNCHECKED = {"wagtailadmin_error_test"}

# Wagtail 8.0's own choosers pass the URL's text to the ORM, so a non-numeric id is a 500 for
# staff (ValueError). Not our code; our innovation chooser has the fix (cms/innovation_chooser.py).
# The matrix asserts the 500 is still there, so the entry goes when Wagtail fixes it.
WAGTAIL_KNOWN_500 = {
    "wagtaildocs_chooser:chosen": "/admin/documents/chooser/chosen/x/",
    "wagtailimages_chooser:chosen": "/admin/images/chooser/chosen/x/",
}
