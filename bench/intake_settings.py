"""Settings of the intake benchmark: the project's, with the form's rate limits turned off.

Until ``dsar/settings.py`` reads DSAR_INTAKE_RATE_LIMITS_ENABLED from the environment, the
benchmark's gunicorn runs with this module (``--pythonpath bench``,
``DJANGO_SETTINGS_MODULE=intake_settings``). The URLs add one bench-only view (the floor
reference line, ``bench/intake_urls.py``); nothing else differs.
"""

from dsar.settings import *  # noqa: F403

DSAR_INTAKE_RATE_LIMITS_ENABLED = False

# The project's URLs and the bench-only floor view (bench/intake_urls.py).
ROOT_URLCONF = "intake_urls"
