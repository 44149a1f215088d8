"""JSON as people write it: one reader, with the same plain-words refusals for every command."""

from __future__ import annotations

import json
import math
from typing import Any

UNREADABLE = "not readable JSON: a number too long or too large, or nesting too deep"


class UnreadableJson(ValueError):
    """JSON that cannot be read, with a message that says where or why."""


def _finite_float(text: str) -> float:
    # 1e400 reads as infinity, which no JSON reader would accept back in an exported line.
    number = float(text)
    if math.isinf(number):
        raise ValueError("a number too large")
    return number


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_read(text: str) -> Any:
    """Return the value of a JSON text; raise UnreadableJson saying where (line, column) or why.

    Also refused: what only Python reads (NaN, Infinity, 1e400), which no JSON reader would
    take back, and valid JSON that Python will not read (a number of thousands of digits,
    nesting thousands deep).
    """
    try:
        return json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise UnreadableJson(f"not valid JSON: {error.msg} at {where}") from None
    except (ValueError, RecursionError):
        raise UnreadableJson(UNREADABLE) from None
