"""The project's URLs plus one bench-only view: the floor of an API call on this stack.

``POST /bench/api-floor/`` goes through the same middleware, the same DRF authentication (the
one statement that finds the key and counts the call), permission and throttle classes, and the
same JSON parser as ``POST /api/v1/requests/``; it then writes one row (the smallest write a
creation can be: the key's per-minute counter again) and answers a small JSON document with
201. What any authenticated API write costs on this gunicorn before the application decides
anything: ``bench/api_throughput.py`` reports its CPU next to the creation's, so that the
distance to a target is split into the stack's share and the application's.
"""

from typing import Any

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar.api import throttling
from dsar.urls import urlpatterns as project_urlpatterns


class Floor(APIView):
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data
        if not isinstance(data, dict) or not data.get("requester_email"):
            return Response({"detail": "requester_email is required"}, status=400)
        import time

        calls, _left = throttling.count_call(request.user.api_key.pk, time.time())
        return Response({"reference": f"FLOOR-{calls}", "status": "received"}, status=201)


urlpatterns = [*project_urlpatterns, path("bench/api-floor/", Floor.as_view())]
