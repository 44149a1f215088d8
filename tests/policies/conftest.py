"""Fixtures for the policy bundle and the three commands: the example bundle, loaded or not."""

from __future__ import annotations

import copy
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from priorauth.policies.services import bundle_import

# A verbatim copy of the contract's example bundle (DOMAIN.md, examples/policy-bundle.example.json).
EXAMPLE_PATH = Path(__file__).parent / "example.bundle.json"


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE_PATH


@pytest.fixture
def example_bundle(example_path: Path) -> dict[str, Any]:
    """Return a fresh copy of the example bundle that a test may change."""
    return copy.deepcopy(json.loads(example_path.read_text()))


@pytest.fixture
def imported_example(db, example_bundle: dict[str, Any]) -> dict[str, Any]:
    bundle_import(data=example_bundle)
    return example_bundle


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines()]


def run_command(name: str, *args: str, stdin: str = "") -> Run:
    """Return the exit code and output of a management command, as the shell would see them."""
    stdout, stderr = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(name, *args, stdout=stdout, stderr=stderr)
        code = 0
    except CommandError as error:
        stderr.write(f"CommandError: {error}\n")
        code = error.returncode
    finally:
        sys.stdin = saved
    return Run(code, stdout.getvalue(), stderr.getvalue())
