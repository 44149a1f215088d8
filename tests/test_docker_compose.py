"""docker-compose.yml describes the production shape, and Docker's own parser accepts it.

No Docker engine runs here: `docker-compose config` validates and interpolates the file only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LONG_RUNNING = ("proxy", "web", "worker", "beat", "db", "redis")
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_it_has_the_six_services_and_a_migrate_step(services):
    assert set(LONG_RUNNING) | {"migrate"} == set(services)


def test_it_checks_the_health_of_every_long_running_service(services):
    for name in LONG_RUNNING:
        healthcheck = services[name].get("healthcheck")
        assert healthcheck and healthcheck.get("test"), name


def test_it_starts_the_app_only_on_a_healthy_database_and_broker_after_migrating(services):
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "migrate" in command_of(services["migrate"])


def test_it_runs_gunicorn_celery_worker_and_beat(services):
    assert command_of(services["web"]).startswith("gunicorn priorauth.wsgi")
    assert "celery -A priorauth worker" in command_of(services["worker"])
    assert "celery -A priorauth beat" in command_of(services["beat"])


def test_it_pins_postgresql_15_and_redis_7(services):
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"


def test_it_configures_the_app_from_the_environment_with_debug_off(services):
    for name in (*APP_SERVICES, "migrate"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "false", name
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), name
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"], name
        assert env["REDIS_URL"].startswith("redis://redis:6379/"), name


def test_only_the_tls_proxy_publishes_ports_https_and_http(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    ports = [port.split(":")[-1] for port in services["proxy"]["ports"]]
    assert sorted(ports) == ["443", "80"]
    assert services["web"]["expose"] == ["8000"]


def test_the_proxy_is_the_official_caddy_image_pinned_by_version_with_the_repository_caddyfile(services):
    proxy = services["proxy"]
    assert re.fullmatch(r"caddy:\d+\.\d+\.\d+", proxy["image"])
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "tls {$CADDY_TLS:internal}" in caddyfile


def test_the_app_trusts_x_forwarded_proto_because_the_proxy_writes_it(services):
    for name in (*APP_SERVICES, "migrate"):
        assert services[name]["environment"]["BEHIND_TLS_PROXY"] == "true", name


def test_the_web_health_check_asks_healthz_over_plain_http_inside_the_container(services):
    # /healthz is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT); anything else would 301.
    assert "http://127.0.0.1:8000/healthz" in command_of({"command": services["web"]["healthcheck"]["test"]})


def test_caddy_itself_accepts_the_caddyfile():
    binary = shutil.which("caddy")
    if binary is None:
        pytest.skip("caddy is not installed (Debian package `caddy`); .ci/run installs it")
    result = subprocess.run(
        [binary, "adapt", "--config", str(ROOT / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert '"dial":"web:8000"' in result.stdout


def test_it_keeps_database_and_uploads_on_volumes(compose, services):
    assert {"pgdata", "uploads"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in ("web", "worker"):
        assert "uploads:/app/var/uploads" in services[name]["volumes"], name


def test_it_keeps_the_broker_queue_in_an_append_only_file_on_a_volume(compose, services):
    command = command_of(services["redis"])
    assert "--appendonly yes" in command
    assert "--appendfsync everysec" in command
    assert "redisdata" in compose["volumes"]
    assert "redisdata:/data" in services["redis"]["volumes"]  # the redis image's working directory


def test_it_builds_the_app_image_from_python_311_slim():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile


def docker_compose_config(**env: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (Debian package `docker-compose`); .ci/run installs it")
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_is_accepted_by_docker_compose_config():
    result = docker_compose_config(
        SECRET_KEY="not-a-real-secret", POSTGRES_PASSWORD="not-a-real-password", EMAIL_HOST="smtp.example.org"
    )
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_mail_server():
    result = docker_compose_config(SECRET_KEY="not-a-real-secret", POSTGRES_PASSWORD="not-a-real-password")
    assert result.returncode != 0
    assert "EMAIL_HOST" in result.stderr


def test_it_refuses_to_start_without_a_secret_key():
    result = docker_compose_config(POSTGRES_PASSWORD="not-a-real-password")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
