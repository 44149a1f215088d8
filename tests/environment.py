"""Loaded by pytest before Django (see pyproject.toml): the test environment's defaults.

Tests run with production settings (DEBUG off); only the secret key is a test value.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
