"""A hook module with a bug: it imports something that does not exist (see test_housekeeping)."""

import dsar_module_that_does_not_exist  # noqa: F401
