"""The letters tests' seeds, for the tests of the trail and of a restore."""

from tests.letters.conftest import (  # noqa: F401 - fixtures
    frozen_clock,
    img,
    make_request,
    module_transaction,
    seeds,
)
from tests.storage.fixtures import backend, moto  # noqa: F401 - fixtures
