"""Run the production shape for real: `python -m drills.stack` (or `make stack`).

What docker-compose.yml runs, without Docker: its own PostgreSQL database (STACK_DATABASE_URL,
by default priorauth_stack), its own Redis with the compose file's `--appendonly yes`, the
`migrate` service's command, the image's collectstatic, then gunicorn, the Celery worker and
beat with the compose file's commands and environment (DEBUG off, the SMTP backend). Only the
addresses differ: everything listens on 127.0.0.1 on free ports, and mail goes to the run's
own SMTP sink (EMAIL_HOST, EMAIL_PORT). No Caddy runs: gunicorn gets the compose file's
BEHIND_TLS_PROXY=true, and each request carries X-Forwarded-Proto: https as the proxy's would.
The run first checks the HTTPS rules (plain HTTP is redirected to https://, /healthz answers
over plain HTTP as the compose health check asks it). Office staff then log in, look a member
up, start and submit a request; the run passes when the worker delivered the acknowledgement
(the email reached the sink and the request's acknowledgement time is set). Everything started is
stopped and the database dropped, pass or fail. Exit status 0 on a pass, 1 otherwise.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from drills import processes, world
from drills.browser import CSRF_INPUT, Browser, Page, expect
from drills.processes import ROOT
from drills.rig import WORKER_ARGS, Rig

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/priorauth_stack"
STAFF, PASSWORD = "staff_buckeye", "orchid-lantern-47-ridge"
MEMBER_ID, BIRTH_DATE = "OH-DEMO-0001", "1958-04-30"
DELIVERY_WAIT = 60.0


def _manage(command: list[str], env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    log = (log_dir / f"{command[0]}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def _prepare(rig: Rig, env: dict[str, str]) -> None:
    """Migrate (compose's `migrate` service) and collect static files (the image's build step) at once."""
    jobs = [
        _manage(["migrate", "--noinput"], env, rig.log_dir),
        _manage(["collectstatic", "--noinput"], env, rig.log_dir),
    ]
    for job in jobs:
        if job.wait(timeout=180) != 0:
            raise RuntimeError(f"{' '.join(map(str, job.args[1:]))} failed (see {rig.log_dir})")


def _start(rig: Rig, env: dict[str, str], web_port: int) -> processes.Process:
    gunicorn = [sys.executable, "-m", "gunicorn", "priorauth.wsgi", f"--bind=127.0.0.1:{web_port}"]
    web = processes.Process(
        "web", [*gunicorn, "--workers=3", "--access-logfile=-"], env=env, log_dir=rig.log_dir
    )
    rig.worker = processes.celery("worker", WORKER_ARGS, env=env, log_dir=rig.log_dir)
    schedule = f"--schedule={rig.data_dir / 'celerybeat-schedule'}"
    rig.beat = processes.celery("beat", ["beat", "--loglevel=INFO", schedule], env=env, log_dir=rig.log_dir)
    rig.started += [web, rig.worker, rig.beat]
    web.start()
    rig.beat.start()
    processes.start_worker(rig.worker)
    deadline = time.monotonic() + 60
    while not _healthy(web_port):
        if time.monotonic() > deadline or not web.running:
            raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{web.tail()}")
        time.sleep(0.3)
    return web


def _healthy(port: int) -> bool:
    """Return whether gunicorn answers the compose file's health check (/healthz, 200)."""
    return processes.port_answers(port) and Browser(port).get("/healthz").status == 200


def _csrf(page: Page) -> str:
    match = CSRF_INPUT.search(page.body)
    if not match:
        raise AssertionError("the page has no CSRF token")
    return match.group(1)


def check_https_only(port: int) -> None:
    """Raise unless plain HTTP is sent to HTTPS and a request the proxy marks as HTTPS is served."""
    expect(Browser(port).get("/accounts/login/"), 301, "plain HTTP", r"^https://127\.0\.0\.1[:/]")
    expect(Browser(port, forwarded_proto="https").get("/accounts/login/"), 200, "HTTPS through the proxy")


def submit_over_http(port: int) -> int:
    """Return the submitted request's id after logging in, finding the member, starting and submitting."""
    browser = Browser(port, forwarded_proto="https")
    login = browser.get("/accounts/login/")
    form = {"username": STAFF, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(login)}
    expect(browser.request("POST", "/accounts/login/", form), 302, "log in", r"^/$")
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    lookup = browser.get("/members/lookup/")
    search = {"member_id": MEMBER_ID, "date_of_birth": BIRTH_DATE, "date_of_service": day}
    found = expect(
        browser.request("POST", "/members/lookup/", {**search, "csrfmiddlewaretoken": _csrf(lookup)}),
        200,
        "look the member up",
    )
    ticket = found.hidden("ticket")
    if not ticket:
        raise AssertionError("the member lookup found no member to start a request for")
    started = browser.request(
        "POST", "/requests/start/", {"ticket": ticket, "csrfmiddlewaretoken": _csrf(found)}
    )
    edit_path = expect(started, 302, "start a request", r"^/requests/\d+/edit/$").location
    edit = browser.get(edit_path)
    fields = {**intake_form(day), "action": "submit", "csrfmiddlewaretoken": _csrf(edit)}
    submitted = browser.request("POST", edit_path, fields)
    detail = expect(submitted, 302, "submit the request", r"^/requests/\d+/$").location
    expect(browser.get(detail), 200, "open the submitted request")
    return int(detail.strip("/").split("/")[-1])


def intake_form(day: str) -> dict[str, str]:
    """Return a complete CAR-T intake form, as office staff fill it (tests/requests/conftest.py)."""
    return {
        "date_of_service": day,
        "service": "product",
        "product": "Q2041",
        "diagnoses": "C83.30",
        "ordering_name": "Dr. Grace Hopper",
        "ordering_npi": "1234567893",
        "rendering_npi": "1245319599",
        "facility_name": "Buckeye Cancer Center",
        "facility_npi": "1234567893",
        "facility_accreditation": "fact",
        "urgency": "standard",
        "clinical_summary": "DLBCL, relapsed after 2 lines.",
        "prior_lines_of_therapy": "2",
        "ecog": "1",
        "active_cns_disease": "no",
        "active_infection": "no",
        "prior_car_t_or_gene_therapy": "no",
        "attestation": "on",
    }


def acknowledgement_delivered(rig: Rig, request_id: int) -> tuple[bool, str]:
    """Return whether the acknowledgement was mailed and recorded on the request, and what was seen."""
    from priorauth.requests.models import PriorAuthRequest

    deadline = time.monotonic() + DELIVERY_WAIT
    while True:
        pa = PriorAuthRequest.objects.select_related("submitted_by").get(pk=request_id)
        subject = f"Request {pa.number}: received"
        mailed = [r for r in rig.sink.snapshot() if r.subject == subject]
        seen = f"{len(mailed)} email(s) '{subject}', acknowledgement time {pa.acknowledgement_sent_at}"
        if mailed and pa.acknowledgement_sent_at is not None:
            return True, seen
        if time.monotonic() > deadline:
            return False, seen
        time.sleep(0.5)


def run(url: str) -> bool:
    log_dir = ROOT / "var" / "stack"
    log_dir.mkdir(parents=True, exist_ok=True)
    rig = Rig(database_url=url, log_dir=log_dir)
    started = time.monotonic()
    world.database_recreate(url)
    try:
        rig.start_services(appendonly=True)
        env = {
            **rig.env(),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "",
            "MEDIA_ROOT": str(rig.data_dir / "uploads"),
            "BEHIND_TLS_PROXY": "true",
        }
        _prepare(rig, env)
        world.django_setup(env)
        world.seed()
        print(f"migrated, collected and seeded in {time.monotonic() - started:.0f} s", flush=True)
        web_port = processes.free_port()
        _start(rig, env, web_port)
        print(f"gunicorn, worker and beat up at {time.monotonic() - started:.0f} s", flush=True)
        check_https_only(web_port)
        request_id = submit_over_http(web_port)
        print(f"request {request_id} submitted over HTTP at {time.monotonic() - started:.0f} s", flush=True)
        ok, seen = acknowledgement_delivered(rig, request_id)
        print(f"{'PASS' if ok else 'FAIL'}: {seen} ({time.monotonic() - started:.0f} s)", flush=True)
        return ok
    finally:
        from django.db import connections

        connections.close_all()
        rig.stop()
        world.database_recreate(url, create=False)


def main() -> int:
    url = os.environ.get("STACK_DATABASE_URL", DEFAULT_URL)
    return 0 if run(url) else 1


if __name__ == "__main__":
    sys.exit(main())
