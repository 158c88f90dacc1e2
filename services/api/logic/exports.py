"""Exports of a tenant's invoices for ERPs: one row per invoice (or per line), stable
columns, CSV safe against formula injection (ADR 0029).

The columns below are the contract (docs/integrations.md lists them): new columns are
added at the end, none is renamed or removed within export version 1.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from docuflow.dal.documents import export_key
from docuflow.dal.models import JobItem, Page
from docuflow.domain.status import JobStatus
from docuflow.einvoice import ubl_out
from docuflow.events.build import corrected_fields
from docuflow.extraction.result import ExtractionResult
from services.api.logic.jobs import load_result, tenant_job
from services.common.adapters import Storage
from services.common.errors import NotExportable

INVOICE_FIELDS: tuple[str, ...] = (
    "vendor_name",
    "vendor_tax_id",
    "vendor_address",
    "invoice_number",
    "document_date",
    "due_date",
    "purchase_order",
    "payment_terms",
    "currency",
    "subtotal",
    "tax_amount",
    "total_amount",
    "amount_due",
    "bank_account",
)
INVOICE_COLUMNS: tuple[str, ...] = (
    "job_id",
    "status",
    "filename",
    "created_at",
    "decided_at",
    "reviewer",
    "read_from",
    "document_type",
    *INVOICE_FIELDS,
    "corrected_fields",
)
LINE_COLUMNS: tuple[str, ...] = (
    "job_id",
    "invoice_number",
    "line_number",
    "description",
    "quantity",
    "unit_price",
    "amount",
    "unit_code",
    "tax_rate",
)

# A cell a spreadsheet would read as a formula (OWASP: CSV injection) starts with one of
# these; it gets a leading apostrophe. A plain decimal ("-12.50", a credit note's total)
# cannot be a formula and stays a number.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def safe_cell(value: str) -> str:
    """The cell as written to CSV: formula-like text neutralized with a leading `'`."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportQuery:
    status: JobStatus | None
    created_from: date | None
    created_to: date | None  # exclusive


def page_of_jobs(
    ports: Storage,
    tenant: str,
    query: ExportQuery,
    *,
    limit: int,
    start_key: dict[str, str] | None,
) -> Page[JobItem]:
    return ports.jobs.list_by_tenant(
        tenant,
        status=query.status,
        limit=limit,
        start_key=start_key,
        created_from=query.created_from.isoformat() if query.created_from else None,
        created_to=query.created_to.isoformat() if query.created_to else None,
    )


_PARALLEL_READS = 16
LINK_MAX_INVOICES = 2000
"""Invoices in one file behind a link at most (a page is at most 500): their results are
read 16 at a time and validated at about 1 ms each (a one-page result; measured on the dev
box); a larger range continues with the answer's `next_cursor`."""
LINK_CHUNK = 100
"""Invoices read per round: the file stops growing at the end of the round in which less
than LINK_RESERVE_SECONDS of the function's time is left, so a slow store (the local
cloud under load, a cold S3 prefix) shortens the file instead of timing the request out."""
LINK_RESERVE_SECONDS = 12.0

_MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True)
class ExportFile:
    """An export written to the bucket: where, how many invoices and rows, and whether
    more follow (the cursor's start key)."""

    key: str
    media_type: str
    invoices: int
    rows: int
    last_key: dict[str, str] | None


def write_export(
    ports: Storage,
    tenant: str,
    query: ExportQuery,
    *,
    fmt: str,
    lines: bool,
    start_key: dict[str, str] | None,
    now: datetime,
    seconds_left: Callable[[], float],
) -> ExportFile:
    """Up to LINK_MAX_INVOICES invoices of the query, as one CSV or JSON file under
    exports/<tenant>/ (the JSON is the same object a page is, without a cursor), read in
    rounds of LINK_CHUNK while the function has time left."""
    invoices: list[JobItem] = []
    rows: list[dict[str, str]] = []
    last_key = start_key
    while True:
        limit = min(LINK_CHUNK, LINK_MAX_INVOICES - len(invoices))
        page = page_of_jobs(ports, tenant, query, limit=limit, start_key=last_key)
        invoices.extend(page.items)
        rows.extend((line_rows if lines else invoice_rows)(ports, page.items))
        last_key = page.last_key
        if last_key is None or len(invoices) >= LINK_MAX_INVOICES:
            break
        if seconds_left() < LINK_RESERVE_SECONDS:
            break
    columns = LINE_COLUMNS if lines else INVOICE_COLUMNS
    if fmt == "json":
        body = json.dumps(
            {"columns": list(columns), "items": rows, "next_cursor": None}, ensure_ascii=False
        ).encode("utf-8")
    else:
        body = to_csv(columns, rows).encode("utf-8")
    key = export_key(tenant, now.date().isoformat(), uuid4().hex, fmt)
    ports.documents.put(key, body, _MEDIA_TYPES[fmt])
    return ExportFile(key, _MEDIA_TYPES[fmt], len(invoices), len(rows), last_key)


def link_expiry(now: datetime, ttl_seconds: int) -> str:
    return (
        (now + timedelta(seconds=ttl_seconds))
        .astimezone(UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z")
    )


def _result(ports: Storage, job: JobItem) -> ExtractionResult | None:
    return load_result(ports, job) if job.result_key else None


def _with_results(
    ports: Storage, jobs: Iterable[JobItem]
) -> list[tuple[JobItem, ExtractionResult | None]]:
    """Each job with its stored result, read a few at a time: an export of thousands of
    invoices is thousands of S3 GETs, which one after another would outlast the API's 30 s
    (the S3 client is thread-safe)."""
    listed = list(jobs)
    with ThreadPoolExecutor(max_workers=_PARALLEL_READS) as pool:
        return list(zip(listed, pool.map(lambda job: _result(ports, job), listed), strict=True))


def invoice_rows(ports: Storage, jobs: Iterable[JobItem]) -> list[dict[str, str]]:
    """One row per job: its fields with the reviewer's corrections applied."""
    rows = []
    for job, result in _with_results(ports, jobs):
        values = corrected_fields(job, result) if result else {}
        row = {
            "job_id": job.job_id,
            "status": job.status.value,
            "filename": job.filename,
            "created_at": job.created_at,
            "decided_at": job.decided_at or "",
            "reviewer": job.reviewer or "",
            "read_from": job.read_from or "",
            "document_type": result.document_type.value if result else "",
            **{name: values.get(name, "") for name in INVOICE_FIELDS},
            "corrected_fields": ";".join(sorted(job.corrections)),
        }
        rows.append(row)
    return rows


def line_rows(ports: Storage, jobs: Iterable[JobItem]) -> list[dict[str, str]]:
    """One row per line item of each job."""
    rows = []
    for job, result in _with_results(ports, jobs):
        if result is None:
            continue
        number = corrected_fields(job, result).get("invoice_number", "")
        for index, line in enumerate(result.line_items, start=1):
            rows.append(
                {
                    "job_id": job.job_id,
                    "invoice_number": number,
                    "line_number": str(index),
                    "description": line.description or "",
                    "quantity": line.quantity or "",
                    "unit_price": line.unit_price or "",
                    "amount": line.amount or "",
                    "unit_code": line.unit_code or "",
                    "tax_rate": line.tax_rate or "",
                }
            )
    return rows


def to_csv(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    """UTF-8 text with a header row; every cell through `safe_cell`; CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(column, "")) for column in columns])
    return out.getvalue()


# An invoice that passed every check (COMPLETED) is as final as one a reviewer approved.
_UBL_STATUSES = frozenset({JobStatus.APPROVED, JobStatus.COMPLETED})


def ubl(ports: Storage, tenant: str, job_id: str) -> bytes:
    """The job's invoice as UBL 2.1 (Invoice, or CreditNote for a credit)."""
    job = tenant_job(ports, tenant, job_id)
    if job.status not in _UBL_STATUSES:
        raise NotExportable(
            f"Only an approved or completed invoice is given out as UBL; job {job_id} is "
            f"{job.status.value}."
        )
    result = load_result(ports, job)
    try:
        return ubl_out.to_ubl(
            corrected_fields(job, result), result, buyer_name=tenant, reference=job.job_id
        )
    except ubl_out.NotExportable as exc:
        raise NotExportable(str(exc)) from exc
