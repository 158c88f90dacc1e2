"""The local cloud keeps its state across restarts (persistence.py): after a stop, and
after a crash from its last checkpoint; `--fresh` forgets it, links included.

Each test runs real emulator processes (`docuflow up --emulator-only`) on one state folder
and talks to them as any AWS client does."""

from __future__ import annotations

import json
import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

from docuflow_tools.localcloud.ports import free_port
from docuflow_tools.localcloud.up_process import UpProcess
from tests.localcloud.helpers import HANDLERS, unique
from tests.support import wait_for

PASS_MACHINE = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
WAIT_MACHINE = {
    "StartAt": "Wait",
    "States": {
        "Wait": {"Type": "Wait", "Seconds": 3, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}


class Emulator:
    """Emulator processes started one after the other on one port and state folder."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: UpProcess | None = None

    def start(self, *options: str) -> UpProcess:
        self.process = UpProcess(
            name="persistence",
            port=self.port,
            state=self.state,
            options=("--emulator-only", "--textract-latency", "0.2", *options),
        )
        self.process.wait_ready(120)
        return self.process

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(signature_version="s3v4") if service == "s3" else None,
        )

    def state_figures(self) -> dict[str, Any]:
        health = requests.get(f"{self.endpoint}/_docuflow/health", timeout=30).json()
        figures: dict[str, Any] = health["state"]
        return figures

    def wait_saved(self, since: float) -> None:
        """Until a checkpoint taken after `since` holds every change."""

        def saved() -> bool:
            figures = self.state_figures()
            return bool(
                (figures["last_checkpoint_at"] or 0) > since and not figures["unsaved_changes"]
            )

        wait_for(saved, 30, "a checkpoint")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    emulator = Emulator(tmp_path / "state")
    try:
        yield emulator
    finally:
        emulator.stop()


def _execution_done(sfn: Any, arn: str) -> str | None:
    status = sfn.describe_execution(executionArn=arn)["status"]
    return None if status == "RUNNING" else str(status)


def test_a_stopped_cloud_starts_again_with_everything_and_fresh_forgets_it(
    emulator: Emulator,
) -> None:
    # Given a cloud with something of every kind the stack uses
    first = emulator.start("--fresh")
    s3, ddb, sqs = emulator.client("s3"), emulator.client("dynamodb"), emulator.client("sqs")
    sfn, apigw, kms = (
        emulator.client("stepfunctions"),
        emulator.client("apigatewayv2"),
        emulator.client("kms"),
    )
    bucket, body = unique("raw"), os.urandom(300_000)
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="raw/o/j/doc.pdf", Body=body, ContentType="application/pdf")
    table = unique("jobs")
    ddb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "job_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "job_id", "AttributeType": "S"}],
    )
    ddb.put_item(TableName=table, Item={"job_id": {"S": "j-1"}, "status": {"S": "NEEDS_REVIEW"}})
    queue = sqs.create_queue(QueueName=unique("intake"))["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="kept")
    api_id = apigw.create_api(Name=unique("api"), ProtocolType="HTTP")["ApiId"]
    role = emulator.client("iam").create_role(
        RoleName=unique("role"), AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    machine = sfn.create_state_machine(
        name=unique("pipeline"), definition=json.dumps(PASS_MACHINE), roleArn=role
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, name="job-1")["executionArn"]
    assert wait_for(lambda: _execution_done(sfn, execution), 30, "the execution") == "SUCCEEDED"
    signing_key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    signature = kms.sign(
        KeyId=signing_key, Message=b"invoice", SigningAlgorithm="RSASSA_PSS_SHA_256"
    )["Signature"]
    presigner = unique("presigner")
    emulator.client("lambda").create_function(
        FunctionName=presigner,
        Role=role,
        PackageType="Image",
        Code={"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fixture:1"},
        ImageConfig={"Command": [f"{HANDLERS}.presign_put"]},
        Timeout=30,
    )
    link = invoke(emulator, presigner, {"bucket": bucket, "key": "raw/o/j2/doc.pdf"})
    # A second cloud on the same state folder is refused while this one runs
    other = UpProcess(
        name="persistence-other",
        port=free_port(),
        state=emulator.state,
        options=("--emulator-only",),
    )
    assert other.wait(timeout=60) == 1
    assert f"is in use by pid {first.pid}" in other.log_path.read_text()

    # When it stops and starts again
    assert first.stop() == 0
    emulator.start()
    s3, ddb, sqs = emulator.client("s3"), emulator.client("dynamodb"), emulator.client("sqs")
    sfn, apigw, kms = (
        emulator.client("stepfunctions"),
        emulator.client("apigatewayv2"),
        emulator.client("kms"),
    )

    # Then everything is there, with the same ids, and works
    assert emulator.state_figures()["restored"] is True
    assert s3.get_object(Bucket=bucket, Key="raw/o/j/doc.pdf")["Body"].read() == body
    item = ddb.get_item(TableName=table, Key={"job_id": {"S": "j-1"}})["Item"]
    assert item["status"] == {"S": "NEEDS_REVIEW"}
    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
    assert [m["Body"] for m in messages] == ["kept"]
    assert apigw.get_api(ApiId=api_id)["ApiId"] == api_id
    assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    assert sfn.get_execution_history(executionArn=execution)["events"]
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):  # its name is still taken
        sfn.start_execution(stateMachineArn=machine, name="job-1")
    assert kms.verify(
        KeyId=signing_key,
        Message=b"invoice",
        Signature=signature,
        SigningAlgorithm="RSASSA_PSS_SHA_256",
    )["SignatureValid"]
    # and a link a function made before the restart still takes its upload
    assert requests.put(link, data=b"%PDF-1.4", headers=HEADERS, timeout=30).status_code == 200

    # When it starts again with --fresh
    link = invoke(emulator, presigner, {"bucket": bucket, "key": "raw/o/j3/doc.pdf"})
    emulator.stop()
    emulator.start("--fresh")
    # Then nothing is left, and the functions' links of before are refused as S3 refuses
    # links signed with credentials that do not exist
    assert emulator.state_figures()["restored"] is False
    assert emulator.client("s3").list_buckets()["Buckets"] == []
    refused = requests.put(link, data=b"%PDF-1.4", headers=HEADERS, timeout=30)
    assert refused.status_code == 403, refused.text
    assert ET.fromstring(refused.content).findtext("Code") == "InvalidAccessKeyId"


HEADERS = {"Content-Type": "application/pdf", "If-None-Match": "*"}


def invoke(emulator: Emulator, function: str, payload: dict[str, Any]) -> str:
    answer = emulator.client("lambda").invoke(FunctionName=function, Payload=json.dumps(payload))
    assert "FunctionError" not in answer, answer["Payload"].read()
    link: str = json.loads(answer["Payload"].read())
    return link


def test_a_killed_cloud_comes_back_from_its_last_checkpoint(emulator: Emulator) -> None:
    # Given a cloud that saved a job, a running execution and a message being handled
    emulator.start("--fresh")
    ddb, sqs, sfn = (
        emulator.client("dynamodb"),
        emulator.client("sqs"),
        emulator.client("stepfunctions"),
    )
    table = unique("jobs")
    ddb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "job_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "job_id", "AttributeType": "S"}],
    )
    queue = sqs.create_queue(QueueName=unique("intake"))["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="in flight")
    received = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=600)["Messages"]
    assert len(received) == 1
    role = emulator.client("iam").create_role(
        RoleName=unique("role"), AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    machine = sfn.create_state_machine(
        name=unique("pipeline"), definition=json.dumps(WAIT_MACHINE), roleArn=role
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, name="job-2")["executionArn"]
    ddb.put_item(TableName=table, Item={"job_id": {"S": "j-2"}, "status": {"S": "PROCESSING"}})
    emulator.wait_saved(since=time.time())
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"

    # When it is killed (nothing saved on the way out) and started again
    assert emulator.process is not None
    emulator.process.kill()
    emulator.start()
    ddb, sqs, sfn = (
        emulator.client("dynamodb"),
        emulator.client("sqs"),
        emulator.client("stepfunctions"),
    )

    # Then the job is there, the execution ran again to its end, and the message that was
    # being handled is delivered again at once (its handler died with the process)
    item = ddb.get_item(TableName=table, Key={"job_id": {"S": "j-2"}})["Item"]
    assert item["status"] == {"S": "PROCESSING"}
    assert wait_for(lambda: _execution_done(sfn, execution), 30, "the execution") == "SUCCEEDED"
    again = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
    assert [m["Body"] for m in again] == ["in flight"]


def test_a_damaged_state_is_refused_with_the_way_out(emulator: Emulator) -> None:
    emulator.start("--fresh")
    emulator.stop()
    snapshot = emulator.state / "emulator" / "state.pickle"
    snapshot.write_bytes(snapshot.read_bytes()[:100])
    damaged = UpProcess(
        name="persistence", port=emulator.port, state=emulator.state, options=("--emulator-only",)
    )
    assert damaged.wait(timeout=60) == 1
    log = damaged.log_path.read_text()
    assert "cannot load the kept state" in log and "`docuflow up --fresh` discards it" in log
