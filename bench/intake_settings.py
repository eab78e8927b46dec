"""Settings of the intake benchmark: the project's, with the form's rate limits turned off.

Until ``dsar/settings.py`` reads DSAR_INTAKE_RATE_LIMITS_ENABLED from the environment, the
benchmark's gunicorn runs with this module (``--pythonpath bench``,
``DJANGO_SETTINGS_MODULE=intake_settings``). Nothing else differs.
"""

from dsar.settings import *  # noqa: F403

DSAR_INTAKE_RATE_LIMITS_ENABLED = False
