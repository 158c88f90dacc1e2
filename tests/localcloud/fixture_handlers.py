"""Throwaway Lambda handlers the emulator's fast tests run (not project functions)."""

from __future__ import annotations

import json
import os
import time
from typing import Any


class OcrFailed(Exception):
    """Raised on purpose so Retry/Catch can match the class name."""


def echo(event: Any, context: Any) -> dict[str, Any]:
    print(f"echo got {json.dumps(event)[:80]}")
    return {
        "event": event,
        "function_name": context.function_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "greeting": os.environ.get("GREETING"),
        "endpoint": os.environ.get("AWS_ENDPOINT_URL"),
    }


def environment(event: Any, context: Any) -> dict[str, str]:
    return dict(os.environ)


def fail(event: Any, context: Any) -> None:
    raise OcrFailed(f"cannot read {event.get('key', 'the document')}")


def slow(event: Any, context: Any) -> str:
    time.sleep(float(event.get("seconds", 10)))
    return "done"


def http(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json", "x-route": event["routeKey"]},
        "body": json.dumps(event),
    }


def sqs_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Fails every record whose body contains "bad"; records what it saw in S3."""
    import boto3

    failures = []
    s3 = boto3.client("s3")
    for record in event["Records"]:
        if "bad" in record["body"]:
            failures.append({"itemIdentifier": record["messageId"]})
        else:
            s3.put_object(
                Bucket=os.environ["SEEN_BUCKET"], Key=record["messageId"], Body=record["body"]
            )
    return {"batchItemFailures": failures}


def presign_put(event: dict[str, Any], context: Any) -> str:
    """An upload link made as api-uploads makes one: with the function's credentials."""
    from docuflow.dal import clients
    from docuflow.dal.documents import DocumentStore

    store = DocumentStore(clients.s3(), event["bucket"])
    return store.presign_put(event["key"], "application/pdf", 300)
