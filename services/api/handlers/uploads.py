"""Creating an upload and starting (or retrying) processing by hand."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.dal.documents import upload_headers
from docuflow.domain.errors import (
    DocumentTooLarge,
    InvalidTransition,
    JobNotFound,
    UnsupportedDocument,
    ValidationFailed,
)
from docuflow.observability import logger, metrics, set_job_id, tracer
from services.api.config import get_upload_settings
from services.api.dependencies import processing
from services.api.errors import AUTH_ERRORS, UnsupportedRequestBody, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.links import JOB_LINKS
from services.api.logic import uploads
from services.api.models import CreateUploadRequest, Job, JobId, StartRequest, UploadCreated
from services.common.errors import DocumentNotUploaded
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.post(
    "/uploads",
    operation_id="createUpload",
    summary="Create a job and a presigned PUT for its document",
    status_code=201,
    responses=responses(
        (201, "The job was created; PUT the document to `upload_url` with `upload_headers`."),
        ValidationFailed,
        DocumentTooLarge,
        UnsupportedDocument,
        UnsupportedRequestBody,
        *AUTH_ERRORS,
        links=JOB_LINKS,
    ),
)
def create_upload(request: Annotated[CreateUploadRequest, Body()]) -> UploadCreated:
    caller = require(router.current_event, Role.CLERK)
    settings = get_upload_settings()
    upload = uploads.create_upload(
        processing(),
        uploads.UploadLimits(settings.max_upload_bytes, settings.upload_url_ttl_seconds),
        filename=request.filename,
        content_type=request.content_type,
        tenant=caller.tenant,
        uploader=caller.user_id,
        actor=caller.email,
        size_bytes=request.size_bytes,
    )
    set_job_id(upload.job.job_id)
    metrics.add_metric(name="UploadsCreated", unit=MetricUnit.Count, value=1)
    return UploadCreated(
        job_id=upload.job.job_id,
        status=upload.job.status,
        upload_url=upload.upload_url,
        upload_headers=upload_headers(upload.content_type),
        expires_at=upload.expires_at,
        key=upload.job.s3_key,
    )


@router.post(
    "/jobs/<job_id>/start",
    operation_id="startJob",
    summary="Start processing an uploaded document, or retry a FAILED job",
    status_code=202,
    responses=responses(
        (202, "Processing started (status PROCESSING)."),
        ValidationFailed,
        JobNotFound,
        InvalidTransition,
        DocumentNotUploaded,
        UnsupportedRequestBody,
        *AUTH_ERRORS,
    ),
)
def start_job(
    job_id: Annotated[JobId, Path()],
    request: Annotated[StartRequest, Body()] = StartRequest(),  # noqa: B008 (frozen, no fields)
) -> Job:
    caller = require(router.current_event, Role.CLERK)
    job = uploads.start_job(processing(), caller.tenant, job_id, actor=caller.email)
    metrics.add_metric(name="JobsStarted", unit=MetricUnit.Count, value=1)
    return Job.of(job)


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context(correlation_id_path="pathParameters.job_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
