"""Settings of the API benchmark: the project's, with the URLs of ``bench/api_urls.py`` (the
project's plus the bench-only floor view). Nothing else differs."""

from dsar.settings import *  # noqa: F403

ROOT_URLCONF = "api_urls"
