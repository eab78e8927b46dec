"""The public pages of an organization, under /o/<slug>/ (see dsar/urls.py)."""

from django.urls import path

from dsar.intake import views

app_name = "intake"
urlpatterns = [
    path("<slug:slug>/request/", views.request_form, name="form"),
    path("<slug:slug>/request/sent/", views.done, name="done"),
    path("<slug:slug>/request/resend/", views.resend, name="resend"),
    # The links of emails and of the status page carry a token: each answers a 303 to a URL
    # without it, which the session opens (dsar.intake.grants).
    path("<slug:slug>/confirm/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/confirming/", views.confirm_invalid, name="confirm_invalid"),
    path("<slug:slug>/confirming/<str:key>/", views.confirm_page, name="confirm_page"),
    path("<slug:slug>/status/<str:token>/", views.status, name="status"),
    path("<slug:slug>/my-request/", views.status_renew, name="status_renew"),
    path("<slug:slug>/my-request/<str:key>/", views.status_page, name="status_page"),
    path("<slug:slug>/my-request/<str:key>/appeal/", views.appeal, name="appeal"),
    path("<slug:slug>/download/<str:token>/", views.download, name="download"),
    path("<slug:slug>/my-files/", views.download_expired, name="download_expired"),
    path("<slug:slug>/my-files/<str:key>/", views.download_file, name="download_file"),
    path("<slug:slug>/theme.css", views.theme_css, name="theme"),
    path("<slug:slug>/logo", views.logo, name="logo"),
    path("<slug:slug>/authorizations/<int:pk>/", views.authorization, name="authorization"),
]
