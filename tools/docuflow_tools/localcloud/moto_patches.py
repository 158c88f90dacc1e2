"""Where moto falls short of what the project relies on, and what the emulator does about it.

Written for one moto version, `MOTO_VERSION`, the pin in tools/pyproject.toml. The patches
reach into moto's internals, and the answers below fill gaps a later moto may fill itself,
so `configure_moto` refuses any other version: bump the pin, check each item below against
the new moto (drop what it now does right), then bump `MOTO_VERSION`.

What moto 5.2.5 lacks or gets wrong, and why each workaround exists:

- Step Functions does not run state machines unless its config says so: set here
  (`execute_state_machine`), and `MOTO_PORT` tells its engine where Lambda Invoke is.
- Image functions need a pushed ECR image: `MOTO_LAMBDA_STUB_ECR` accepts the image URI
  Terraform names without one.
- SendMessage to a queue with an event source mapping invokes the function inside moto,
  synchronously (the sender waits), without ReportBatchItemFailures, and through Docker:
  `_forget_queue_mappings` makes queues forget their mappings, and the emulator's
  SqsPoller delivers batches the way Lambda does.
- Bucket policies are evaluated without their conditions, so the TLS-only statement
  (Deny when `aws:SecureTransport` is false) denies every presigned request:
  `_ignore_tls_only_denials` leaves those statements out (the emulator stands in for
  AWS's TLS endpoint); every other statement is enforced as moto enforces it.
- ValidateStateMachineDefinition, ListStateMachineVersions and ListStateMachineAliases do
  not exist, and the Terraform AWS provider calls them: `STEP_FUNCTIONS_GAPS` holds AWS's
  answers for a state machine never published as a version, which the dispatcher returns.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
from typing import Any

MOTO_VERSION = "5.2.5"

# Step Functions calls moto lacks and the Terraform provider makes: answered with what
# AWS answers for a state machine that was never published as a version.
STEP_FUNCTIONS_GAPS: dict[str, dict[str, Any]] = {
    "AWSStepFunctions.ValidateStateMachineDefinition": {
        "result": "OK",
        "diagnostics": [],
        "truncated": False,
    },
    "AWSStepFunctions.ListStateMachineVersions": {"stateMachineVersions": []},
    "AWSStepFunctions.ListStateMachineAliases": {"stateMachineAliases": []},
}


class UnsupportedMotoVersion(RuntimeError):
    """The installed moto is not the one these patches were written for."""


def installed_moto_version() -> str:
    return importlib.metadata.version("moto")


def check_moto_version() -> None:
    """UnsupportedMotoVersion unless the installed moto is `MOTO_VERSION`."""
    installed = installed_moto_version()
    if installed != MOTO_VERSION:
        raise UnsupportedMotoVersion(
            f"the local cloud's moto patches (docuflow_tools.localcloud.moto_patches) were "
            f"written for moto {MOTO_VERSION}, but moto {installed} is installed: they replace "
            "moto internals and answer calls moto lacked, which may no longer hold. Check "
            "each workaround that module lists against moto "
            f"{installed}, then update MOTO_VERSION there with the pin in tools/pyproject.toml"
        )


def configure_moto(port: int, region: str) -> None:
    """Settings moto reads from the environment and its config, and the patches; called
    before moto's server app is created. Refuses a moto other than `MOTO_VERSION`."""
    check_moto_version()
    os.environ["MOTO_PORT"] = str(port)  # where its Step Functions engine calls Lambda
    os.environ.setdefault("MOTO_LAMBDA_STUB_ECR", "TRUE")  # image functions without a push
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    _forget_queue_mappings()
    _ignore_tls_only_denials()


class _NoMappings(dict[str, Any]):
    """A queue's mapping table that never holds anything (writes are dropped)."""

    def __setitem__(self, key: str, value: Any) -> None:
        return None


def _forget_queue_mappings() -> None:
    """moto would invoke a mapped function inside SendMessage itself (blocking the sender,
    ignoring ReportBatchItemFailures, and through Docker). The SqsPoller does that job, so
    moto's queues are made to forget their mappings."""
    from moto.sqs.models import Queue

    if not isinstance(getattr(Queue, "lambda_event_source_mappings", None), property):
        Queue.lambda_event_source_mappings = property(  # type: ignore[assignment]
            lambda self: _NoMappings(), lambda self, value: None
        )


def _without_tls_only_denials(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy minus its "deny unless TLS" statements.

    moto evaluates bucket policies without conditions, so a TLS-only statement
    (Deny when aws:SecureTransport is false) would deny every presigned request. The
    emulator stands in for AWS's TLS endpoint: such statements never apply to it."""
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    kept = [
        statement
        for statement in statements
        if not (
            statement.get("Effect") == "Deny"
            and "aws:securetransport" in json.dumps(statement.get("Condition", {})).lower()
        )
    ]
    return {**policy, "Statement": kept}


def _ignore_tls_only_denials() -> None:
    """moto's FakeBucket.get_permission, evaluating the policy without its TLS-only denials."""
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    if getattr(FakeBucket.get_permission, "_docuflow", False):
        return

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = _without_tls_only_denials(json.loads(self.policy.decode()))
        return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource)

    get_permission._docuflow = True  # type: ignore[attr-defined]
    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]
