"""Failure drills and the production-shape run, as code (issue 12, items 7 and 8).

`python -m drills` (`make drill`) runs the broker outage, the worker killed mid-send and the
database connections terminated mid-delivery against real PostgreSQL, Redis, a Celery worker
and beat; `python -m drills.stack` (`make stack`) runs gunicorn, the worker and beat as
docker-compose.yml would and submits one request over HTTP. Each starts its own Redis server,
database and SMTP sink, so nothing shared on the machine is stopped, flushed or written to.
"""
