from django.urls import path

from dsar.letters import views

app_name = "letters"
urlpatterns = [
    # Staff (tenant-checked: 404 outside the user's organizations).
    path("requests/<int:request_pk>/", views.request_letters, name="request_letters"),
    path("requests/<int:request_pk>/new/<slug:kind>/", views.preview, name="preview"),
    path(
        "requests/<int:request_pk>/register/confirm/",
        views.register_confirm,
        name="register_confirm",
    ),
    path("requests/<int:request_pk>/evidence-pack.pdf", views.evidence_pack, name="evidence_pack"),
    path("requests/<int:request_pk>/data/", views.data_item_add, name="data_item_add"),
    path("requests/<int:request_pk>/packages/", views.package_build, name="package_build"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("<int:pk>/send/", views.send, name="send"),
    path("packages/<int:pk>/release/", views.package_release, name="package_release"),
    path("packages/<int:pk>/zip/", views.package_download, name="package_download"),
    # Requester: signed, expiring links (no login).
    path("r/<str:token>/", views.requester_letter, name="requester_letter"),
    path("p/<str:token>/", views.requester_package, name="requester_package"),
]
