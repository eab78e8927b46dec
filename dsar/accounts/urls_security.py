"""The staff account's second factor, under /staff/security/ (before the admin's catch-all):
the code after the password, and the page to set it up, renew recovery codes or remove it."""

from django.urls import path

from dsar.accounts import views

app_name = "security"

urlpatterns = [
    path("", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("remove/", views.remove, name="remove"),
]
