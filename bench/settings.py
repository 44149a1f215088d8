"""The API benchmark's server settings: the application's, plus the bare ceiling view's URL.

Only the benchmark's gunicorn runs with these (DJANGO_SETTINGS_MODULE=bench.settings): the bare
view is in no production URL configuration.
"""

from priorauth.settings import *  # noqa: F403 (the application's settings, unchanged)

ROOT_URLCONF = "bench.urls"
