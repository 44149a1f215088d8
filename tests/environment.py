"""Loaded by pytest before Django (see pyproject.toml): the test environment's defaults.

Tests run with production settings (DEBUG off); only the secret key is a test value.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
# Nothing runs collectstatic before the suite: serve static files through the finders.
os.environ.setdefault("STATIC_MANIFEST", "false")
# The test client and the live server speak plain HTTP; tests of the redirect turn it back on.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
