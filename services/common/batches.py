"""SQS batches that end before the function's timeout does.

A batch handler killed by its timeout answers nothing: every message of the batch comes
back after the visibility timeout, the ones it had finished included, and their work is
done again. Records are taken one at a time, so the handler stops taking them while there
is still time to answer: those it did not take are reported as batch item failures (SQS
delivers them again; nothing of them was done) and those it finished are deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

# The least time a record is started with; more when a record of this batch took longer.
RECORD_TIME_MS = 10_000


class NoTimeLeft(Exception):
    """Too little of the invocation's time is left to take this record; it is left to SQS."""


def in_time(
    handle: Callable[[SQSRecord], None],
    record_time_ms: int = RECORD_TIME_MS,
    clock: Callable[[], float] = time.monotonic,
) -> Callable[[SQSRecord, LambdaContext], None]:
    """`handle` as a Powertools record handler for one batch: it takes no record with less
    of the invocation left than `record_time_ms`, or than twice the longest record of the
    batch so far (a busy moment makes every record slower). Powertools passes
    `lambda_context` to a record handler that names it, so no functools.wraps: its
    signature would be `handle`'s."""
    longest_ms = 0.0

    def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
        nonlocal longest_ms
        left = lambda_context.get_remaining_time_in_millis()
        if left < max(record_time_ms, 2 * longest_ms):
            raise NoTimeLeft(f"{left} ms left of the invocation; SQS delivers it again")
        started = clock()
        try:
            handle(record)
        finally:
            longest_ms = max(longest_ms, (clock() - started) * 1000)

    return record_handler


@cache
def _processor() -> BatchProcessor:
    # A batch that failed entirely still answers with batchItemFailures, like any other.
    return BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def process_batch(
    event: dict[str, Any],
    context: LambdaContext,
    record_handler: Callable[..., None],
) -> PartialItemFailureResponse:
    """One SQS batch through Powertools' batch processor: the records `record_handler`
    raised on are reported as batch item failures (SQS delivers them again), the others
    are deleted. Every SQS consumer's handler is this, with its own record handler."""
    return process_partial_response(
        event=event, record_handler=record_handler, processor=_processor(), context=context
    )
