"""The vendor memory: a tenant's vendors, and one vendor with its invoices (ADR 0025).

Reviewers and admins read the vendors of the tenant their token names."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic.json_schema import SkipJsonSchema

from docuflow.domain.errors import ValidationFailed, VendorNotFound
from docuflow.observability import logger, tracer
from services.api.dependencies import vendors
from services.api.errors import AUTH_ERRORS, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.models import (
    Cursor,
    PageLimit,
    Vendor,
    VendorDetail,
    VendorId,
    VendorInvoice,
    VendorPage,
)
from services.api.pagination import decode_cursor, encode_cursor
from services.common.wiring import Provider

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.get(
    "/vendors",
    operation_id="listVendors",
    summary="The tenant's vendors, by vendor id",
    responses=responses((200, "One page of vendors."), ValidationFailed, *AUTH_ERRORS),
)
def list_vendors(
    limit: Annotated[PageLimit, Query()] = 20,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> VendorPage:
    caller = require(router.current_event, Role.REVIEWER)
    page = vendors().list_vendors(caller.tenant, limit=limit, start_key=decode_cursor(cursor))
    return VendorPage(
        items=[Vendor.of(profile) for profile in page.items],
        next_cursor=encode_cursor(page.last_key),
    )


@router.get(
    "/vendors/<vendor_id>",
    operation_id="getVendor",
    summary="One vendor: names, bank accounts with dates, and a page of its invoices",
    responses=responses((200, "The vendor."), VendorNotFound, ValidationFailed, *AUTH_ERRORS),
)
def get_vendor(
    vendor_id: Annotated[VendorId, Path()],
    limit: Annotated[PageLimit, Query()] = 20,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> VendorDetail:
    caller = require(router.current_event, Role.REVIEWER)
    memory = vendors()
    profile = memory.get(caller.tenant, vendor_id)
    page = memory.list_invoices(
        caller.tenant, vendor_id, limit=limit, start_key=decode_cursor(cursor)
    )
    return VendorDetail(
        vendor=Vendor.of(profile),
        invoices=[VendorInvoice.of(seen) for seen in page.items],
        next_cursor=encode_cursor(page.last_key),
    )


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
