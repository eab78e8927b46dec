"""Staff pages of messages, under /staff/correspondence/ (see dsar/urls.py)."""

from django.urls import path

from dsar.correspondence import views

app_name = "correspondence"
urlpatterns = [
    path("held/", views.held, name="held"),
    path("held/<int:pk>/attach/", views.held_attach, name="held_attach"),
    path("held/<int:pk>/discard/", views.held_discard, name="held_discard"),
    path("requests/<int:pk>/send/", views.send, name="send"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
