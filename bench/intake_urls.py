"""The project's URLs plus one bench-only view: the floor of a form post on this stack.

``POST /bench/floor/`` goes through the same middleware (sessions, locale, CSRF, security
headers, content security policy) and parses the same form body as the public form, then answers
the same kind of redirect, touching no database: what any Django form post costs on this
gunicorn, before the application does anything. ``bench/intake_throughput.py`` reports its rate
next to the form's.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from dsar.urls import urlpatterns as project_urlpatterns


@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    if not request.POST.get("name"):
        return HttpResponse(status=400)
    return HttpResponseRedirect("/o/img/request/sent/")


urlpatterns = [*project_urlpatterns, path("bench/floor/", floor)]
