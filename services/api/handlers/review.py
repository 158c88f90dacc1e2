"""The finance review queue, one job for review, and reviewer decisions."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic.json_schema import SkipJsonSchema

from docuflow.domain.errors import (
    ConcurrentUpdate,
    InvalidTransition,
    JobNotFound,
    ResultNotReady,
    ValidationFailed,
)
from docuflow.observability import logger, metrics, tracer
from services.api.config import get_review_settings
from services.api.dependencies import announcer, storage, tenant_scoring, vendors
from services.api.errors import AUTH_ERRORS, UnsupportedRequestBody, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.logic import review
from services.api.models import (
    AuditEvent,
    Corrections,
    Cursor,
    DecisionRequest,
    DocumentLink,
    Job,
    JobId,
    JobPage,
    PageLimit,
    QueryAmount,
    QueryDate,
    QueueText,
    ReasonCode,
    Rescored,
    RescoreRequest,
    ReviewDetail,
)
from services.api.pagination import encode_cursor, queue_offset
from services.common.errors import (
    InvalidCorrection,
    InvalidDecision,
    OverrideRequired,
    SelfApproval,
)
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.get(
    "/review/jobs",
    operation_id="listReviewJobs",
    summary="The review queue (NEEDS_REVIEW): sorted, filtered and searched, paged",
    description=(
        "The caller's tenant's queue. Every filter narrows. Jobs without the value sorted "
        "on come last; equal values newest first. Totals compare as numbers whatever their "
        "currency."
    ),
    responses=responses(
        (200, "One page of the tenant's jobs waiting for review."), ValidationFailed, *AUTH_ERRORS
    ),
)
def list_review_jobs(
    *,
    limit: Annotated[PageLimit, Query()] = 20,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
    sort: Annotated[
        review.QueueSort,
        Query(description="The value to sort on; a leading minus sorts descending."),
    ] = "-created_at",
    reason: Annotated[
        ReasonCode | SkipJsonSchema[None],
        Query(description="Only jobs with this review reason code (TOTALS_MISMATCH, ...)."),
    ] = None,
    vendor: Annotated[
        QueueText | SkipJsonSchema[None],
        Query(description="Only this vendor (the name as read, any case)."),
    ] = None,
    min_total: Annotated[
        QueryAmount | SkipJsonSchema[None], Query(description="Total at least (plain decimal).")
    ] = None,
    max_total: Annotated[
        QueryAmount | SkipJsonSchema[None], Query(description="Total at most (plain decimal).")
    ] = None,
    due_before: Annotated[
        QueryDate | SkipJsonSchema[None], Query(description="Due strictly before (YYYY-MM-DD).")
    ] = None,
    q: Annotated[
        QueueText | SkipJsonSchema[None],
        Query(description="Search vendor, invoice number, file name and job id (any case)."),
    ] = None,
) -> JobPage:
    caller = require(router.current_event, Role.REVIEWER)
    query = review.QueueQuery(
        sort=sort,
        reason=reason,
        vendor=vendor,
        min_total=Decimal(min_total) if min_total is not None else None,
        max_total=Decimal(max_total) if max_total is not None else None,
        due_before=due_before,
        search=q,
    )
    page = review.review_queue(
        storage(), caller.tenant, query, limit=limit, offset=queue_offset(cursor)
    )
    return JobPage(
        items=[Job.of(job) for job in page.items], next_cursor=encode_cursor(page.last_key)
    )


@router.get(
    "/review/jobs/<job_id>",
    operation_id="getReviewJob",
    summary="One job for review, with its result, audit trail and a short-lived document link",
    responses=responses((200, "The review package."), JobNotFound, *AUTH_ERRORS),
)
def get_review_job(job_id: Annotated[JobId, Path()]) -> ReviewDetail:
    caller = require(router.current_event, Role.REVIEWER)
    ttl = get_review_settings().download_url_ttl_seconds
    package = review.review_package(storage(), caller.tenant, job_id, link_ttl_seconds=ttl)
    return ReviewDetail(
        job=Job.of(package.job),
        result=package.result,
        audit=[AuditEvent.of(record) for record in package.audit],
        document=DocumentLink(
            url=package.document_url,
            expires_at=package.document_url_expires_at,
            filename=package.job.filename,
            content_type=package.job.content_type,
        ),
    )


@router.post(
    "/review/jobs/<job_id>/rescore",
    operation_id="rescoreReviewJob",
    summary="The checks and routing a job in review would get with pending corrections",
    description=(
        "Runs the pipeline's own checks and routing on the stored result with the "
        "corrections (read exactly as a decision reads them), with what the job index "
        "knows about duplicates now. Nothing is saved. `blocking` lists the checks an "
        "approval with these corrections would have to override."
    ),
    responses=responses(
        (200, "The checks, the routing and the blocking checks."),
        ValidationFailed,
        JobNotFound,
        InvalidTransition,
        ResultNotReady,
        UnsupportedRequestBody,
        InvalidCorrection,
        *AUTH_ERRORS,
    ),
)
def rescore_review_job(
    job_id: Annotated[JobId, Path()], request: Annotated[RescoreRequest, Body()]
) -> Rescored:
    caller = require(router.current_event, Role.REVIEWER)
    rescore = review.rescore_job(
        storage(),
        caller.tenant,
        job_id,
        corrected_fields=request.corrected_fields,
        corrected_line_items=_lines(request),
        settings=tenant_scoring().for_tenant(caller.tenant),
    )
    return Rescored(
        checks=rescore.result.checks, routing=rescore.result.routing, blocking=rescore.blocking
    )


def _lines(request: Corrections) -> list[dict[str, object]] | None:
    if request.corrected_line_items is None:
        return None
    return [line.model_dump(exclude_unset=True) for line in request.corrected_line_items]


@router.post(
    "/review/jobs/<job_id>/decision",
    operation_id="decideReviewJob",
    summary="Approve or reject a job in review, with corrected fields",
    description=(
        "Conditional on status NEEDS_REVIEW and on `expected_version` (the job's `version` "
        "the reviewer saw; the current version when absent). Of two decisions at once one "
        "wins and the other gets 409. An approval that would pass a failing blocking check "
        "(totals, line items or required fields after the corrections, or a possible "
        "duplicate) needs `override_reason`, else 409 OVERRIDE_REQUIRED; a rejection with "
        "an `override_reason` is a 422 INVALID_DECISION. The reviewer is the caller; one "
        "who uploaded the job gets 403 SELF_APPROVAL unless their tenant allows it."
    ),
    responses=responses(
        (200, "The decided job (APPROVED or REJECTED)."),
        ValidationFailed,
        JobNotFound,
        InvalidTransition,
        ConcurrentUpdate,
        UnsupportedRequestBody,
        InvalidCorrection,
        InvalidDecision,
        OverrideRequired,
        *AUTH_ERRORS,
        SelfApproval,
    ),
)
def decide_review_job(
    job_id: Annotated[JobId, Path()], request: Annotated[DecisionRequest, Body()]
) -> Job:
    caller = require(router.current_event, Role.REVIEWER)
    scoring = tenant_scoring()
    tenant = scoring.tenants.get(caller.tenant)
    job = review.decide(
        storage(),
        vendors(),
        job_id,
        reviewer=review.Reviewer(
            user_id=caller.user_id,
            name=caller.email,
            tenant=caller.tenant,
            may_self_approve=tenant.allow_self_approval,
        ),
        decision=request.decision,
        corrected_fields=request.corrected_fields,
        corrected_line_items=_lines(request),
        reason=request.reason,
        override_reason=request.override_reason,
        expected_version=request.expected_version,
        settings=scoring.of(tenant),
    )
    metrics.add_metric(name=f"Jobs{job.status.value.title()}", unit=MetricUnit.Count, value=1)
    review.announce_decision(announcer(), job)
    return Job.of(job)


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context(correlation_id_path="pathParameters.job_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
