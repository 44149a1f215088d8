"""The import contracts (.importlinter) hold today, and fail when a change breaks them."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINT_IMPORTS = pathlib.Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> pathlib.Path:
    """Return a copy of the code and its contracts, to break on purpose."""
    shutil.copytree(ROOT / "priorauth", tmp_path / "priorauth", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def add_import(tree: pathlib.Path, module: str, statement: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{statement}\n")


def test_it_keeps_every_contract_today(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_it_fails_when_a_lower_package_imports_a_view_of_a_higher_one(tree):
    add_import(tree, "priorauth.requests.views", "from priorauth.review import views as review_views")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Packages: none imports a package above it BROKEN" in result.stdout
    assert "priorauth.requests.views -> priorauth.review.views" in result.stdout


def test_it_fails_when_a_model_imports_a_view(tree):
    add_import(tree, "priorauth.review.models", "from priorauth.review import views")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Inside a package: views, forms, services, models BROKEN" in result.stdout


def test_it_fails_on_an_import_circle_inside_a_package(tree):
    # services -> tasks -> delivery -> services: the circle this contract was written against.
    add_import(tree, "priorauth.notifications.services", "from priorauth.notifications import tasks")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "No import circles BROKEN" in result.stdout


def test_it_fails_when_the_deferral_logic_reads_the_database(tree):
    add_import(tree, "priorauth.policies.deferral", "from django.db import models")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Pure modules: no Django, no database, no services BROKEN" in result.stdout
