"""Conversion between Python values and what boto3's DynamoDB resource stores.

The resource layer reads every number back as `Decimal` and refuses to write floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeSerializer

_SERIALIZER = TypeSerializer()


def to_dynamo(value: Any) -> Any:
    """Python value -> storable value: floats become Decimals, None stays None (NULL)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {str(k): to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_dynamo(v) for v in value]
    return value


def from_dynamo(value: Any) -> Any:
    """Stored value -> Python value: integral Decimals become ints, others floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamo(v) for v in value]
    return value


def to_typed(values: Mapping[str, Any]) -> dict[str, Any]:
    """Storable values (see `to_dynamo`) in the low-level client's typed shape
    (`{"S": ...}`, `{"N": ...}`), as TransactWriteItems takes them."""
    return {name: _SERIALIZER.serialize(value) for name, value in values.items()}
