"""The project's settings, plus the mail server's address from the environment.

priorauth.settings leaves EMAIL_HOST and EMAIL_PORT at Django's defaults (localhost:25), which
docker-compose.yml does too; the drills point them at their own SMTP sink on a free port. This
is the only difference from the production settings.
"""

from __future__ import annotations

from priorauth.env import env_str
from priorauth.settings import *  # noqa: F403

EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
