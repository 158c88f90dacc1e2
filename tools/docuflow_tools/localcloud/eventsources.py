"""SQS event source mappings, polled the way the Lambda service polls them.

For each enabled mapping Terraform created, poller threads receive batches from the queue,
invoke the function with an SQS event and delete what succeeded: everything after a clean
return, everything except `batchItemFailures` when the mapping reports batch item
failures, nothing after a function error. Failed messages reappear after the queue's
visibility timeout, and the queue's redrive policy moves them to the dead-letter queue.

Like Lambda's pollers, each one long-polls (WaitTimeSeconds 20): a receive returns as soon
as a message arrives, so an idle queue costs no latency and no busy loop. A mapping gets
as many pollers as its ScalingConfig.MaximumConcurrency allows (else as many as the
function may run at once here): that is how many batches of it run concurrently.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from docuflow_tools.localcloud.lambdas import Invocation

InvokeByName = Callable[[str, Any], Invocation]

REFRESH_SECONDS = 2.0
# Lambda's own pollers long-poll for 20 s, the SQS maximum.
LONG_POLL_SECONDS = 20


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    records = []
    for message in messages:
        attributes = dict(message.get("Attributes") or {})
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": attributes,
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value.get("DataType"),
                    }
                    for name, value in (message.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": message.get("MD5OfBody"),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return {"Records": records}


def messages_to_delete(
    messages: list[dict[str, Any]], outcome: Invocation, report_failures: bool
) -> list[dict[str, Any]]:
    """The messages a batch's outcome lets the poller delete."""
    if not outcome.ok:
        return []
    if not report_failures or not isinstance(outcome.result, dict):
        return messages
    failures = outcome.result.get("batchItemFailures") or []
    if not isinstance(failures, list):
        return []  # a malformed answer fails the whole batch, as Lambda does
    failed: set[str] = set()
    for item in failures:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not identifier:
            return []
        failed.add(str(identifier))
    return [m for m in messages if m["MessageId"] not in failed]


def pollers_for(mapping: dict[str, Any], default: int) -> int:
    """Concurrent batches of one mapping: its ScalingConfig.MaximumConcurrency, capped by
    what the local cloud runs of one function at once (`default`)."""
    maximum = (mapping.get("ScalingConfig") or {}).get("MaximumConcurrency")
    if isinstance(maximum, int) and maximum > 0:
        return min(maximum, default)
    return default


class SqsPoller:
    """Polls every enabled SQS event source mapping until stopped."""

    def __init__(
        self,
        *,
        lambda_client: Any,
        sqs_client: Any,
        invoke: InvokeByName,
        region: str,
        pollers_per_mapping: int = 3,
        log: Callable[[str], None] = print,
    ) -> None:
        self.lambda_client = lambda_client
        self.sqs_client = sqs_client
        self.invoke = invoke
        self.region = region
        self.pollers_per_mapping = pollers_per_mapping
        self.log = log
        self._stop = threading.Event()
        self._threads: dict[str, list[threading.Thread]] = {}
        self._mappings: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None

    def start(self) -> None:
        self._supervisor = threading.Thread(target=self._supervise, daemon=True, name="sqs-esm")
        self._supervisor.start()

    def stop(self) -> None:
        self._stop.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=5)

    def _list_mappings(self) -> list[dict[str, Any]]:
        mappings: list[dict[str, Any]] = []
        marker: str | None = None
        while True:
            kwargs = {"Marker": marker} if marker else {}
            page = self.lambda_client.list_event_source_mappings(**kwargs)
            mappings.extend(page.get("EventSourceMappings", []))
            marker = page.get("NextMarker")
            if not marker:
                return mappings

    def _supervise(self) -> None:
        while not self._stop.is_set():
            try:
                mappings = self._list_mappings()
            except Exception as exc:  # noqa: BLE001 - the emulator may still be starting
                self.log(f"[event-sources] cannot list mappings: {exc}")
                mappings = []
            for mapping in mappings:
                arn = str(mapping.get("EventSourceArn", ""))
                uuid = str(mapping["UUID"])
                if ":sqs:" not in arn:
                    continue
                with self._lock:
                    self._mappings[uuid] = mapping
                    if uuid not in self._threads:
                        threads = [
                            threading.Thread(
                                target=self._poll, args=(uuid,), daemon=True, name=f"sqs-{uuid[:8]}"
                            )
                            for _ in range(pollers_for(mapping, self.pollers_per_mapping))
                        ]
                        self._threads[uuid] = threads
                        for thread in threads:
                            thread.start()
            live = {str(m["UUID"]) for m in mappings}
            with self._lock:
                for uuid in list(self._mappings):
                    if uuid not in live:
                        self._mappings.pop(uuid)
                        self._threads.pop(uuid, None)
            self._stop.wait(REFRESH_SECONDS)

    def _poll(self, uuid: str) -> None:
        queue_url: str | None = None
        while not self._stop.is_set():
            with self._lock:
                mapping = self._mappings.get(uuid)
            if mapping is None:
                return  # the mapping was deleted
            if mapping.get("State") not in ("Enabled", "Enabling", "Creating", "Updating", None):
                self._stop.wait(REFRESH_SECONDS)
                continue
            arn = str(mapping["EventSourceArn"])
            try:
                if queue_url is None:
                    name, account = arn.split(":")[5], arn.split(":")[4]
                    queue_url = self.sqs_client.get_queue_url(
                        QueueName=name, QueueOwnerAWSAccountId=account
                    )["QueueUrl"]
                batch = max(1, min(int(mapping.get("BatchSize") or 10), 10))
                received = self.sqs_client.receive_message(
                    QueueUrl=queue_url,
                    MaxNumberOfMessages=batch,
                    WaitTimeSeconds=LONG_POLL_SECONDS,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                )
            except Exception as exc:  # noqa: BLE001 - a transient failure must not end the poller
                self.log(f"[event-sources] receive from {arn} failed: {exc}")
                queue_url = None
                self._stop.wait(1.0)
                continue
            messages = received.get("Messages") or []
            if not messages or self._stop.is_set():
                continue  # received while stopping: visible again after the timeout
            self._deliver(mapping, str(queue_url), messages)

    def _deliver(
        self, mapping: dict[str, Any], queue_url: str, messages: list[dict[str, Any]]
    ) -> None:
        arn = str(mapping["EventSourceArn"])
        function = str(mapping["FunctionArn"])
        report = "ReportBatchItemFailures" in (mapping.get("FunctionResponseTypes") or [])
        try:
            outcome = self.invoke(function, sqs_event(messages, arn, self.region))
        except Exception as exc:  # noqa: BLE001 - a failure to invoke leaves the messages for redelivery
            self.log(f"[event-sources] invoking {function} failed: {exc}")
            return
        done = messages_to_delete(messages, outcome, report)
        if not outcome.ok:
            self.log(
                f"[event-sources] {function.rsplit(':', 1)[-1]} failed on {len(messages)} "
                f"message(s) from {arn.rsplit(':', 1)[-1]}: {outcome.error_type}; they stay on "
                "the queue for redelivery"
            )
        if done:
            entries = [
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
            ]
            try:
                self.sqs_client.delete_message_batch(QueueUrl=queue_url, Entries=entries)
            except Exception as exc:  # noqa: BLE001 - undeleted messages are redelivered, never lost
                self.log(f"[event-sources] deleting messages of {arn} failed: {exc}")
