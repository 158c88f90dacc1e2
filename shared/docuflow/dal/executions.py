"""Step Functions: starting the pipeline and answering its task tokens."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions import SFNClient

# A token that can no longer be answered: the task timed out, was answered already,
# or its execution ended. Late and duplicate OCR notifications land here.
_STALE_TOKEN = frozenset({"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"})


def execution_name(job_id: str, attempt: int) -> str:
    """The job id for the first attempt, `{job_id}-retry-{attempt}` afterwards.

    Step Functions answers a second StartExecution with the same name and input with
    the same execution, so starting an attempt twice never runs it twice.
    """
    return job_id if attempt == 1 else f"{job_id}-retry-{attempt}"


class WorkflowGateway:
    """Starts executions of one state machine and sends task results."""

    def __init__(self, client: SFNClient, state_machine_arn: str | None = None) -> None:
        self._sfn = client
        self._arn = state_machine_arn

    def start(self, name: str, payload: dict[str, Any]) -> str:
        """Start (or find again) the execution `name`; returns its ARN."""
        if self._arn is None:
            raise RuntimeError("this gateway was built without a state machine ARN")
        try:
            response = self._sfn.start_execution(
                stateMachineArn=self._arn, name=name, input=json.dumps(payload)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ExecutionAlreadyExists":
                raise
            # The same attempt was started before (and has perhaps finished): not a new run.
            arn = self._arn.replace(":stateMachine:", ":execution:") + f":{name}"
            return arn
        return response["executionArn"]

    def send_success(self, task_token: str, output: dict[str, Any]) -> bool:
        """Complete a waiting task; False if the token is stale (late or duplicate)."""
        try:
            self._sfn.send_task_success(taskToken=task_token, output=json.dumps(output))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _STALE_TOKEN:
                return False
            raise
        return True

    def send_failure(self, task_token: str, error: str, cause: str) -> bool:
        """Fail a waiting task with `error`; False if the token is stale."""
        try:
            self._sfn.send_task_failure(taskToken=task_token, error=error, cause=cause[:32768])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _STALE_TOKEN:
                return False
            raise
        return True
