"""Workers' earnings, enterprises' agreements, statements and certificate downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from licensing.models import Agreement, SharingEvent, TransactionCertificate
from licensing.permissions import agreement_visible_to, statement_lines_visible_to
from licensing.selectors import enterprise_agreements, worker_earnings
from licensing.services.certificates import certificate_pdf


@login_required
def earnings(request):
    """A worker's sharing lines, owed and paid out; an enterprise member's agreements and what
    the enterprise paid under them."""
    user = request.user
    context = {"earnings": worker_earnings(user), "agreements": None}
    if user.enterprise_id:
        context["agreements"] = enterprise_agreements(user.enterprise_id)
    return render(request, "licensing/earnings.html", context)


@login_required
def statement_detail(request, pk: int):
    """A sharing statement: staff see every line, a worker only their own; others get 404."""
    event = get_object_or_404(SharingEvent.objects.select_related("agreement", "sale__lot"), pk=pk)
    lines = list(statement_lines_visible_to(request.user, event).select_related("innovation"))
    if not lines:
        raise Http404
    return render(request, "licensing/statement.html", {"event": event, "lines": lines})


@login_required
def certificate_download(request, pk: int):
    """The transaction certificate of an agreement, to staff and both parties; 404 otherwise
    (whether it exists is nobody else's business)."""
    agreement = get_object_or_404(Agreement, pk=pk)
    if not agreement_visible_to(request.user, agreement):
        raise Http404
    certificate = TransactionCertificate.objects.filter(agreement=agreement).first()
    if certificate is None:
        raise Http404
    response = HttpResponse(
        certificate_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response
