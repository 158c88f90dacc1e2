"""The operations that take a job's id, by operationId: the OpenAPI links of every answer
that carries one (a new upload, a job), so clients and the fuzzer can go from one to the
next. Written once here; errors.responses() puts them in the document."""

from __future__ import annotations

JOB_LINKS: dict[str, str] = {
    "GetJob": "getJob",
    "GetJobResult": "getJobResult",
    "GetJobAudit": "getJobAudit",
    "StartJob": "startJob",
    "GetReviewJob": "getReviewJob",
    "DecideReviewJob": "decideReviewJob",
}
