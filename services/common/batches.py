"""SQS batches that end before the function's timeout does.

A batch handler killed by its timeout answers nothing: every message of the batch comes
back after the visibility timeout, the ones it had finished included, and their work is
done again. Records are taken one at a time, so the handler stops taking them while there
is still time to answer: those it did not take are reported as batch item failures (SQS
delivers them again; nothing of them was done) and those it finished are deleted.
"""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

# Time a record may need at most, and then some: a record is not started with less left.
RECORD_TIME_MS = 10_000


class NoTimeLeft(Exception):
    """Too little of the invocation's time is left to take this record; it is left to SQS."""


def in_time(
    handle: Callable[[SQSRecord], None], record_time_ms: int = RECORD_TIME_MS
) -> Callable[[SQSRecord, LambdaContext], None]:
    """`handle` as a Powertools record handler that takes no record with less than
    `record_time_ms` of the invocation left (Powertools passes `lambda_context` to a
    record handler that names it, so no functools.wraps: its signature would be `handle`'s)."""

    def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
        left = lambda_context.get_remaining_time_in_millis()
        if left < record_time_ms:
            raise NoTimeLeft(f"{left} ms left of the invocation; SQS delivers it again")
        handle(record)

    return record_handler
