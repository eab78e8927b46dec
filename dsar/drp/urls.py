"""The DRP ``api_base`` is ``/drp/``; ``/.well-known/data-rights.json`` is in ``dsar.urls``."""

from django.urls import path

from dsar.drp import views

app_name = "drp"

urlpatterns = [
    path("", views.base, name="base"),
    path("v1/agent/<str:agent_id>", views.agent, name="agent"),
    # DRP before 0.9.3 had a trailing slash on the exercise endpoint; both are answered.
    path("v1/data-rights-request", views.exercise, name="exercise"),
    path("v1/data-rights-request/", views.exercise),
    path("v1/data-rights-request/<uuid:request_id>", views.data_rights_request, name="request"),
]
