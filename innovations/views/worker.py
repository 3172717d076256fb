"""Workers' pages: my innovations, write a draft, co-inventors, patents, attachments, submit.

Thin views: a form parses the input, one service makes the change, a domain error becomes a
message on the page. Someone who may not see an innovation gets a 404, so guessing URLs tells
nothing about other people's drafts.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innovations.exceptions import InnovationError
from innovations.forms import AttachmentForm, ContributorFormSet, InnovationForm, PatentForm
from innovations.models import Attachment, Innovation, Patent
from innovations.permissions import can_edit, can_view, is_involved, is_reviewer
from innovations.selectors import innovation_for_detail, innovations_of
from innovations.services import drafting, review


def _viewable_or_404(request, pk: int) -> Innovation:
    innovation = get_object_or_404(Innovation, pk=pk)
    if not can_view(request.user, innovation):
        raise Http404
    return innovation


def _editable_or_404(request, pk: int) -> Innovation:
    innovation = _viewable_or_404(request, pk)
    if not can_edit(request.user, innovation):
        raise Http404
    return innovation


def _render_detail(request, innovation: Innovation, *, status: int = 200, **forms):
    innovation = innovation_for_detail(innovation.pk)
    editable = can_edit(request.user, innovation)
    context = {
        "innovation": innovation,
        "editable": editable,
        "show_history": is_involved(request.user, innovation) or is_reviewer(request.user),
    }
    if editable:
        context["contributor_formset"] = forms.get("contributor_formset") or ContributorFormSet(
            initial=[
                {
                    "name": contributor.name,
                    "account": (contributor.user.email or contributor.user.mobile)
                    if contributor.user
                    else "",
                    "share": contributor.share,
                }
                for contributor in innovation.contributors.all()
            ],
            prefix="contributors",
        )
        context["patent_form"] = forms.get("patent_form") or PatentForm(prefix="patent")
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm(
            prefix="attachment"
        )
    return render(request, "innovations/detail.html", context, status=status)


def _refuse(request, innovation: Innovation, error: InnovationError):
    messages.error(request, str(error))
    return redirect("innovations:detail", pk=innovation.pk)


@login_required
def my_innovations(request):
    return render(request, "innovations/mine.html", {"innovations": innovations_of(request.user)})


@login_required
def innovation_create(request):
    form = InnovationForm(request.POST or None, initial={"employer": request.user.employer_id})
    if request.method == "POST" and form.is_valid():
        try:
            innovation = drafting.innovation_create_draft(
                owner=request.user, content=form.to_content()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Draft saved. Add co-inventors, patents and files, then submit it.")
            )
            return redirect("innovations:detail", pk=innovation.pk)
    return render(request, "innovations/form.html", {"form": form, "innovation": None})


@login_required
def innovation_edit(request, pk: int):
    innovation = _editable_or_404(request, pk)
    initial = {
        "title": innovation.title,
        "summary": innovation.summary,
        "description": innovation.description,
        "category": innovation.category,
        "technical_field": innovation.technical_field,
        "industries": list(innovation.industries.all()),
        "employer": innovation.employer_id,
        "expected_benefit": innovation.expected_benefit,
    }
    form = InnovationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            drafting.innovation_update_draft(
                innovation=innovation, actor=request.user, content=form.to_content()
            )
        except InnovationError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("innovations:detail", pk=innovation.pk)
    return render(request, "innovations/form.html", {"form": form, "innovation": innovation})


def innovation_detail(request, pk: int):
    return _render_detail(request, _viewable_or_404(request, pk))


@login_required
@require_POST
def contributors_update(request, pk: int):
    innovation = _editable_or_404(request, pk)
    formset = ContributorFormSet(request.POST, prefix="contributors")
    if formset.is_valid():
        try:
            drafting.contributors_replace(
                innovation=innovation, actor=request.user, contributors=formset.to_inputs()
            )
        except InnovationError as error:
            formset._non_form_errors = formset.error_class([str(error)])
        else:
            messages.success(request, _("Inventors saved."))
            return redirect("innovations:detail", pk=innovation.pk)
    return _render_detail(request, innovation, status=400, contributor_formset=formset)


@login_required
@require_POST
def patent_add(request, pk: int):
    innovation = _editable_or_404(request, pk)
    form = PatentForm(request.POST, prefix="patent")
    if form.is_valid():
        try:
            drafting.patent_add(innovation=innovation, actor=request.user, data=form.to_input())
        except ValidationError as error:
            # A dict of field errors lands on those fields.
            form.add_error(None, error)
        except InnovationError as error:
            form.add_error("number", str(error))
        else:
            messages.success(request, _("Patent linked."))
            return redirect("innovations:detail", pk=innovation.pk)
    return _render_detail(request, innovation, status=400, patent_form=form)


@login_required
@require_POST
def patent_remove(request, pk: int, patent_pk: int):
    innovation = _editable_or_404(request, pk)
    patent = get_object_or_404(Patent, pk=patent_pk, innovation=innovation)
    try:
        drafting.patent_remove(patent=patent, actor=request.user)
    except InnovationError as error:
        return _refuse(request, innovation, error)
    messages.success(request, _("Patent removed."))
    return redirect("innovations:detail", pk=innovation.pk)


@login_required
@require_POST
def attachment_add(request, pk: int):
    innovation = _editable_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
    if form.is_valid():
        try:
            drafting.attachment_add(
                innovation=innovation,
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        except InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("File uploaded."))
            return redirect("innovations:detail", pk=innovation.pk)
    return _render_detail(request, innovation, status=400, attachment_form=form)


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    innovation = _editable_or_404(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, innovation=innovation)
    try:
        drafting.attachment_remove(attachment=attachment, actor=request.user)
    except InnovationError as error:
        return _refuse(request, innovation, error)
    messages.success(request, _("File removed."))
    return redirect("innovations:detail", pk=innovation.pk)


def attachment_download(request, pk: int, attachment_pk: int):
    innovation = _viewable_or_404(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, innovation=innovation)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=attachment.kind != "image",
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def innovation_submit(request, pk: int):
    innovation = _viewable_or_404(request, pk)
    if innovation.owner_id != request.user.pk:
        return HttpResponseForbidden()
    try:
        review.innovation_submit(innovation=innovation, actor=request.user)
    except InnovationError as error:
        return _refuse(request, innovation, error)
    messages.success(request, _("Submitted for review. You will be told of the decision."))
    return redirect("innovations:detail", pk=innovation.pk)


@login_required
@require_POST
def innovation_delete(request, pk: int):
    innovation = _editable_or_404(request, pk)
    try:
        drafting.innovation_delete_draft(innovation=innovation, actor=request.user)
    except InnovationError as error:
        return _refuse(request, innovation, error)
    messages.success(request, _("Draft deleted."))
    return redirect("innovations:mine")
