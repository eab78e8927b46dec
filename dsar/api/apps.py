from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dsar.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # The OpenAPI description of the key authentication (drf-spectacular finds extensions
        # by import).
        from dsar.api import schema  # noqa: F401
