"""POST /uploads and POST /jobs/{job_id}/start."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.dal.documents import upload_headers
from docuflow.observability import logger, metrics, set_job_id, tracer
from services.api.config import get_upload_settings
from services.api.dependencies import processing
from services.api.http import build_resolver, check_job_id, json_response, parse_body
from services.api.logic import uploads
from services.api.models import CreateUploadRequest, JobView, StartRequest, UploadCreated
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.post("/uploads")
def create_upload() -> Response[str]:
    request = parse_body(router.current_event, CreateUploadRequest)
    settings = get_upload_settings()
    upload = uploads.create_upload(
        processing(),
        uploads.UploadLimits(settings.max_upload_bytes, settings.upload_url_ttl_seconds),
        filename=request.filename,
        content_type=request.content_type,
        owner_id=request.owner_id,
        size_bytes=request.size_bytes,
    )
    set_job_id(upload.job.job_id)
    metrics.add_metric(name="UploadsCreated", unit=MetricUnit.Count, value=1)
    body = UploadCreated(
        job_id=upload.job.job_id,
        status=upload.job.status,
        upload_url=upload.upload_url,
        upload_headers=upload_headers(upload.content_type),
        expires_at=upload.expires_at,
        key=upload.job.s3_key,
    )
    return json_response(201, body)


@router.post("/jobs/<job_id>/start")
def start_job(job_id: str) -> Response[str]:
    request = parse_body(router.current_event, StartRequest, required=False)
    job = uploads.start_job(processing(), check_job_id(job_id), actor=request.actor or "api")
    metrics.add_metric(name="JobsStarted", unit=MetricUnit.Count, value=1)
    return json_response(202, JobView.of(job))


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context(correlation_id_path="pathParameters.job_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
