"""The moto patches apply to the moto they were written for, and refuse any other."""

from __future__ import annotations

import argparse
import json
import os
import signal
from typing import Any

import pytest

from docuflow_tools.localcloud import cli, moto_patches
from docuflow_tools.localcloud.ports import free_port


def test_the_installed_moto_is_the_one_the_patches_were_written_for() -> None:
    moto_patches.check_moto_version()
    assert moto_patches.installed_moto_version() == moto_patches.MOTO_VERSION


def test_another_moto_is_refused_before_anything_is_patched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a moto the patches were not written for
    monkeypatch.setattr(moto_patches, "installed_moto_version", lambda: "5.3.0")
    monkeypatch.delenv("MOTO_PORT", raising=False)
    # When the emulator configures it, then it refuses, naming both versions
    with pytest.raises(moto_patches.UnsupportedMotoVersion) as raised:
        moto_patches.configure_moto(4566, "us-east-1")
    message = str(raised.value)
    assert f"written for moto {moto_patches.MOTO_VERSION}" in message
    assert "moto 5.3.0 is installed" in message
    assert "MOTO_PORT" not in os.environ


def test_docuflow_up_says_so_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(moto_patches, "installed_moto_version", lambda: "5.3.0")
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # keep the worker's handlers
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(["--emulator-only", "--port", str(free_port())])
    assert cli.run(args) == 1
    error = capsys.readouterr().err
    assert "cannot start the emulator" in error
    assert "moto 5.3.0 is installed" in error


def test_moto_finds_its_services_without_listing_its_package_each_request() -> None:
    # Given the patch applied
    from moto import backends

    moto_patches._list_moto_modules_once()
    folder = os.path.dirname(backends.__file__)
    on_disk = sorted(
        name
        for name in os.listdir(folder)
        if os.path.isdir(os.path.join(folder, name)) and not name.startswith("__")
    )
    # When moto asks for its modules twice, Then both answers are the one list made once,
    # and it is what the package folder holds
    first, second = backends.list_of_moto_modules(), backends.list_of_moto_modules()
    assert first is second
    assert list(first) == on_disk


def test_moto_keeps_no_object_its_state_no_longer_holds() -> None:
    # Given the patch installed, and an S3 object and a DynamoDB item made through moto
    import gc
    import weakref

    import boto3
    from moto import mock_aws
    from moto.dynamodb.models import dynamodb_backends
    from moto.s3.models import s3_backends

    moto_patches._keep_no_model_history()
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="raw")
        s3.put_object(Bucket="raw", Key="invoice.pdf", Body=b"%PDF first")
        first = weakref.ref(s3_backends["123456789012"]["aws"].buckets["raw"].keys["invoice.pdf"])
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName="jobs",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        dynamodb.put_item(TableName="jobs", Item={"pk": {"S": "job"}, "n": {"N": "1"}})
        table = dynamodb_backends["123456789012"]["us-east-1"].get_table("jobs")
        item = weakref.ref(next(iter(table.items.values())))
        # When the object is overwritten, the item deleted, and both read and updated before
        s3.get_object(Bucket="raw", Key="invoice.pdf")["Body"].read()
        dynamodb.update_item(
            TableName="jobs",
            Key={"pk": {"S": "job"}},
            UpdateExpression="SET n = n + :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
        s3.put_object(Bucket="raw", Key="invoice.pdf", Body=b"%PDF second")
        dynamodb.delete_item(TableName="jobs", Key={"pk": {"S": "job"}})
        gc.collect()
        # Then moto holds neither any more, and the new object is what S3 answers
        assert first() is None
        assert item() is None
        body = s3.get_object(Bucket="raw", Key="invoice.pdf")["Body"].read()
    assert body == b"%PDF second"


def test_large_s3_bodies_are_kept_on_disk_and_read_back_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the emulator's moto settings
    import resource

    import boto3
    from moto import mock_aws
    from moto.s3.models import s3_backends

    # (unset, as in a new server; set first so that what configure_moto writes is undone)
    for name in ("MOTO_PORT", "MOTO_LAMBDA_STUB_ECR", "MOTO_S3_DEFAULT_KEY_BUFFER_SIZE"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))
        moto_patches.configure_moto(free_port(), "us-east-1")
        # Then the process may open as many files as the system lets it
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == hard
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    large = os.urandom(moto_patches.S3_BODY_IN_MEMORY_BYTES + 1)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="raw")
        # When a large and a small body are put
        s3.put_object(Bucket="raw", Key="scan.pdf", Body=large)
        s3.put_object(Bucket="raw", Key="result.json", Body=b"{}")
        keys = s3_backends["123456789012"]["aws"].buckets["raw"].keys
        # Then only the large one is in a file, and both read back as put
        assert keys["scan.pdf"]._value_buffer._rolled
        assert not keys["result.json"]._value_buffer._rolled
        assert s3.get_object(Bucket="raw", Key="scan.pdf")["Body"].read() == large
        assert s3.get_object(Bucket="raw", Key="result.json")["Body"].read() == b"{}"


def _item_operations(client: Any) -> None:
    """Each of DynamoDB's item operations once or more, with every kind of attribute."""
    client.create_table(
        TableName="things",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    every_kind = {
        "text": {"S": "Rechnung Nr. 7, Grüße, €"},
        "blob": {"B": b"\x00\xffPDF"},
        "words": {"SS": ["a", "b"]},
        "numbers": {"NS": ["1", "2.5"]},
        "blobs": {"BS": [b"\x01", b"\x02"]},
        "yes": {"BOOL": True},
        "nothing": {"NULL": True},
        "list": {"L": [{"S": "x"}, {"N": "3"}, {"M": {"deep": {"B": b"\x03"}}}]},
        "map": {"M": {"amount": {"N": "12.30"}, "empty": {"L": []}}},
    }
    for sk in range(3):
        client.put_item(
            TableName="things",
            Item={"pk": {"S": "job"}, "sk": {"N": str(sk)}, **every_kind},
            ReturnConsumedCapacity="TOTAL",
        )
    key = {"pk": {"S": "job"}, "sk": {"N": "0"}}
    client.get_item(TableName="things", Key=key)
    client.get_item(TableName="things", Key={"pk": {"S": "none"}, "sk": {"N": "0"}})
    client.query(
        TableName="things",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "job"}},
        Limit=2,
        ReturnConsumedCapacity="TOTAL",
    )
    client.scan(
        TableName="things",
        ProjectionExpression="pk, #b, #m",
        ExpressionAttributeNames={"#b": "blob", "#m": "map"},
    )
    client.update_item(
        TableName="things",
        Key=key,
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":s": {"S": "DONE"}},
        ReturnValues="ALL_NEW",
    )
    client.delete_item(TableName="things", Key=key, ReturnValues="ALL_OLD")
    client.batch_write_item(
        RequestItems={"things": [{"PutRequest": {"Item": {**key, **every_kind}}}]}
    )
    client.batch_get_item(RequestItems={"things": {"Keys": [key]}})
    client.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": "things",
                    "Key": key,
                    "UpdateExpression": "SET yes = :f",
                    "ExpressionAttributeValues": {":f": {"BOOL": False}},
                }
            }
        ]
    )
    client.transact_get_items(TransactItems=[{"Get": {"TableName": "things", "Key": key}}])


def test_dynamodb_item_answers_written_directly_are_what_motos_serializer_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given both writers behind DynamoDB's answers: moto's serializer answers, and what the
    # patch would have written is kept beside it
    import boto3
    from moto import mock_aws
    from moto.core.responses import BaseResponse
    from moto.dynamodb.responses import DynamoHandler

    written: list[tuple[str, Any, Any]] = []

    def both(self: Any, action_result: Any) -> Any:
        answer = BaseResponse.serialized(self, action_result)
        written.append(
            (self._get_action(), moto_patches._direct_dynamodb_answer(self, action_result), answer)
        )
        return answer

    monkeypatch.setattr(DynamoHandler, "serialized", both)
    # When every item operation runs
    with mock_aws():
        _item_operations(boto3.client("dynamodb", region_name="us-east-1"))
    # Then the patch wrote an answer for each of them, the same answer as moto's serializer;
    # and left the others (CreateTable) to it
    direct = [(action, mine, motos) for action, mine, motos in written if mine is not None]
    assert {action for action, _, _ in direct} == moto_patches.DIRECT_DYNAMODB_ANSWERS
    assert {action for action, mine, _ in written if mine is None} == {"CreateTable"}
    for action, (status, headers, body), (motos_status, motos_headers, motos_body) in direct:
        assert status == motos_status, action
        assert headers["Content-Type"] == motos_headers["Content-Type"], action
        assert json.loads(body) == json.loads(motos_body), action


def test_boto3_reads_the_direct_answers_back_as_written() -> None:
    # Given the patch installed
    import boto3
    from moto import mock_aws
    from moto.dynamodb.responses import DynamoHandler

    moto_patches._answer_dynamodb_items_directly()
    assert getattr(DynamoHandler.serialized, "_docuflow", False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        _item_operations(client)
        # When an item with blobs, sets and nested maps is read back
        item = client.get_item(TableName="things", Key={"pk": {"S": "job"}, "sk": {"N": "1"}})
        page = client.query(
            TableName="things",
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "job"}},
            Limit=1,
        )
    # Then it is what was put, and a page's key to the next one is there
    assert item["Item"]["blob"] == {"B": b"\x00\xffPDF"}
    assert item["Item"]["blobs"] == {"BS": [b"\x01", b"\x02"]}
    assert item["Item"]["list"]["L"][2] == {"M": {"deep": {"B": b"\x03"}}}
    assert item["Item"]["nothing"] == {"NULL": True}
    assert page["Count"] == 1
    assert page["LastEvaluatedKey"] == {"pk": {"S": "job"}, "sk": {"N": "0"}}


_RETRYING_MACHINE = json.dumps(
    {
        "StartAt": "Double",
        "States": {
            "Double": {
                "Type": "Pass",
                "Parameters": {"n.$": "$.n", "twice.$": "States.MathAdd($.n, $.n)"},
                "Next": "Big?",
            },
            "Big?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.twice", "NumericGreaterThan": 10, "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "End": True},
            "Small": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "nowhere"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                "End": True,
            },
        },
    }
)


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The definitions moto's ASL parser is given from now on, with the patch's programs
    forgotten."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    monkeypatch.setattr(moto_patches, "_PROGRAMS", {})
    parse = AmazonStateLanguageParser.parse
    calls: list[str] = []

    def counted(definition: str) -> Any:
        calls.append(definition)
        return parse(definition)

    monkeypatch.setattr(AmazonStateLanguageParser, "parse", staticmethod(counted))
    return calls


def test_a_state_machine_is_parsed_once_with_its_environment_keys_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the patch, and moto's parser counting its calls
    from types import SimpleNamespace

    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    moto_patches._parse_state_machines_once()
    calls = _count_parses(monkeypatch)

    def worker(definition: str) -> Any:
        details = SimpleNamespace(state_machine_details=SimpleNamespace(definition=definition))
        return SimpleNamespace(_evaluation_details=details)

    # When three executions of one machine start, and one of another
    first = ExecutionWorker._get_evaluation_entrypoint(worker(_RETRYING_MACHINE))
    again = [ExecutionWorker._get_evaluation_entrypoint(worker(_RETRYING_MACHINE)) for _ in "ab"]
    other = ExecutionWorker._get_evaluation_entrypoint(
        worker(json.dumps({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}))
    )
    # Then each definition was parsed once, and its executions share the program
    assert len(calls) == 2
    assert all(program is first for program in again)
    assert other is not first
    # And every component's key into an execution's environment is already made, retriers'
    # attempt counters among them
    components = [c for c in moto_patches.components_of(first) if isinstance(c, EvalComponent)]
    names = {type(component).__name__ for component in components}
    assert {"MaxAttemptsDecl", "BackoffRateDecl", "StatePass", "StateChoice"} <= names
    assert all(component._EvalComponent__heap_key is not None for component in components)  # type: ignore[attr-defined]


def test_executions_of_one_parsed_machine_keep_their_own_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given moto running state machines with the patch
    import time

    import boto3
    from moto import mock_aws
    from moto.core.config import default_user_config

    monkeypatch.setitem(default_user_config, "stepfunctions", {"execute_state_machine": True})
    moto_patches._parse_state_machines_once()
    calls = _count_parses(monkeypatch)
    with mock_aws():
        client = boto3.client("stepfunctions", region_name="us-east-1")
        machine = client.create_state_machine(
            name="double",
            definition=_RETRYING_MACHINE,
            roleArn="arn:aws:iam::123456789012:role/states",
        )["stateMachineArn"]
        # When two executions run with different inputs
        arns = [
            client.start_execution(
                stateMachineArn=machine, name=f"n{n}", input=json.dumps({"n": n})
            )["executionArn"]
            for n in (6, 9)
        ]
        outputs = []
        for arn in arns:
            deadline = time.monotonic() + 30
            while (described := client.describe_execution(executionArn=arn))["status"] == "RUNNING":
                assert time.monotonic() < deadline, "the execution did not end"
                time.sleep(0.05)
            outputs.append((described["status"], json.loads(described.get("output", "null"))))
    # Then each has its own output, from the one program parsed once
    assert outputs == [
        ("SUCCEEDED", {"n": 6, "twice": 12, "size": "big"}),
        ("SUCCEEDED", {"n": 9, "twice": 18, "size": "big"}),
    ]
    # (CreateStateMachine parses it once more to check it; without the patch each execution
    # would add one)
    assert calls == [_RETRYING_MACHINE, _RETRYING_MACHINE]


def test_step_functions_states_share_one_client_per_region_and_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the patch, against a server on MOTO_PORT
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.asl.utils import boto_client

    monkeypatch.setenv("MOTO_PORT", "4599")
    moto_patches._reuse_step_functions_clients()
    # When states ask for clients
    first = lambda_eval_utils.boto_client_for("us-east-1", "lambda")
    second = lambda_eval_utils.boto_client_for("us-east-1", "lambda", object())
    other = boto_client.boto_client_for("eu-west-1", "lambda")
    # Then a Lambda Invoke state and the module moto's other states import share the client
    # for the same region and service, and it goes where moto's own would, as moto sets it up
    assert getattr(lambda_eval_utils.boto_client_for, "_docuflow", False)
    assert first is second
    assert other is not first
    assert first.meta.endpoint_url == "http://localhost:4599"
    assert first.meta.region_name == "us-east-1"
    config = first.meta.config
    assert config.retries["total_max_attempts"] == 1
    # (botocore keeps parameter_validation=False out of meta.config: no validating serializer)
    assert type(first._serializer).__name__ != "ParamValidationDecorator"
    assert config.max_pool_connections == moto_patches.STEP_FUNCTIONS_CLIENT_CONNECTIONS
