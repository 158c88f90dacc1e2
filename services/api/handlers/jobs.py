"""Job queries: lists, one job, its normalized result and its audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic.json_schema import SkipJsonSchema

from docuflow.domain.errors import JobNotFound, ResultNotReady, ValidationFailed
from docuflow.domain.status import JobStatus
from docuflow.extraction.result import ExtractionResult
from docuflow.observability import logger, metrics, tracer
from services.api.dependencies import storage
from services.api.errors import AUTH_ERRORS, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.links import JOB_LINKS
from services.api.logic import jobs
from services.api.models import (
    AuditEvent,
    AuditTrail,
    Cursor,
    Job,
    JobId,
    JobPage,
    PageLimit,
)
from services.api.pagination import decode_cursor, encode_cursor
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.get(
    "/jobs",
    operation_id="listJobs",
    summary="The caller's tenant's jobs, optionally in one status, newest first",
    responses=responses((200, "One page of jobs."), ValidationFailed, *AUTH_ERRORS),
)
def list_jobs(
    status: Annotated[JobStatus | SkipJsonSchema[None], Query()] = None,
    limit: Annotated[PageLimit, Query()] = 20,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> JobPage:
    caller = require(router.current_event, Role.CLERK)
    page = jobs.list_jobs(
        storage(),
        tenant=caller.tenant,
        status=status,
        limit=limit,
        start_key=decode_cursor(cursor),
    )
    return JobPage(
        items=[Job.of(job) for job in page.items], next_cursor=encode_cursor(page.last_key)
    )


@router.get(
    "/jobs/<job_id>",
    operation_id="getJob",
    summary="Job status and metadata",
    responses=responses((200, "The job."), JobNotFound, *AUTH_ERRORS, links=JOB_LINKS),
)
def get_job(job_id: Annotated[JobId, Path()]) -> Job:
    caller = require(router.current_event, Role.CLERK)
    return Job.of(jobs.tenant_job(storage(), caller.tenant, job_id))


@router.get(
    "/jobs/<job_id>/result",
    operation_id="getJobResult",
    summary="The normalized result (the same JSON `docuflow parse` prints)",
    responses=responses(
        (200, "Normalized fields, confidence, checks and review reasons."),
        JobNotFound,
        ResultNotReady,
        *AUTH_ERRORS,
        body=ExtractionResult,
    ),
)
def get_job_result(job_id: Annotated[JobId, Path()]) -> Response[str]:
    caller = require(router.current_event, Role.CLERK)
    result = jobs.get_result(storage(), caller.tenant, job_id)
    # The stored result exactly as `docuflow parse` prints it: absent values are left out.
    body = result.model_dump_json(exclude_none=True)
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=body)


@router.get(
    "/jobs/<job_id>/audit",
    operation_id="getJobAudit",
    summary="The job's audit trail, oldest first",
    responses=responses((200, "Every event of the job."), JobNotFound, *AUTH_ERRORS),
)
def get_job_audit(job_id: Annotated[JobId, Path()]) -> AuditTrail:
    caller = require(router.current_event, Role.CLERK)
    records = jobs.audit_trail(storage(), caller.tenant, job_id)
    return AuditTrail(job_id=job_id, items=[AuditEvent.of(r) for r in records])


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context(correlation_id_path="pathParameters.job_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
