"""Helpers of the emulator tests: throwaway names and functions."""

from __future__ import annotations

import uuid
from typing import Any

HANDLERS = "tests.localcloud.fixture_handlers"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_function(
    cloud: Any, handler: str, timeout: int = 10, env: dict[str, str] | None = None
) -> str:
    """An image function whose command is one of the fixture handlers."""
    iam = cloud.client("iam")
    role = iam.create_role(RoleName=unique("role"), AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    name = unique(handler)
    cloud.client("lambda").create_function(
        FunctionName=name,
        Role=role,
        PackageType="Image",
        Code={"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fixture:1"},
        ImageConfig={"Command": [f"{HANDLERS}.{handler}"]},
        Timeout=timeout,
        Environment={"Variables": env or {}},
    )
    return name
