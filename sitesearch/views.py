from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from sitesearch import selectors
from sitesearch.forms import SiteSearchForm

RESULTS_PER_PAGE = 10


def site_search(request):
    """The search page: the form alone when there is no query; a query that is not valid (too
    long) shows the form's message and searches nothing."""
    form = SiteSearchForm(request.GET if "q" in request.GET else None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    page_obj = results = None
    if query:
        language_code = get_supported_content_language_variant(translation.get_language())
        rows = selectors.site_search(query=query, language_code=language_code)
        # get_page: a page number that is not a number or out of range shows a real page.
        page_obj = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results = selectors.results_for_display(page_obj.object_list, query=query, request=request)
    filter_query = QueryDict(mutable=True)
    if query:
        filter_query["q"] = query
    return render(
        request,
        "sitesearch/results.html",
        {
            "form": form,
            "query": query,
            "page_obj": page_obj,
            "results": results,
            "filter_query": filter_query,
        },
    )
