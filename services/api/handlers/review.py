"""GET /review/jobs, GET /review/jobs/{job_id}, POST /review/jobs/{job_id}/decision."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.api.config import get_review_settings
from services.api.dependencies import storage
from services.api.http import build_resolver, check_job_id, json_response, parse_body, parse_query
from services.api.logic import review
from services.api.models import (
    AuditEventView,
    DecisionRequest,
    DocumentLink,
    JobPage,
    JobView,
    ReviewDetail,
    ReviewQueueQuery,
)
from services.api.pagination import decode_cursor, encode_cursor
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.get("/review/jobs")
def review_queue() -> Response[str]:
    query = parse_query(router.current_event, ReviewQueueQuery)
    page = review.review_queue(storage(), limit=query.limit, start_key=decode_cursor(query.cursor))
    body = JobPage(
        items=[JobView.of(job) for job in page.items], next_cursor=encode_cursor(page.last_key)
    )
    return json_response(200, body)


@router.get("/review/jobs/<job_id>")
def review_detail(job_id: str) -> Response[str]:
    ttl = get_review_settings().download_url_ttl_seconds
    package = review.review_package(storage(), check_job_id(job_id), link_ttl_seconds=ttl)
    body = ReviewDetail(
        job=JobView.of(package.job),
        result=package.result,
        audit=[AuditEventView.of(record) for record in package.audit],
        document=DocumentLink(
            url=package.document_url,
            expires_at=package.document_url_expires_at,
            filename=package.job.filename,
            content_type=package.job.content_type,
        ),
    )
    return json_response(200, body)


@router.post("/review/jobs/<job_id>/decision")
def decide(job_id: str) -> Response[str]:
    request = parse_body(router.current_event, DecisionRequest)
    job = review.decide(
        storage(),
        check_job_id(job_id),
        decision=request.decision,
        reviewer=request.reviewer,
        corrected_fields={name: str(value) for name, value in request.corrected_fields.items()},
        reason=request.reason,
        expected_version=request.expected_version,
    )
    metrics.add_metric(name=f"Jobs{job.status.value.title()}", unit=MetricUnit.Count, value=1)
    return json_response(200, JobView.of(job))


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context(correlation_id_path="pathParameters.job_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
