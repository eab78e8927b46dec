"""The requester's answer from the status page, under /o/<slug>/status/<token>/ (dsar/urls.py)."""

from django.urls import path

from dsar.correspondence import views

app_name = "correspondence_public"
urlpatterns = [
    path("<slug:slug>/status/<str:token>/messages/", views.requester_reply, name="reply"),
]
