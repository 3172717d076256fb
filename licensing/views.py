"""Workers' earnings, enterprises' agreements, statements and certificate downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from licensing.exceptions import PayoutAccountNumberInvalidError, PayoutProfileInvalidError
from licensing.forms import PayoutDetailsForm
from licensing.models import Agreement, PayoutProfile, SharingEvent, TransactionCertificate
from licensing.permissions import agreement_visible_to, statement_lines_visible_to
from licensing.selectors import employer_earnings, enterprise_agreements, worker_earnings
from licensing.services.certificates import certificate_pdf
from licensing.services.payout_profiles import payout_profile_save


@login_required
def earnings(request):
    """A worker's sharing lines, owed and paid out; an enterprise member's agreements, what the
    enterprise paid under them, and the employer share owed and paid to it."""
    user = request.user
    context = {
        "earnings": worker_earnings(user),
        "agreements": None,
        "employer": None,
        "payout_profile": PayoutProfile.objects.filter(user=user).first(),
    }
    if user.enterprise_id:
        context["agreements"] = enterprise_agreements(user.enterprise_id)
        context["employer"] = employer_earnings(user.enterprise_id)
        context["enterprise_payout_profile"] = PayoutProfile.objects.filter(
            enterprise_id=user.enterprise_id
        ).first()
    return render(request, "licensing/earnings.html", context)


@login_required
def payout_details(request):
    """The user's own bank details for payouts (payout_profile_save); back to the earnings."""
    return _payout_details_page(
        request, payee={"user": request.user}, template="licensing/payout_details.html"
    )


@login_required
def enterprise_payout_details(request):
    """The bank details the employer share of the user's enterprise is paid to; only its own
    members may enter them (anyone else, a worker it employs included, gets a 404)."""
    if request.user.enterprise_id is None:
        raise Http404
    return _payout_details_page(
        request,
        payee={"enterprise": request.user.enterprise},
        template="licensing/enterprise_payout_details.html",
    )


def _payout_details_page(request, *, payee: dict, template: str):
    profile = PayoutProfile.objects.filter(**payee).first()
    initial = {}
    if profile is not None:
        initial = {
            "bank_account_name": profile.bank_account_name,
            "bank": profile.bank,
            "bank_account_number": profile.bank_account_number,
        }
    form = PayoutDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            payout_profile_save(**payee, **form.cleaned_data)
        except PayoutAccountNumberInvalidError as error:
            form.add_error("bank_account_number", str(error))
        except PayoutProfileInvalidError as error:
            form.add_error(None, str(error))
        else:
            return redirect("licensing:earnings")
    return render(request, template, {"form": form, "profile": profile})


@login_required
def statement_detail(request, pk: int):
    """A sharing statement: staff see every line, a worker only their own; others get 404."""
    event = get_object_or_404(
        SharingEvent.objects.select_related(
            "agreement", "sale__lot", "reverses", "reversal", "income_reversal"
        ),
        pk=pk,
    )
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
