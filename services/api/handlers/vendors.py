"""The vendor memory: a tenant's vendors, and one vendor with its invoices (ADR 0025)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic.json_schema import SkipJsonSchema

from docuflow.domain.errors import ValidationFailed, VendorNotFound
from docuflow.observability import logger, tracer
from services.api.dependencies import vendors
from services.api.errors import responses
from services.api.http import build_resolver
from services.api.models import (
    Cursor,
    OwnerId,
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

# The tenant is the owner the jobs were uploaded for, until sign-in takes it from the
# token (DESIGN §8): then this parameter goes, and the routes read the token's tenant.
Tenant = Annotated[OwnerId, Query(description="The tenant (today: the jobs' owner_id).")]


@router.get(
    "/vendors",
    operation_id="listVendors",
    summary="The tenant's vendors, by vendor id",
    responses=responses((200, "One page of vendors."), ValidationFailed),
)
def list_vendors(
    owner_id: Tenant,
    limit: Annotated[PageLimit, Query()] = 20,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> VendorPage:
    page = vendors().list_vendors(owner_id, limit=limit, start_key=decode_cursor(cursor))
    return VendorPage(
        items=[Vendor.of(profile) for profile in page.items],
        next_cursor=encode_cursor(page.last_key),
    )


@router.get(
    "/vendors/<vendor_id>",
    operation_id="getVendor",
    summary="One vendor: names, bank accounts with dates, and a page of its invoices",
    responses=responses((200, "The vendor."), VendorNotFound, ValidationFailed),
)
def get_vendor(
    vendor_id: Annotated[VendorId, Path()],
    owner_id: Tenant,
    limit: Annotated[PageLimit, Query()] = 20,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> VendorDetail:
    memory = vendors()
    profile = memory.get(owner_id, vendor_id)
    page = memory.list_invoices(owner_id, vendor_id, limit=limit, start_key=decode_cursor(cursor))
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
