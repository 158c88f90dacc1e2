"""The request body as the API reads it: strict JSON.

Python's `json.loads` accepts what the API must refuse: the same key twice (the last one
silently wins, so what a client meant is lost), `NaN` and `Infinity` (not JSON), and
nesting deep enough to raise RecursionError (a 500). `parse_json` refuses all three with
`json.JSONDecodeError`, which Powertools' request validation turns into a 400 like any
other body that is not JSON (services/api/errors.py).
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32
"""Far deeper than any request model (a decision's corrections are two levels deep)."""


class _Refused(ValueError):
    """Raised inside the decoder's hooks; becomes a JSONDecodeError at the edge."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Refused(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def _no_constants(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (iteratively: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(body: str) -> Any:
    """`body` as JSON; json.JSONDecodeError for anything the API does not accept as JSON."""
    try:
        value = json.loads(body, object_pairs_hook=_unique_keys, parse_constant=_no_constants)
    except _Refused as exc:
        raise json.JSONDecodeError(str(exc), body, 0) from exc
    except RecursionError as exc:
        raise json.JSONDecodeError(
            f"arrays and objects nest deeper than {MAX_DEPTH} levels", body, 0
        ) from exc
    if _depth(value) > MAX_DEPTH:
        raise json.JSONDecodeError(
            f"arrays and objects nest deeper than {MAX_DEPTH} levels", body, 0
        )
    return value
