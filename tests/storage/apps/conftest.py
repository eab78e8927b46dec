"""The letters tests' seeds, personas and clock, for the app-level tests of the storage."""

from tests.letters.conftest import (  # noqa: F401 - fixtures
    alice,
    frozen_clock,
    img,
    make_request,
    module_transaction,
    seeds,
)
