"""Public pages: anyone, logged in or not, may browse approved innovations."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from innovations.filters import PublicInnovationFilter, filter_query_of

PAGE_SIZE = 20


def innovation_list(request: HttpRequest) -> HttpResponse:
    """Approved innovations, filtered by the query string, 20 to a page.

    A filter value that does not validate shows its error and no results: a list that quietly
    ignored part of the request would look like the answer to it. The page number is forgiving
    instead (Paginator.get_page): a stale link past the end shows the last page, and a
    non-numeric one the first, because neither changes what is being asked for.
    """
    innovation_filter = PublicInnovationFilter(request.GET)
    if innovation_filter.is_valid():
        results = innovation_filter.qs
    else:
        results = innovation_filter.queryset.none()
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "innovations/list.html",
        {
            "form": innovation_filter.form,
            "page_obj": page_obj,
            "filter_query": filter_query_of(request.GET, innovation_filter.form.fields),
        },
    )
