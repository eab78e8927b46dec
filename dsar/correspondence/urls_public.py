"""The requester's answer from the status page, under the page's token-free address
/o/<slug>/my-request/<key>/ (dsar/urls.py; the key names a status link this browser followed,
``dsar.intake.grants``)."""

from django.urls import path

from dsar.correspondence import views

app_name = "correspondence_public"
urlpatterns = [
    path("<slug:slug>/my-request/<str:key>/messages/", views.requester_reply, name="reply"),
]
