"""Where the end-to-end suite runs: a Target built from the environment.

- DOCUFLOW_API_BASE_URL set: an already running stack (`docuflow up`, compose, LocalStack
  or AWS). DOCUFLOW_CONTROL_URL (the emulator's `/_docuflow` base) enables the fault
  injection cases; DOCUFLOW_OUTPUTS (the JSON `docuflow up` writes) or DOCUFLOW_DLQ_URL +
  DOCUFLOW_AWS_ENDPOINT_URL enable the dead-letter checks.
- DOCUFLOW_E2E_TARGET=localstack: the context manager `localstack_target()` in
  `e2e/target_localstack.py` brings the stack up and yields the target (conftest.py).
- Otherwise the suite starts the embedded local cloud itself (see conftest.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docuflow_tools.localcloud.users import UserPool

if TYPE_CHECKING:
    from boto3.session import Session


@dataclass(frozen=True)
class Target:
    """A stack under test, as a client sees it."""

    api_base_url: str
    control_url: str | None = None  # the local cloud's /_docuflow control endpoints
    aws_endpoint_url: str | None = None  # for reading the DLQ on a local target
    dlq_url: str | None = None
    name: str = "external"
    outputs: dict[str, Any] = field(default_factory=dict)
    web_origins: tuple[str, ...] = ()  # origins the API's and the bucket's CORS allow

    def aws_client(self, service: str) -> Any:
        """A boto3 client of `service` at the target's AWS endpoint, with the local cloud's
        test credentials: what a test reads or writes behind the API's back."""
        return self._aws_session().client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.aws_endpoint_url,
        )

    def dynamodb_table(self, output: str) -> Any:
        """The DynamoDB table (a boto3 Table) the stack output `output` names."""
        name = self.outputs.get(output)
        if not name:
            raise RuntimeError(f"{self.name}: no stack output {output!r}")
        return (
            self._aws_session().resource("dynamodb", endpoint_url=self.aws_endpoint_url).Table(name)
        )

    def _aws_session(self) -> Session:
        from boto3.session import Session

        if self.aws_endpoint_url is None:
            raise RuntimeError(f"{self.name}: no AWS endpoint (DOCUFLOW_AWS_ENDPOINT_URL)")
        return Session(
            aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
        )

    def user_pool(self) -> UserPool:
        """Where the suite signs its users in: the pool of the target's outputs, else
        DOCUFLOW_USER_POOL_CLIENT_ID (a deployment on AWS)."""
        client_id = self.outputs.get("user_pool_client_id") or os.environ.get(
            "DOCUFLOW_USER_POOL_CLIENT_ID", ""
        )
        if not client_id:
            raise RuntimeError(
                f"{self.name}: no user pool client; set DOCUFLOW_OUTPUTS or "
                "DOCUFLOW_USER_POOL_CLIENT_ID"
            )
        return UserPool(
            endpoint=self.aws_endpoint_url,
            region=os.environ.get("AWS_REGION", "us-east-1"),
            pool_id=str(self.outputs.get("user_pool_id", "")),
            client_id=str(client_id),
        )

    @property
    def local(self) -> bool:
        """Fault injection and DLQ reading are possible only on the local cloud."""
        return self.control_url is not None


def from_outputs_file(path: Path, name: str = "local cloud") -> Target:
    """The target a running `docuflow up` describes in its outputs file."""
    record = json.loads(path.read_text(encoding="utf-8"))
    outputs = record.get("outputs") or {}
    return Target(
        api_base_url=str(record["api_base_url"]).rstrip("/"),
        control_url=record.get("control_url"),
        aws_endpoint_url=record.get("endpoint"),
        dlq_url=outputs.get("dlq_url"),
        name=name,
        outputs=outputs,
        web_origins=tuple(record.get("web_origins") or ()),
    )


def target_from_env() -> Target | None:
    """The target the environment names, or None for the embedded local cloud."""
    base = os.environ.get("DOCUFLOW_API_BASE_URL")
    if not base:
        return None
    outputs_file = os.environ.get("DOCUFLOW_OUTPUTS")
    if outputs_file and Path(outputs_file).is_file():
        from_file = from_outputs_file(Path(outputs_file))
        if from_file.api_base_url == base.rstrip("/"):
            return from_file
    return Target(
        api_base_url=base.rstrip("/"),
        control_url=os.environ.get("DOCUFLOW_CONTROL_URL") or None,
        aws_endpoint_url=os.environ.get("DOCUFLOW_AWS_ENDPOINT_URL") or None,
        dlq_url=os.environ.get("DOCUFLOW_DLQ_URL") or None,
        name=os.environ.get("DOCUFLOW_E2E_TARGET") or "external",
        web_origins=tuple(
            origin.strip()
            for origin in os.environ.get("DOCUFLOW_WEB_ORIGINS", "").split(",")
            if origin.strip()
        ),
    )
