"""Single sign-on: ``/sso/login/`` sends the browser to the provider, which sends it back to
``/sso/callback/``. Both answer 404 while single sign-on is not configured."""

from django.urls import path

from dsar.accounts import oidc

app_name = "accounts"

urlpatterns = [
    path("login/", oidc.LoginView.as_view(), name="oidc_login"),
    path("callback/", oidc.CallbackView.as_view(), name="oidc_callback"),
]
