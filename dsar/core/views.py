from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The public landing page: what this installation is, and where staff sign in."""
    return render(request, "core/home.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else (no database), so that a database
    outage does not get every web worker restarted; ``/readyz`` (``dsar.ops``) checks the
    database, the task broker and the storage."""
    return JsonResponse({"status": "ok"})
