"""GET /jobs, GET /jobs/{job_id}, GET /jobs/{job_id}/result, GET /jobs/{job_id}/audit."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.api.dependencies import storage
from services.api.http import build_resolver, check_job_id, json_response, parse_query
from services.api.logic import jobs
from services.api.models import AuditEventView, AuditTrail, JobListQuery, JobPage, JobView
from services.api.pagination import decode_cursor, encode_cursor
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.get("/jobs")
def list_jobs() -> Response[str]:
    query = parse_query(router.current_event, JobListQuery)
    page = jobs.list_jobs(
        storage(),
        owner_id=query.owner_id,
        status=query.status,
        limit=query.limit,
        start_key=decode_cursor(query.cursor),
    )
    body = JobPage(
        items=[JobView.of(job) for job in page.items], next_cursor=encode_cursor(page.last_key)
    )
    return json_response(200, body)


@router.get("/jobs/<job_id>")
def get_job(job_id: str) -> Response[str]:
    return json_response(200, JobView.of(storage().jobs.get(check_job_id(job_id))))


@router.get("/jobs/<job_id>/result")
def get_result(job_id: str) -> Response[str]:
    result = jobs.get_result(storage(), check_job_id(job_id))
    # The stored result, exactly as `docuflow parse` prints it.
    body = result.model_dump_json(exclude_none=True)
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=body)


@router.get("/jobs/<job_id>/audit")
def get_audit(job_id: str) -> Response[str]:
    records = jobs.audit_trail(storage(), check_job_id(job_id))
    return json_response(
        200, AuditTrail(job_id=job_id, items=[AuditEventView.of(r) for r in records])
    )


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context(correlation_id_path="pathParameters.job_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
