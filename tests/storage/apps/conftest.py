"""The letters tests' seeds and clock, for the app-level tests of the storage."""

from tests.letters.conftest import (  # noqa: F401 - fixtures
    frozen_clock,
    img,
    make_request,
    module_transaction,
    seeds,
)
