"""The public auction catalogue: sessions, lots, one lot's page, watching, confidential documents.

Anyone may browse. A lot that is not visible (a draft, a lot of a draft session, a withdrawn
lot without its reason) is a 404, so guessing numbers tells nothing. Watching and accepting the
confidentiality terms are POSTs that call one service each; a refusal becomes a message on the
lot's page.
"""

from datetime import timedelta
from enum import StrEnum

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from innovations.templatetags.money import yuan
from marketplace.catalogue_queries import (
    card_facts,
    catalogue_lots,
    lot_for_detail,
    public_lots,
    public_session,
    public_sessions,
)
from marketplace.choices import DepositStatus, LotStatus, SessionStatus
from marketplace.exceptions import BidRefusedError, MarketplaceError
from marketplace.filters import LotCatalogueFilter
from marketplace.models import ConfidentialityAcceptance, Deposit, LotDocument, Watch
from marketplace.services import auctions, bidding

PAGE_SIZE = 24
# Sessions in which a published lot can still take deposits and bids.
LIVE_SESSION_STATUSES = {SessionStatus.PUBLISHED, SessionStatus.OPEN}


class Viewer(StrEnum):
    """Who is looking at a lot, as far as deposits and confidential documents go."""

    ANONYMOUS = "anonymous"
    NO_ENTERPRISE = "no_enterprise"
    UNVERIFIED = "unverified"
    VERIFIED = "verified"


def _viewer(user) -> Viewer:
    if not user.is_authenticated:
        return Viewer.ANONYMOUS
    enterprise = user.enterprise
    if enterprise is None:
        return Viewer.NO_ENTERPRISE
    return Viewer.VERIFIED if enterprise.is_verified else Viewer.UNVERIFIED


def _duration_words(duration: timedelta) -> str:
    """ "2 minutes", or "30 seconds" when the duration is not a whole number of minutes."""
    seconds = int(duration.total_seconds())
    if seconds % 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = seconds // 60
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _filter_query(params: QueryDict, filter_names) -> QueryDict:
    """The filters that were set, for page links: no page number, no empty or unknown keys."""
    kept = QueryDict(mutable=True)
    for name in filter_names:
        value = params.get(name, "")
        if value:
            kept[name] = value
    return kept


def _page(request: HttpRequest, results):
    # Forgiving like the innovations listing: past the end shows the last page, nonsense the
    # first, because neither changes what is being asked for.
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    card_facts(page_obj.object_list)
    return page_obj


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/session_list.html", {"sessions": public_sessions()})


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = public_session(pk)
    lots = catalogue_lots().filter(session=session).order_by("number")
    return render(
        request,
        "marketplace/session_detail.html",
        {
            "session": session,
            "closing_interval": _duration_words(session.closing_interval),
            "page_obj": _page(request, lots),
            "filter_query": QueryDict(),
        },
    )


@require_GET
def lot_list(request: HttpRequest) -> HttpResponse:
    """Visible lots, filtered by the query string, 24 to a page.

    A filter value that does not validate shows its error and no results, as on the
    innovations listing: a list that quietly ignored part of the request would look like the
    answer to it.
    """
    lot_filter = LotCatalogueFilter(request.GET)
    results = lot_filter.qs if lot_filter.is_valid() else lot_filter.queryset.none()
    return render(
        request,
        "marketplace/lot_list.html",
        {
            "form": lot_filter.form,
            "page_obj": _page(request, results),
            "filter_query": _filter_query(request.GET, lot_filter.form.fields),
        },
    )


@require_GET
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lot = lot_for_detail(pk)
    user = request.user
    viewer = _viewer(user)
    documents_visible = viewer == Viewer.VERIFIED and auctions.lot_documents_visible_to(lot, user)
    now = timezone.now()
    is_live = (
        lot.status == LotStatus.PUBLISHED
        and lot.session.status in LIVE_SESSION_STATUSES
        and lot.closes_at > now
    )
    context = {
        "lot": lot,
        "viewer": viewer,
        "is_live": is_live,
        "soft_close_window": _duration_words(lot.session.soft_close_window),
        "is_watching": user.is_authenticated and Watch.objects.filter(lot=lot, user=user).exists(),
        "acceptance": ConfidentialityAcceptance.objects.filter(lot=lot, user=user).first()
        if documents_visible
        else None,
        "documents": list(lot.documents.all()) if documents_visible else [],
    }
    if viewer == Viewer.VERIFIED:
        context.update(
            _bidder_context(lot, user, bidding_open=is_live and lot.session.bidding_start <= now)
        )
    return render(request, "marketplace/lot_detail.html", context)


def _bidder_context(lot, user, *, bidding_open: bool) -> dict:
    """What only this bidder's form needs: their deposit and the lowest bid accepted. Whether
    they lead, and their own maximum, are in the live part (marketplace.live)."""
    enterprise_id = user.enterprise_id
    return {
        "deposit_paid": Deposit.objects.filter(
            lot=lot, enterprise_id=enterprise_id, status=DepositStatus.PAID
        ).exists(),
        "bidding_open": bidding_open,
        "minimum_bid": bidding.minimum_bid(lot),
    }


@login_required
@require_POST
def lot_bid(request: HttpRequest, pk: int) -> HttpResponse:
    """The lot page's bid form: one call to bid_place; a refusal is shown as its message."""
    try:
        result = bidding.bid_place(
            user=request.user, lot_id=pk, max_amount=request.POST.get("max_amount", "")
        )
    except BidRefusedError as error:
        messages.error(request, str(error))
    else:
        price = yuan(result.lot.current_price)
        if result.leading:
            messages.success(request, _("Bid accepted: you lead at %(price)s.") % {"price": price})
        else:
            messages.warning(
                request,
                _(
                    "Bid accepted, but another bidder's maximum is higher; "
                    "the price is now %(price)s."
                )
                % {"price": price},
            )
    return redirect(_lot_page(pk))


def _lot_page(pk: int) -> str:
    return reverse("marketplace:lot_detail", kwargs={"pk": pk})


@require_POST
def lot_watch(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(_lot_page(pk))
    lot = get_object_or_404(public_lots(), pk=pk)
    try:
        auctions.lot_watch(lot=lot, user=request.user)
    except MarketplaceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are watching this lot."))
    return redirect(_lot_page(pk))


@require_POST
def lot_unwatch(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(_lot_page(pk))
    lot = get_object_or_404(public_lots(), pk=pk)
    auctions.lot_unwatch(lot=lot, user=request.user)
    messages.success(request, _("You are no longer watching this lot."))
    return redirect(_lot_page(pk))


@require_POST
def lot_confidentiality_accept(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(_lot_page(pk))
    lot = get_object_or_404(public_lots(), pk=pk)
    try:
        auctions.lot_confidentiality_accept(lot=lot, user=request.user)
    except MarketplaceError as error:
        messages.error(request, str(error))
        return redirect(_lot_page(pk))
    messages.success(request, _("Terms accepted. The technical documents are listed below."))
    return redirect(_lot_page(pk) + "#documents")


@require_GET
def lot_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A confidential document, for those whose acceptance the service confirms; else 404.

    A 404 rather than a 403 for everyone else, so the URL does not confirm the document exists.
    """
    lot = get_object_or_404(public_lots(), pk=pk)
    document = get_object_or_404(LotDocument, pk=document_pk, lot=lot)
    if not auctions.lot_documents_visible_to(lot, request.user):
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
