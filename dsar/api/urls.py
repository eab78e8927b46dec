"""/api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/ (the reference page)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from dsar.api import problems, views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("policy-versions", views.PolicyVersionViewSet, basename="policy-version")
router.register("requests", views.RequestViewSet, basename="request")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("letters", views.LetterViewSet, basename="letter")
router.register("data-packages", views.DataPackageViewSet, basename="package")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            authentication_classes=[], permission_classes=[AllowAny], throttle_classes=[]
        ),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            authentication_classes=[],
            permission_classes=[AllowAny],
            throttle_classes=[],
        ),
        name="docs",
    ),
    # Anything else under /api/ is a problem document, not the site's HTML 404 page.
    re_path(r"^.*$", problems.not_found),
]
