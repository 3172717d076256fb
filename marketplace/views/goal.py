"""The public goal progress page (/goal/, /en/goal/): the union's goal in plain words.

Read-only and open to everyone; the figures and their definitions are
marketplace.goal_queries.goal_progress, the same the home page and GET /api/v1/goal show.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from marketplace.goal_queries import goal_progress


@require_GET
def goal_page(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/goal.html", {"goal": goal_progress()})
