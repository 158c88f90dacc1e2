"""Logger, Metrics and Tracer shared by every function: one neutral module, so `logic`
never imports from `handlers`.

Powertools reads POWERTOOLS_SERVICE_NAME, LOG_LEVEL and POWERTOOLS_TRACE_DISABLED itself.
The correlation id of every log line is the job id (`set_job_id`).
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
# Powertools refuses to flush metrics without a namespace; a deployed function always
# has POWERTOOLS_METRICS_NAMESPACE, a developer's shell often does not.
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "DocuFlow"))


def set_job_id(job_id: str) -> None:
    """Make `job_id` the correlation id of the log lines that follow."""
    logger.set_correlation_id(job_id)
    logger.append_keys(job_id=job_id)


__all__ = ["logger", "metrics", "set_job_id", "tracer"]
