"""Opaque cursors: a DynamoDB LastEvaluatedKey as URL-safe base64 JSON."""

from __future__ import annotations

import base64
import binascii
import json

from docuflow.domain.errors import ValidationFailed

MAX_CURSOR_CHARS = 2048
"""Longer than any cursor we make; the route's `cursor` parameter refuses longer ones."""


def encode_cursor(last_key: dict[str, str] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, str] | None:
    """The key a cursor stands for; ValidationFailed (400) for anything not made by us."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed("The cursor is not valid.") from exc
    if (
        not isinstance(key, dict)
        or not key
        or len(key) > 4
        or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in key.items())
    ):
        raise ValidationFailed("The cursor is not valid.")
    return key


def queue_offset(cursor: str | None) -> int:
    """Where a page of the sorted review queue starts: the offset its cursor holds."""
    key = decode_cursor(cursor)
    if key is None:
        return 0
    offset = key.get("offset", "")
    if set(key) != {"offset"} or not offset.isdigit() or len(offset) > 9:
        raise ValidationFailed("The cursor is not valid for this query.")
    return int(offset)
