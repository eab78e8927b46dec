from tests.storage.fixtures import moto  # noqa: F401 - fixture
