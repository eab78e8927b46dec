"""The public pages of an organization, under /o/<slug>/ (see dsar/urls.py)."""

from django.urls import path

from dsar.intake import views

app_name = "intake"
urlpatterns = [
    path("<slug:slug>/request/", views.request_form, name="form"),
    path("<slug:slug>/request/sent/", views.done, name="done"),
    path("<slug:slug>/request/resend/", views.resend, name="resend"),
    path("<slug:slug>/confirm/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/status/<str:token>/", views.status, name="status"),
    path("<slug:slug>/status/<str:token>/appeal/", views.appeal, name="appeal"),
    path("<slug:slug>/download/<str:token>/", views.download, name="download"),
    path("<slug:slug>/theme.css", views.theme_css, name="theme"),
    path("<slug:slug>/logo", views.logo, name="logo"),
    path("<slug:slug>/authorizations/<int:pk>/", views.authorization, name="authorization"),
]
