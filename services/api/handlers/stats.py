"""The AP manager's figures for a date range (ADR 0035): reviewers and admins of the tenant
their token names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic.json_schema import SkipJsonSchema

from docuflow.domain.errors import ValidationFailed
from docuflow.observability import logger, tracer
from services.api.config import get_stats_settings
from services.api.dependencies import figures
from services.api.errors import AUTH_ERRORS, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.logic import stats
from services.api.models import QueryDate, query_day
from services.api.models_stats import Stats
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]

DEFAULT_DAYS = 30


@router.get(
    "/stats",
    operation_id="getStats",
    summary="The company's figures for the invoices received in a date range",
    description=(
        "Received, outcomes, straight-through rate, time to a final status (processing and "
        "waiting for a person), top review reasons, corrections per field, OCR pages and "
        "estimated cost by mode and money approved per currency, for the jobs created from "
        "`from` up to `to` (ISO dates, UTC, `to` not included; default the last 30 days, "
        "at most 366); and the review backlog as it is now. Read from a daily roll-up "
        "(docs/adrs/0035-daily-rollup-for-the-dashboard.md)."
    ),
    responses=responses((200, "The figures."), ValidationFailed, *AUTH_ERRORS),
)
def get_stats(
    *,
    date_from: Annotated[QueryDate | SkipJsonSchema[None], Query(alias="from")] = None,
    date_to: Annotated[QueryDate | SkipJsonSchema[None], Query(alias="to")] = None,
) -> Stats:
    caller = require(router.current_event, Role.REVIEWER)
    now = datetime.now(UTC)
    end = query_day(date_to, "to") or now.date() + timedelta(days=1)
    first = query_day(date_from, "from") or end - timedelta(days=DEFAULT_DAYS)
    if end <= first:
        raise ValidationFailed("to: must be after from (to is not included).")
    if (end - first).days > stats.MAX_DAYS:
        raise ValidationFailed(f"from, to: at most {stats.MAX_DAYS} days at a time.")
    settings = get_stats_settings()
    tables = figures()
    result = stats.figures(
        tables.stats,
        tables.jobs,
        caller.tenant,
        first,
        end,
        now=now,
        prices=stats.OcrPrices(
            expense=settings.ocr_price_expense_page, document=settings.ocr_price_document_page
        ),
    )
    logger.info("Stats", extra={"days": (end - first).days, "received": result.received})
    return result


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
