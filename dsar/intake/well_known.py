"""/.well-known/gpc.json (included by dsar/urls.py): the Global Privacy Control support resource,
at the site's root as the specification requires, outside the organizations' /o/ pages."""

from django.urls import path

from dsar.intake import views

urlpatterns = [path("", views.gpc_support, name="gpc_support")]
