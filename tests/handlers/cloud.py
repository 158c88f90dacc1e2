"""Test helpers: AWS resources in moto, API Gateway v2 events, a Lambda context and a fake
Textract (the workflow's own port: moto's Textract mock cannot paginate or fail jobs)."""

from __future__ import annotations

import base64
import copy
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from docuflow.dal.models import JobItem
from docuflow_tools.paths import REPO_ROOT

FUNCTIONS_JSON = REPO_ROOT / "services" / "functions.json"
TABLES_JSON = REPO_ROOT / "infra" / "tables.json"
ASL_TEMPLATE = REPO_ROOT / "services" / "workflow" / "statemachine" / "invoice_pipeline.asl.json"
OPENAPI = REPO_ROOT / "services" / "api" / "openapi.json"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def functions() -> dict[str, Any]:
    return json.loads(FUNCTIONS_JSON.read_text())["functions"]


def template_values() -> dict[str, str]:
    """Sample values for every placeholder of the ASL template (ARNs as Terraform makes them)."""
    values = {
        f"{name.replace('-', '_')}_arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:test-{name}"
        for name, spec in functions().items()
        if spec["trigger"] == "states"
    }
    values.update(
        ocr_start_queue_url=f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/test-ocr-start",
        ocr_start_timeout_seconds="3600",
        ocr_wait_timeout_seconds="900",
        poll_interval_seconds="30",
        max_polls="20",
        textract_retry_interval_seconds="5",
        textract_retry_max_delay_seconds="300",
        textract_retry_max_attempts="20",
    )
    return values


def render_asl(values: dict[str, str] | None = None) -> str:
    """What Terraform's templatefile() makes of the ASL file: plain ${name} substitution."""
    values = values or template_values()
    text = ASL_TEMPLATE.read_text()
    missing = set(re.findall(r"\$\{(\w+)\}", text)) - values.keys()
    if missing:
        raise KeyError(f"no value for placeholders {sorted(missing)}")
    return re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], text)


def _key_schema(spec: dict[str, Any]) -> list[dict[str, str]]:
    schema = [{"AttributeName": spec["hash_key"], "KeyType": "HASH"}]
    if "range_key" in spec:
        schema.append({"AttributeName": spec["range_key"], "KeyType": "RANGE"})
    return schema


def table_definition(name: str) -> dict[str, Any]:
    """CreateTable arguments (all but TableName) for the table `name` of infra/tables.json,
    the definition Terraform creates the real tables from."""
    spec = json.loads(TABLES_JSON.read_text())["tables"][name]
    definition: dict[str, Any] = {
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": _key_schema(spec),
        "AttributeDefinitions": [
            {"AttributeName": attribute, "AttributeType": kind}
            for attribute, kind in spec["attributes"].items()
        ],
    }
    if spec["global_secondary_indexes"]:
        definition["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index,
                "KeySchema": _key_schema(gsi),
                "Projection": {"ProjectionType": gsi["projection_type"]},
            }
            for index, gsi in spec["global_secondary_indexes"].items()
        ]
    return definition


@dataclass
class Cloud:
    """Names of the resources one test runs against (unique per test: xdist-safe)."""

    jobs_table: str
    audit_table: str
    vendors_table: str
    stats_table: str
    bucket: str
    dlq_url: str
    state_machine_arn: str
    session: Any
    bus_name: str
    # Every event put on the bus, through a rule like the webhook queue's.
    events_queue_url: str
    webhooks_table: str
    deliveries_table: str
    webhook_queue_url: str
    webhook_dlq_url: str
    settings_table: str
    user_pool_id: str
    pacing_table: str
    _clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, region_name=REGION)
        return self._clients[service]

    def table(self, name: str) -> Any:
        key = f"table:{name}"
        if key not in self._clients:
            resource = self.session.resource("dynamodb", region_name=REGION)
            self._clients[key] = resource.Table(name)
        return self._clients[key]

    def put_job(self, job: JobItem) -> None:
        """Store a job as the application writes a new one (with its index keys)."""
        from docuflow.dal.jobs import JobRepository

        JobRepository(self.table(self.jobs_table)).create(job)

    def job(self, job_id: str) -> dict[str, Any]:
        return self.table(self.jobs_table).get_item(Key={"job_id": job_id}, ConsistentRead=True)[
            "Item"
        ]

    def audit(self, job_id: str) -> list[dict[str, Any]]:
        from boto3.dynamodb.conditions import Key

        table = self.table(self.audit_table)
        return table.query(KeyConditionExpression=Key("job_id").eq(job_id))["Items"]

    def put_object(self, key: str, body: bytes, content_type: str = "application/pdf") -> None:
        self.client("s3").put_object(
            Bucket=self.bucket, Key=key, Body=body, ContentType=content_type
        )

    def get_json(self, key: str) -> Any:
        return json.loads(self.client("s3").get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def dlq_messages(self) -> list[dict[str, Any]]:
        response = self.client("sqs").receive_message(
            QueueUrl=self.dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        )
        return [json.loads(m["Body"]) for m in response.get("Messages", [])]

    def bus_events(self) -> list[dict[str, Any]]:
        """The events put on the bus since the last call (EventBridge envelopes)."""
        sqs = self.client("sqs")
        events: list[dict[str, Any]] = []
        while True:
            response = sqs.receive_message(
                QueueUrl=self.events_queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            )
            messages = response.get("Messages", [])
            if not messages:
                return events
            for message in messages:
                events.append(json.loads(message["Body"]))
                sqs.delete_message(
                    QueueUrl=self.events_queue_url, ReceiptHandle=message["ReceiptHandle"]
                )

    def executions(self) -> list[dict[str, Any]]:
        return self.client("stepfunctions").list_executions(stateMachineArn=self.state_machine_arn)[
            "executions"
        ]


def create_cloud(session: Any) -> Cloud:
    """Tables, bucket, dead-letter queue and state machine with unique names."""
    suffix = uuid.uuid4().hex[:10]
    dynamodb = session.client("dynamodb", region_name=REGION)
    jobs_table, audit_table = f"jobs-{suffix}", f"audit-{suffix}"
    dynamodb.create_table(TableName=jobs_table, **table_definition("jobs"))
    dynamodb.create_table(TableName=audit_table, **table_definition("audit"))
    vendors_table = f"vendors-{suffix}"
    dynamodb.create_table(TableName=vendors_table, **table_definition("vendors"))
    stats_table = f"stats-{suffix}"
    dynamodb.create_table(TableName=stats_table, **table_definition("stats"))
    webhooks_table, deliveries_table = f"webhooks-{suffix}", f"deliveries-{suffix}"
    dynamodb.create_table(TableName=webhooks_table, **table_definition("webhooks"))
    dynamodb.create_table(TableName=deliveries_table, **table_definition("deliveries"))
    settings_table = f"settings-{suffix}"
    dynamodb.create_table(TableName=settings_table, **table_definition("settings"))
    pacing_table = f"pacing-{suffix}"
    dynamodb.create_table(TableName=pacing_table, **table_definition("pacing"))
    bucket = f"raw-{suffix}"
    session.client("s3", region_name=REGION).create_bucket(Bucket=bucket)
    dlq_url = session.client("sqs", region_name=REGION).create_queue(QueueName=f"dlq-{suffix}")[
        "QueueUrl"
    ]
    bus_name, events_queue_url = _bus_with_queue(session, suffix)
    sqs = session.client("sqs", region_name=REGION)
    webhook_queue_url = sqs.create_queue(QueueName=f"webhooks-{suffix}")["QueueUrl"]
    webhook_dlq_url = sqs.create_queue(QueueName=f"webhooks-dlq-{suffix}")["QueueUrl"]
    machine = session.client("stepfunctions", region_name=REGION).create_state_machine(
        name=f"pipeline-{suffix}",
        definition=render_asl(),
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/pipeline-{suffix}",
    )
    return Cloud(
        jobs_table=jobs_table,
        audit_table=audit_table,
        vendors_table=vendors_table,
        stats_table=stats_table,
        bucket=bucket,
        dlq_url=dlq_url,
        state_machine_arn=machine["stateMachineArn"],
        session=session,
        bus_name=bus_name,
        events_queue_url=events_queue_url,
        webhooks_table=webhooks_table,
        deliveries_table=deliveries_table,
        webhook_queue_url=webhook_queue_url,
        webhook_dlq_url=webhook_dlq_url,
        settings_table=settings_table,
        pacing_table=pacing_table,
        user_pool_id=_user_pool(session, suffix),
    )


def _user_pool(session: Any, suffix: str) -> str:
    """A user pool as infra/identity.tf makes it: sign-in by e-mail, the tenant attribute
    and the three role groups."""
    cognito = session.client("cognito-idp", region_name=REGION)
    pool_id: str = cognito.create_user_pool(
        PoolName=f"users-{suffix}",
        UsernameAttributes=["email"],
        Schema=[
            {"Name": "tenant", "AttributeDataType": "String", "Mutable": False},
        ],
    )["UserPool"]["Id"]
    for group in ("clerks", "reviewers", "admins"):
        cognito.create_group(UserPoolId=pool_id, GroupName=group)
    return pool_id


def _bus_with_queue(session: Any, suffix: str) -> tuple[str, str]:
    """The project's bus and a queue that gets every docuflow event on it (as infra/
    events.tf's webhook rule does)."""
    events = session.client("events", region_name=REGION)
    sqs = session.client("sqs", region_name=REGION)
    bus_name = f"events-{suffix}"
    events.create_event_bus(Name=bus_name)
    queue_url = sqs.create_queue(QueueName=f"events-{suffix}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    events.put_rule(
        Name=f"all-{suffix}",
        EventBusName=bus_name,
        EventPattern=json.dumps({"source": ["docuflow"]}),
    )
    events.put_targets(
        Rule=f"all-{suffix}", EventBusName=bus_name, Targets=[{"Id": "q", "Arn": queue_arn}]
    )
    return bus_name, queue_url


@dataclass(frozen=True)
class Caller:
    """A signed-in user as the JWT authorizer passes them to the function."""

    sub: str
    email: str
    tenant: str
    groups: tuple[str, ...]
    token_use: str = "id"

    def claims(self) -> dict[str, str]:
        """The ID token's claims as API Gateway puts them in the request context:
        every value a string, a list as `[a b]`."""
        return {
            "sub": self.sub,
            "email": self.email,
            "custom:tenant": self.tenant,
            "cognito:groups": "[" + " ".join(self.groups) + "]",
            "token_use": self.token_use,
            "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test",
            "aud": "testclient",
            "exp": "1795870800",
        }


TENANT = "acme"
UPLOADER = "user-clerk-acme"  # make_job's default uploader
CLERK = Caller("user-clerk-acme", "clerk@acme.test", TENANT, ("clerks",))
REVIEWER = Caller("user-reviewer-acme", "reviewer@acme.test", TENANT, ("reviewers",))
ADMIN = Caller("user-admin-acme", "admin@acme.test", TENANT, ("admins",))
OTHER_TENANT = Caller("user-reviewer-globex", "reviewer@globex.test", "globex", ("admins",))


def http_event(
    method: str,
    route: str,
    *,
    path_params: dict[str, str] | None = None,
    body: Any = None,
    raw_body: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    base64_body: bool = False,
    caller: Caller | None = ADMIN,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload format 2.0) event for `method route`, from
    `caller` (by default an admin of acme, whose role allows every route; None: an event
    without authorizer context)."""
    path = route
    for name, value in (path_params or {}).items():
        path = path.replace("{" + name + "}", value)
    text = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    if text is not None and base64_body:
        text = base64.b64encode(text.encode()).decode()
    all_headers = {"content-type": "application/json", "origin": "http://localhost:5173"}
    all_headers.update(headers or {})
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": all_headers,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "testapi",
            "domainName": "testapi.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "testapi",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "pytest",
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": "28/Nov/2026:12:00:00 +0000",
            "timeEpoch": 1795867200000,
        },
        "isBase64Encoded": base64_body,
    }
    if caller is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": caller.claims(), "scopes": None}}
    if query:
        event["queryStringParameters"] = query
    if path_params:
        event["pathParameters"] = path_params
    if text is not None:
        event["body"] = text
    return event


@dataclass
class LambdaContext:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:test-function"
    aws_request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class EndingContext(LambdaContext):
    """An invocation running out of time: each look at the time left gets the next of
    `remaining` (milliseconds), the last one for good."""

    remaining: list[int] = field(default_factory=lambda: [30_000])

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining.pop(0) if len(self.remaining) > 1 else self.remaining[0]


def call(handler: Any, event: dict[str, Any]) -> dict[str, Any]:
    """Invoke a handler in-process; for HTTP responses, decode the JSON body."""
    response = handler(event, LambdaContext())
    if isinstance(response, dict) and "statusCode" in response:
        body = response.get("body")
        response["json"] = json.loads(body) if body else None
    return response


def sqs_event(bodies: Iterable[str], queue: str = "intake") -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"msg-{index}-{uuid.uuid4().hex[:6]}",
                "receiptHandle": "handle",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}",
                "awsRegion": REGION,
            }
            for index, body in enumerate(bodies)
        ]
    }


def s3_notification(bucket: str, key: str, size: int = 1) -> str:
    """The body S3 puts on the intake queue for one ObjectCreated:Put (key URL-encoded)."""
    from urllib.parse import quote_plus

    return json.dumps(
        {
            "Records": [
                {
                    "eventVersion": "2.1",
                    "eventSource": "aws:s3",
                    "awsRegion": REGION,
                    "eventTime": "2026-11-28T12:00:00.000Z",
                    "eventName": "ObjectCreated:Put",
                    "s3": {
                        "s3SchemaVersion": "1.0",
                        "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                        "object": {"key": quote_plus(key, safe="/"), "size": size},
                    },
                }
            ]
        }
    )


def _client_error(code: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"fake {code}"}}, operation)


@contextmanager
def audit_writes_throttled(
    monkeypatch: pytest.MonkeyPatch, audit: Any, event: str
) -> Iterator[None]:
    """While inside, the audit table throttles every PutItem of `event` (as DynamoDB
    does under load), so a step fails after the status write it was auditing."""
    table = audit._table
    real_put_item = table.put_item

    def put_item(**kwargs: Any) -> Any:
        if kwargs["Item"]["event"] == event:
            raise _client_error("ThrottlingException", "PutItem")
        return real_put_item(**kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(table, "put_item", put_item)
        yield


class FakeTextract:
    """The four Textract calls the workflow makes, with recorded responses as results.

    `results[api]` is the list of Get* pages an analysis returns (NextToken is set
    between them); `fail` makes a job FAILED; `throttle` raises the given error code
    on the next N start calls.
    """

    def __init__(self, results: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.results = results or {}
        self.status: dict[str, str] = {}
        self.jobs: dict[str, tuple[str, str]] = {}  # JobId -> (api, client token)
        self.tokens: dict[str, str] = {}
        self.start_calls: list[dict[str, Any]] = []
        self.throttle: list[str] = []
        self.fail_apis: set[str] = set()
        self.in_progress_apis: set[str] = set()

    def _start(self, api: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        self.start_calls.append({"api": api, **kwargs})
        if self.throttle:
            raise _client_error(self.throttle.pop(0), f"Start{api.title()}Analysis")
        token = kwargs["ClientRequestToken"]
        if token in self.tokens:
            return {"JobId": self.tokens[token]}
        job_id = uuid.uuid4().hex
        self.tokens[token] = job_id
        self.jobs[job_id] = (api, token)
        return {"JobId": job_id}

    def start_expense_analysis(self, **kwargs: Any) -> dict[str, Any]:
        return self._start("expense", kwargs)

    def start_document_analysis(self, **kwargs: Any) -> dict[str, Any]:
        return self._start("document", kwargs)

    def _get(self, expected_api: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        job_id = kwargs["JobId"]
        if job_id not in self.jobs or self.jobs[job_id][0] != expected_api:
            raise _client_error("InvalidJobIdException", "Get")
        if expected_api in self.fail_apis:
            return {"JobStatus": "FAILED", "StatusMessage": "Unable to process the document."}
        if expected_api in self.in_progress_apis:
            return {"JobStatus": "IN_PROGRESS"}
        pages = self.results[expected_api]
        index = int(kwargs.get("NextToken") or 0)
        page = copy.deepcopy(pages[index])
        page.pop("NextToken", None)
        page["JobStatus"] = "SUCCEEDED"
        if index + 1 < len(pages):
            page["NextToken"] = str(index + 1)
        return page

    def get_expense_analysis(self, **kwargs: Any) -> dict[str, Any]:
        return self._get("expense", kwargs)

    def get_document_analysis(self, **kwargs: Any) -> dict[str, Any]:
        return self._get("document", kwargs)


def load_fixture(relative: str) -> dict[str, Any]:
    from docuflow_tools.paths import textract_fixtures_dir

    path: Path = textract_fixtures_dir() / relative
    return json.loads(path.read_text())


def make_job(
    cloud: Cloud,
    *,
    status: str = "NEEDS_REVIEW",
    tenant_id: str = TENANT,
    uploaded_by: str = UPLOADER,
    created_at: str | None = None,
    fixture: str | None = "analyze_document/sample-invoice.json",
    version: int = 5,
    attempt: int = 1,
    **extra: Any,
) -> JobItem:
    """A job stored directly in `status`; with a fixture, its result is what the parser
    makes of that recorded Textract response."""
    from docuflow.dal.models import utc_now
    from docuflow.extraction import analyze
    from services.common.scoring import summary_of

    job_id = str(uuid.uuid4())
    key = f"raw/{tenant_id}/{job_id}/invoice.pdf"
    fields: dict[str, Any] = {}
    if fixture is not None:
        result = analyze([load_fixture(fixture)])
        result_key = f"results/{job_id}.json"
        cloud.client("s3").put_object(
            Bucket=cloud.bucket,
            Key=result_key,
            Body=result.model_dump_json(exclude_none=True).encode(),
        )
        fields = {
            "result_key": result_key,
            "summary": summary_of(result),
            "routing_reasons": [
                r.model_dump(mode="json", exclude_none=True) for r in result.routing.reasons
            ],
        }
    now = created_at or utc_now()
    job = JobItem(
        job_id=job_id,
        status=status,  # type: ignore[arg-type]
        tenant_id=tenant_id,
        uploaded_by=uploaded_by,
        created_at=now,
        updated_at=now,
        version=version,
        filename="invoice.pdf",
        content_type="application/pdf",
        size_bytes=100,
        s3_key=key,
        attempt=attempt,
        **fields,
        **extra,
    )
    cloud.put_job(job)
    return job
