"""Where moto falls short of what the project relies on, and what the emulator does about it.

Written for one moto version, `MOTO_VERSION`, the pin in tools/pyproject.toml. The patches
reach into moto's internals, and the answers below fill gaps a later moto may fill itself,
so `configure_moto` refuses any other version: bump the pin, check each item below against
the new moto (drop what it now does right), then bump `MOTO_VERSION`.

What moto 5.2.5 lacks or gets wrong, and why each workaround exists:

- Step Functions does not run state machines unless its config says so: set here
  (`execute_state_machine`), and `MOTO_PORT` tells its engine where Lambda Invoke is.
- S3 keeps each object's body in memory up to 5 MB (a `SpooledTemporaryFile` of
  `MOTO_S3_DEFAULT_KEY_BUFFER_SIZE`), so every document uploaded stays in the server's
  memory: 0.19 MB an invoice, 190 MB for a 1,000-upload burst. Bodies over
  `S3_BODY_IN_MEMORY_BYTES` go to a temporary file instead, one open file each, so the
  process's limit of open files is raised to its hard limit.
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
- DynamoDB is not safe under concurrency, and the server is threaded: TransactWriteItems
  deep-copies every table it names and, when the transaction is cancelled, puts the copies
  back, wiping whatever other requests wrote meanwhile (and a table of thousands of items
  copied by each of 20 parallel decisions costs gigabytes); queries and scans iterate
  the tables' dicts while other requests add to them ("dictionary changed size during
  iteration"). `_isolate_dynamodb` runs every DynamoDB request under one lock, so each is
  applied whole before the next one starts (DynamoDB's own guarantee for single items and
  transactions), and replaces TransactWriteItems with one that checks every condition
  first and writes only when all pass, undoing (item by item) only what a failed write
  had applied, never copying a table.
- DynamoDB's answers are written by moto's generic serializer, which walks the
  operation's output shape and, for each member of each attribute of each item, asks a
  value picker for it under several spellings: about 40% of the server's CPU in a burst
  (a profile of the GIL's holder, py-spy `--gil`, 30 November). The item operations'
  answers are plain JSON already (the attribute maps moto builds, counts, keys and
  capacities), so `_answer_dynamodb_items_directly` writes those with `json.dumps`, as the
  serializer would (members of the output shape only, no None, blobs in base64); every
  other answer, and every error, still goes through moto's serializer.
- Step Functions parses a state machine's definition again (ANTLR, pure Python) for
  every execution it starts: about 11% of the server's CPU in a burst (the same profile).
  The parsed program holds no state of an execution (the execution's state is in its
  environment), so `_parse_state_machines_once` keeps the program parsed per definition.
  Only the retriers' keys into that environment are made lazily, on first use; they are
  made when the program is parsed, so two executions starting at once cannot make two.
- Step Functions makes a new boto3 client for every Lambda Invoke (and every other service
  call) a state makes: 5% of the server's CPU in a burst. `_reuse_step_functions_clients`
  keeps one client per region and service, made with moto's settings for them (botocore's
  clients are safe to share between threads), with a connection pool as large as the
  number of states the server runs at once.
- Every request looks its service up among moto's modules by listing moto's package folder
  on disk (`backends.list_of_moto_modules`: a listdir and an isdir per module, under the
  dispatcher's one lock), 3% of the server's time in a burst: `_list_moto_modules_once`
  lists it once (the installed package does not change while it runs).
- Every model object moto makes (each DynamoDB item, and each copy of one it makes to
  answer an UpdateItem or a Query; each S3 object, overwritten or deleted; each SQS
  message; each execution) is appended to its class's `instances_tracked` list, for
  moto's dashboard (`/moto-api/data.json`, which the project does not use), and never
  leaves it: a server that runs for hours keeps every object it ever made. After 200
  uploads the server held 11,974 DynamoDB item objects for 2,204 items in its tables, and
  26 of 30 item objects sampled in a burst were held by that list alone (30 November).
  `_keep_no_model_history` stops the tracking; the dashboard then lists no objects.
- ValidateStateMachineDefinition, ListStateMachineVersions and ListStateMachineAliases do
  not exist, and the Terraform AWS provider calls them: `STEP_FUNCTIONS_GAPS` holds AWS's
  answers for a state machine never published as a version, which the dispatcher returns.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import importlib.metadata
import json
import os
import resource
import threading
from collections.abc import Callable, Iterator
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


# S3 bodies larger than this are kept in a temporary file rather than in the server's
# memory (the generated invoices are 30-200 KB, Textract's answers a few KB).
S3_BODY_IN_MEMORY_BYTES = 64 * 1024


def configure_moto(port: int, region: str) -> None:
    """Settings moto reads from the environment and its config, and the patches; called
    before moto's server app is created. Refuses a moto other than `MOTO_VERSION`."""
    check_moto_version()
    os.environ["MOTO_PORT"] = str(port)  # where its Step Functions engine calls Lambda
    os.environ.setdefault("MOTO_LAMBDA_STUB_ECR", "TRUE")  # image functions without a push
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    os.environ.setdefault("MOTO_S3_DEFAULT_KEY_BUFFER_SIZE", str(S3_BODY_IN_MEMORY_BYTES))
    _allow_every_open_file_the_system_allows()
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    _forget_queue_mappings()
    _ignore_tls_only_denials()
    _isolate_dynamodb()
    _answer_dynamodb_items_directly()
    _parse_state_machines_once()
    _reuse_step_functions_clients()
    _list_moto_modules_once()
    _keep_no_model_history()


def _allow_every_open_file_the_system_allows() -> None:
    """The soft limit of open files raised to the hard one: each S3 body over
    `S3_BODY_IN_MEMORY_BYTES` holds a temporary file open, beside the server's sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        # An unlimited hard limit (macOS) cannot be the soft one: the soft one stays.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _keep_no_model_history() -> None:
    """moto's model objects no longer appended to `instances_tracked`, and the lists made
    so far emptied: an object lives as long as moto's state refers to it."""
    from moto.core.common_models import BaseModel
    from moto.core.model_instances import reset_model_data

    if getattr(BaseModel.__new__, "_docuflow", False):
        return

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        return super(BaseModel, cls).__new__(cls)  # type: ignore[misc]

    new._docuflow = True  # type: ignore[attr-defined]
    BaseModel.__new__ = staticmethod(new)  # type: ignore[method-assign]
    reset_model_data()


def _list_moto_modules_once() -> None:
    from moto import backends

    if getattr(backends.list_of_moto_modules, "_docuflow", False):
        return
    modules = tuple(backends.list_of_moto_modules())

    def listed() -> tuple[str, ...]:
        return modules

    listed._docuflow = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = listed


def _parse_state_machines_once() -> None:
    """Each state machine definition parsed once, not once per execution."""
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    if getattr(ExecutionWorker._get_evaluation_entrypoint, "_docuflow", False):
        return

    def entrypoint(self: Any) -> Any:
        return parsed_program(self._evaluation_details.state_machine_details.definition)

    entrypoint._docuflow = True  # type: ignore[attr-defined]
    ExecutionWorker._get_evaluation_entrypoint = entrypoint  # type: ignore[method-assign]


# Each state machine definition's parsed program (a deployment has a handful).
_PROGRAMS: dict[str, Any] = {}
_PROGRAMS_LOCK = threading.Lock()


def parsed_program(definition: str) -> Any:
    """`definition` parsed, once: executions that start together wait for the one parse.
    The key of each component into an execution's environment is made now (moto makes it on
    first use, which two executions could race)."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    with _PROGRAMS_LOCK:
        program = _PROGRAMS.get(definition)
        if program is None:
            program = AmazonStateLanguageParser.parse(definition)[0]
            _make_heap_keys(program)
            _PROGRAMS[definition] = program
        return program


def _make_heap_keys(program: Any) -> None:
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent

    for component in components_of(program):
        if isinstance(component, EvalComponent):
            _ = component.heap_key


def components_of(program: Any) -> Iterator[Any]:
    """Every component of a parsed program (moto's ASL components), each once."""
    from moto.stepfunctions.parser.asl.component.component import Component

    seen: set[int] = set()
    todo = [program]
    while todo:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, list | tuple | set | frozenset):
            todo.extend(value)
        elif isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, Component):
            yield value
            todo.extend(vars(value).values())


# Connections each shared Step Functions client keeps open: as many as the states the server
# may run at once (its threads), not botocore's 10.
STEP_FUNCTIONS_CLIENT_CONNECTIONS = 64


def _reuse_step_functions_clients() -> None:
    """One boto3 client per region and service for the states of every execution, instead
    of one per call."""
    import importlib
    import sys

    import boto3
    from botocore.config import Config
    from moto.core.models import botocore_stubber
    from moto.settings import moto_server_port
    from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import TimeoutSeconds
    from moto.stepfunctions.parser.asl.utils import boto_client

    made_per_call = boto_client.boto_client_for
    if getattr(made_per_call, "_docuflow", False):
        return
    # the modules of every kind of state, which import `boto_client_for` by name
    importlib.import_module("moto.stepfunctions.parser.asl.parse.preprocessor")
    clients: dict[tuple[str, str, bool, str], Any] = {}
    lock = threading.Lock()

    def shared_client(region: str, service: str, state_credentials: Any = None) -> Any:
        key = (region, service, botocore_stubber.enabled, moto_server_port())
        with lock:
            client = clients.get(key)
            if client is None:
                # moto's `boto_client_for`, but for a bigger connection pool
                client = clients[key] = boto3.client(
                    service,  # type: ignore[call-overload]
                    endpoint_url=None if key[2] else f"http://localhost:{key[3]}",
                    aws_access_key_id="ak",
                    region_name=region,
                    aws_secret_access_key="sk",  # noqa: S106 - what moto uses, not a secret
                    config=Config(
                        parameter_validation=False,
                        retries={"max_attempts": 0, "total_max_attempts": 1},
                        connect_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
                        read_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
                        max_pool_connections=STEP_FUNCTIONS_CLIENT_CONNECTIONS,
                    ),
                )
        return client

    shared_client._docuflow = True  # type: ignore[attr-defined]
    for module in list(sys.modules.values()):
        if getattr(module, "boto_client_for", None) is made_per_call:
            setattr(module, "boto_client_for", shared_client)  # noqa: B010 - any such module


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


# Every DynamoDB request of the emulator runs under this lock (see `_isolate_dynamodb`).
DYNAMODB_LOCK = threading.RLock()


def _isolate_dynamodb() -> None:
    """Each DynamoDB request whole, one at a time, and transactions without table copies.

    One lock for all tables rather than one per table: a transaction spans tables (a job
    and its audit records), and moto's DynamoDB is pure Python under the GIL, so several
    requests at once would not run faster anyway. The lock is taken around the response
    handler's `call_action`, so reading the tables and writing the answer (which walks the
    items) are inside it too."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler.call_action, "_docuflow", False):
        return
    call_action = DynamoHandler.call_action

    @functools.wraps(call_action)
    def serialized(self: Any) -> Any:
        with DYNAMODB_LOCK:
            return call_action(self)

    serialized._docuflow = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = serialized  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]


# The DynamoDB operations whose answers `_direct_dynamodb_answer` writes itself: items,
# keys, counts and consumed capacity, nothing the JSON protocol writes differently.
DIRECT_DYNAMODB_ANSWERS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)


@functools.cache
def _dynamodb_output(action: str) -> tuple[frozenset[str], str]:
    """The members of `action`'s output shape, and the content type of DynamoDB's answers."""
    from moto.core.utils import get_service_model

    service = get_service_model("dynamodb")
    shape = service.operation_model(action).output_shape
    version = service.metadata.get("jsonVersion", "1.0")
    return frozenset(
        shape.members if shape is not None else ()
    ), f"application/x-amz-json-{version}"


def _plain_json(value: Any) -> Any:
    """`value` as the JSON protocol writes it: members that are None left out, blobs in
    base64. Anything else that is not plain JSON raises TypeError (moto's serializer then
    writes the answer)."""
    if isinstance(value, dict):
        return {key: _plain_json(member) for key, member in value.items() if member is not None}
    if isinstance(value, list):
        return [_plain_json(member) for member in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    raise TypeError(f"{type(value).__name__} is not plain JSON")


def _direct_dynamodb_answer(handler: Any, action_result: Any) -> Any:
    """The answer moto's serializer would write for an item operation's result, or None
    for anything else (other operations, errors, values that are not plain JSON)."""
    action = handler._get_action()
    result = action_result.result
    if action not in DIRECT_DYNAMODB_ANSWERS or not isinstance(result, dict):
        return None
    members, content_type = _dynamodb_output(action)
    try:
        body = json.dumps(
            {
                key: _plain_json(value)
                for key, value in result.items()
                if key in members and value is not None
            }
        )
    except TypeError:
        return None
    return 200, {"Content-Type": content_type, **handler.response_headers}, body


def _answer_dynamodb_items_directly() -> None:
    """DynamoDB's item operations answered by `_direct_dynamodb_answer`, every other
    answer by moto's serializer."""
    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler.serialized, "_docuflow", False):
        return
    serialized = DynamoHandler.serialized

    @functools.wraps(serialized)
    def answer(self: Any, action_result: Any) -> Any:
        direct = _direct_dynamodb_answer(self, action_result)
        return direct if direct is not None else serialized(self, action_result)

    answer._docuflow = True  # type: ignore[attr-defined]
    DynamoHandler.serialized = answer  # type: ignore[method-assign]


_Reason = tuple[str | None, str | None, dict[str, Any] | None]
_Write = tuple[str, dict[str, Any], str, dict[str, Any]]  # op type, op, table, key
_PASSED: _Reason = (None, None, None)


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """TransactWriteItems as DynamoDB does it: all conditions are checked before anything
    is written, and the writes are made only when every one holds.

    Called under DYNAMODB_LOCK, so nothing changes between the checks and the writes.
    moto's answers are kept: the same validation errors, and TransactionCanceledException
    with one reason per item (None for the items that passed). A write that fails while
    being applied (an update expression that does not fit the item, an item too large)
    undoes the writes before it, from copies of those items only, and cancels the whole."""
    from moto.dynamodb.exceptions import (
        MockValidationException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    if any(len(item) != 1 for item in transact_items):
        raise TransactWriteSingleOpException()
    planned: list[_Write] = []
    reasons: list[_Reason] = []
    targets: set[tuple[str, str]] = set()
    for item in transact_items:
        op_type, op = next(iter(item.items()))
        try:
            write, reason = _check_write(self, op_type, op, targets)
        except MockValidationException:
            raise  # the request itself is invalid: nothing was written
        except Exception as error:  # noqa: BLE001 - moto reports any other failure per item
            write, reason = None, (type(error).__name__, str(error), None)
        if write is not None:
            planned.append(write)
        reasons.append(reason)
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)
    _apply_transaction(self, planned)


def _check_write(
    backend: Any, op_type: str, op: dict[str, Any], targets: set[tuple[str, str]]
) -> tuple[_Write | None, _Reason]:
    """One item of a transaction checked against the table as it is: the write to make,
    or None and why not (ConditionalCheckFailed, with the old item if asked for)."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import ConditionalCheckFailed, MultipleTransactionsException

    if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
        raise ValueError("Unsupported transaction operation")
    table_name = op["TableName"]
    if op_type == "Put":
        table = backend.get_table(table_name)
        key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = op["Item"][table.range_key_attr]
    else:
        key = op["Key"]
    target = (str(table_name), str(dict(sorted(key.items()))))
    if target in targets:
        raise MultipleTransactionsException()
    targets.add(target)
    current = backend.get_item(table_name, key)
    condition = op.get("ConditionExpression")
    if condition is not None and not get_filter_expression(
        condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    ).expr(current):
        old = None
        if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
            old = current.to_json()["Attributes"]
        return None, ("ConditionalCheckFailed", ConditionalCheckFailed().message, old)
    return (op_type, op, table_name, key), _PASSED


def _apply_transaction(backend: Any, planned: list[_Write]) -> None:
    """The writes of a transaction whose conditions all hold; undone if one fails."""
    from moto.dynamodb.exceptions import MockValidationException, TransactionCanceledException

    undo: list[tuple[str, dict[str, Any], Any]] = []
    for index, (op_type, op, table_name, key) in enumerate(planned):
        if op_type == "ConditionCheck":
            continue
        undo.append((table_name, key, copy.deepcopy(backend.get_item(table_name, key))))
        write: Callable[[], Any]
        if op_type == "Put":
            write = functools.partial(backend.put_item, table_name, op["Item"])
        elif op_type == "Delete":
            write = functools.partial(backend.delete_item, table_name, key)
        else:
            write = functools.partial(
                backend.update_item,
                table_name,
                key,
                update_expression=op["UpdateExpression"],
                expression_attribute_names=op.get("ExpressionAttributeNames"),
                expression_attribute_values=op.get("ExpressionAttributeValues"),
            )
        try:
            write()
        except MockValidationException:
            _undo(backend, undo)
            raise
        except Exception as error:  # reported as the item's reason, as moto does
            _undo(backend, undo)
            reasons = [_PASSED] * len(planned)
            reasons[index] = (type(error).__name__, str(error), None)
            raise TransactionCanceledException(reasons) from error


def _undo(backend: Any, undo: list[tuple[str, dict[str, Any], Any]]) -> None:
    """Put back the items a cancelled transaction had written, newest first."""
    for table_name, key, before in reversed(undo):
        table = backend.get_table(table_name)
        hash_value, range_value = backend.get_keys_value(table, key)
        table.delete_item(hash_value, range_value)
        if before is not None:
            table.put_item(before.to_json()["Attributes"], overwrite=True)
