from tests.storage.fixtures import backend, moto  # noqa: F401 - fixtures
