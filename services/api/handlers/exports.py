"""Exports for ERPs: the tenant's invoices as CSV or JSON pages, and one approved invoice
as a UBL 2.1 e-invoice (ADR 0029)."""

from __future__ import annotations

import json
import urllib.parse
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from docuflow.domain.errors import JobNotFound, ResultNotReady, ValidationFailed
from docuflow.domain.status import JobStatus
from docuflow.observability import logger, metrics, tracer
from services.api.config import get_export_settings
from services.api.dependencies import storage
from services.api.errors import AUTH_ERRORS, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.logic import exports
from services.api.models import Cursor, JobId, QueryDate, query_day
from services.api.models_integrations import ExportLink, ExportPage
from services.api.pagination import decode_cursor, encode_cursor
from services.common.errors import NotExportable
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]

ExportLimit = Annotated[int, Field(ge=1, le=500, description="Invoices per page.")]
CSV = "text/csv; charset=utf-8"


def _export_responses() -> dict[int, Any]:
    documented = responses((200, "One page of the export."), ValidationFailed, *AUTH_ERRORS)
    documented[200]["content"] = {
        "text/csv": {
            "schema": {
                "type": "string",
                "description": "UTF-8, a header row, CRLF; the next page's cursor is in the "
                "X-Next-Cursor header (and a Link header, rel=next).",
            }
        },
        "application/json": {"model": ExportPage},
    }
    return documented


def _ubl_responses() -> dict[int, Any]:
    documented = responses(
        (200, "The UBL document."), JobNotFound, ResultNotReady, NotExportable, *AUTH_ERRORS
    )
    documented[200]["content"] = {
        "application/xml": {"schema": {"type": "string", "description": "UBL 2.1 XML"}}
    }
    return documented


@router.get(
    "/exports",
    operation_id="exportInvoices",
    summary="The company's invoices (or their lines) in a date range, as CSV or JSON",
    description=(
        "One row per invoice (`lines=true`: per line item) with the reviewer's corrections "
        "applied; the columns are listed in docs/integrations.md and only ever added to. "
        "`from` and `to` (ISO dates, `to` not included) select by the job's creation day. "
        "Pages of at most `limit` invoices; follow `next_cursor` / X-Next-Cursor. "
        "For a large range, GET /exports/file writes up to 2000 invoices to one file."
    ),
    responses=_export_responses(),
)
def export_invoices(  # Powertools passes every parameter by name
    *,
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
    status: Annotated[JobStatus | SkipJsonSchema[None], Query()] = None,
    created_from: Annotated[QueryDate | SkipJsonSchema[None], Query(alias="from")] = None,
    created_to: Annotated[QueryDate | SkipJsonSchema[None], Query(alias="to")] = None,
    lines: Annotated[bool, Query()] = False,
    limit: Annotated[ExportLimit, Query()] = 100,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> Response[str]:
    caller = require(router.current_event, Role.CLERK)
    query = _query(status, created_from, created_to)
    page = exports.page_of_jobs(
        storage(), caller.tenant, query, limit=limit, start_key=decode_cursor(cursor)
    )
    rows = (exports.line_rows if lines else exports.invoice_rows)(storage(), page.items)
    columns = exports.LINE_COLUMNS if lines else exports.INVOICE_COLUMNS
    next_cursor = encode_cursor(page.last_key)
    logger.info("Export page", extra={"rows": len(rows), "lines": lines, "format": format})
    if format == "json":
        body = ExportPage(columns=list(columns), items=rows, next_cursor=next_cursor)
        return Response(
            status_code=200, content_type="application/json", body=body.model_dump_json()
        )
    headers: dict[str, str] = {"Content-Disposition": 'attachment; filename="invoices.csv"'}
    if next_cursor:
        params = dict(router.current_event.query_string_parameters or {})
        params["cursor"] = next_cursor
        headers["X-Next-Cursor"] = next_cursor
        headers["Link"] = (
            f'<{router.current_event.path}?{urllib.parse.urlencode(params)}>; rel="next"'
        )
    return Response(
        status_code=200, content_type=CSV, body=exports.to_csv(columns, rows), headers=headers
    )


def _query(
    status: JobStatus | None, created_from: str | None, created_to: str | None
) -> exports.ExportQuery:
    start, end = query_day(created_from, "from"), query_day(created_to, "to")
    if start and end and end <= start:
        raise ValidationFailed("to: must be after from (to is not included).")
    return exports.ExportQuery(status=status, created_from=start, created_to=end)


@router.get(
    "/exports/file",
    operation_id="exportInvoicesFile",
    summary="The same export as one file in S3, behind a short-lived link",
    description=(
        "For ranges too large to page through: up to 2000 invoices (their rows, or line "
        "items with `lines=true`) are written as one CSV or JSON file (the JSON is the "
        "object a page of GET /exports is) under the company's prefix of the bucket; the "
        "answer holds a presigned link to it, valid for minutes (the file is deleted after "
        "a day), and `next_cursor` when more invoices follow. The file holds fewer when "
        "reading them would outlast the request; the cursor goes on from there."
    ),
    responses=responses((200, "Where to download the export."), ValidationFailed, *AUTH_ERRORS),
)
def export_invoices_file(  # Powertools passes every parameter by name
    *,
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
    status: Annotated[JobStatus | SkipJsonSchema[None], Query()] = None,
    created_from: Annotated[QueryDate | SkipJsonSchema[None], Query(alias="from")] = None,
    created_to: Annotated[QueryDate | SkipJsonSchema[None], Query(alias="to")] = None,
    lines: Annotated[bool, Query()] = False,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> ExportLink:
    caller = require(router.current_event, Role.CLERK)
    query = _query(status, created_from, created_to)
    now = datetime.now(UTC)
    ttl = get_export_settings().export_url_ttl_seconds
    written = exports.write_export(
        storage(),
        caller.tenant,
        query,
        fmt=format,
        lines=lines,
        start_key=decode_cursor(cursor),
        now=now,
        seconds_left=lambda: router.lambda_context.get_remaining_time_in_millis() / 1000,
    )
    url = storage().documents.presign_get(written.key, ttl, content_type=written.media_type)
    logger.info(
        "Export written", extra={"key": written.key, "rows": written.rows, "format": format}
    )
    return ExportLink(
        url=url,
        expires_at=exports.link_expiry(now, ttl),
        format=format,
        invoices=written.invoices,
        rows=written.rows,
        next_cursor=encode_cursor(written.last_key),
    )


@router.get(
    "/jobs/<job_id>/ubl",
    operation_id="getJobUbl",
    summary="An approved invoice as a UBL 2.1 e-invoice (EN 16931 core)",
    description=(
        "A UBL 2.1 Invoice, or a CreditNote for a credit, with the reviewer's corrections; "
        "what the document does not say is left out (docs/integrations.md lists the EN 16931 "
        "rules that can leave unmet). 409 NOT_EXPORTABLE for a job that is not approved or "
        "completed, or lacks its number, date, currency or total."
    ),
    responses=_ubl_responses(),
)
def get_job_ubl(job_id: Annotated[JobId, Path()]) -> Response[str]:
    caller = require(router.current_event, Role.CLERK)
    document = exports.ubl(storage(), caller.tenant, job_id)
    return Response(
        status_code=200,
        content_type="application/xml",
        body=document.decode("utf-8"),
        headers={"Content-Disposition": f'attachment; filename="{job_id}.xml"'},
    )


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context(correlation_id_path="pathParameters.job_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)


__all__ = ["JobId", "JobNotFound", "Path", "ResultNotReady", "json", "lambda_handler"]
