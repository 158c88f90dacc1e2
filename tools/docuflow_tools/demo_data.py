"""`docuflow demo-data OUT_DIR`: the web app's demo data, made by the real pipeline code.

A handful of invoices drawn by the sample generator (marked generated) are read by the
offline OCR engine and parsed, checked and routed by `docuflow.extraction` with exactly
the calls the parse-and-score Lambda makes (`parse_responses`, then `score` with the
duplicate evidence the job index would give; services/workflow/logic/scoring.py). Each
job, its audit trail and its result are written as the HTTP API returns them, through
the API's own response models (services/api/models.py), so the demo cannot show a shape
or a result the product does not produce.

Writes `OUT_DIR/demo.json` (schema `docuflow-demo/1`) and `OUT_DIR/documents/*`. The same
seed gives the same bytes. The web build runs this first (frontend/scripts/demo-data.mjs).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import random
import re
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from docuflow.dal.documents import document_key, result_key
from docuflow.dal.executions import execution_name
from docuflow.dal.models import AuditRecord, FieldCorrection, JobItem
from docuflow.domain.errors import DocuflowError
from docuflow.domain.status import JobStatus, status_timestamps
from docuflow.extraction import (
    DuplicateEvidence,
    ScoringSettings,
    invoice_key,
    normalize_field_value,
    parse_responses,
    score,
)
from docuflow.extraction.result import ExtractionResult
from docuflow.vendors import (
    InvoiceFacts,
    InvoiceSeen,
    VendorProfile,
    history_reasons,
    remember,
    with_history,
)
from docuflow_tools.offline_ocr import analyze_document_bytes
from docuflow_tools.samples import SyntheticInvoice, make_invoice, rasterize_pdf, render_pdf
from services.api.config import StatsApiSettings
from services.api.models import AuditEvent, Job, Vendor, VendorDetail, VendorInvoice
from services.common.scoring import summary_of
from services.common.stats import HISTOGRAM_BOUNDS, contribution
from services.workflow.logic.failure import explain

SCHEMA = "docuflow-demo/1"
REFERENCE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""Seeded jobs are dated hours before this fixed time, so the data does not depend on today."""
DEMO_TENANT = "acme"
_CLERKS = ("a.meyer", "j.osei")
_REVIEWER = "m.rossi"
_TRIES = 25
"""Seeds tried per scene for the routing it needs before giving up with a clear error."""

Want = Literal["COMPLETED", "NEEDS_REVIEW"]
Outcome = Literal["routed", "approved", "rejected", "failed"]


@dataclass(frozen=True)
class Scene:
    """One seeded job of the demo: what is drawn, how it is printed, where it ends."""

    name: str
    about: str
    overrides: dict[str, Any] = field(default_factory=dict)
    image: bool = False
    want: Want | None = None
    min_reasons: int = 0
    min_pages: int = 1
    min_corrections: int = 0
    outcome: Outcome = "routed"
    duplicate_of: str | None = None
    age_hours: float = 1.0
    owner: str | None = None
    """The clerk who uploads the job; by default the clerks take turns."""
    vendor_memory: bool = False
    """Checked against, and remembered by, the tenant's vendor memory (ADR 0025)."""
    require_fields: tuple[str, ...] = ()


_DOLLARS: dict[str, Any] = {
    "language": "en",
    "currency": "USD",
    "currency_style": "symbol_before",
    "credit_note": False,
}

SCENES: tuple[Scene, ...] = (
    Scene(
        "completed",
        "a clean invoice, completed without review",
        overrides={"currency": "EUR", "date_style": "day_month_name", "credit_note": False},
        want="COMPLETED",
        age_hours=52,
    ),
    Scene(
        "review",
        "an invoice in review for several reasons, one of them a currency to supply",
        # A bare "$" names no currency, so the reviewer always has a field to fix (what
        # the web app's browser test does with the first upload).
        overrides=_DOLLARS,
        want="NEEDS_REVIEW",
        min_reasons=2,
        age_hours=5,
    ),
    Scene("credit-note", "a credit note", overrides={"credit_note": True}, age_hours=4),
    Scene(
        "multi-page",
        "a long invoice over several pages",
        overrides={"n_items": 40, "credit_note": False},
        min_pages=2,
        age_hours=3,
    ),
    Scene(
        "scan",
        "a scanned page (PNG), read by Tesseract",
        overrides={"language": "en", "n_items": 3, "credit_note": False},
        image=True,
        age_hours=2,
    ),
    Scene(
        "duplicate",
        "the completed invoice uploaded a second time",
        duplicate_of="completed",
        age_hours=1,
    ),
    Scene(
        "approved",
        "an invoice a reviewer corrected and approved",
        overrides=_DOLLARS,
        want="NEEDS_REVIEW",
        min_corrections=1,
        outcome="approved",
        age_hours=30,
    ),
    Scene(
        "rejected",
        "an invoice a reviewer rejected",
        overrides={"credit_note": False},
        want="NEEDS_REVIEW",
        outcome="rejected",
        age_hours=26,
    ),
    Scene(
        "failed",
        "a job whose text recognition was throttled; a retry reads it",
        overrides={"credit_note": False},
        outcome="failed",
        age_hours=8,
    ),
)
_BRIGHTWATER: dict[str, Any] = {
    "language": "en",
    "currency": "EUR",
    "currency_style": "symbol_before",
    "date_style": "day_month_name",
    "credit_note": False,
    "vendor_name": "Brightwater Supplies Ltd",
    "vendor_tax_id": "GB123456789",
    "with_remittance": True,
}
SCENES = (
    *SCENES,
    Scene(
        "vendor-known",
        "a vendor's invoice, completed: the vendor memory learns its bank account",
        overrides={**_BRIGHTWATER, "iban": "DE89370400440532013000"},
        want="COMPLETED",
        age_hours=70,
        owner=_CLERKS[1],
        vendor_memory=True,
        require_fields=("bank_account", "vendor_tax_id"),
    ),
    Scene(
        "bank-change",
        "the same vendor's next invoice asks for payment to a new account: review",
        overrides={**_BRIGHTWATER, "iban": "GB82WEST12345698765432"},
        want="COMPLETED",
        age_hours=6,
        owner=_CLERKS[1],
        vendor_memory=True,
        require_fields=("bank_account", "vendor_tax_id"),
    ),
)
UPLOADS_READ = ("review", "scan", "credit-note", "multi-page", "completed")
"""What successive uploads in the demo "read", in turn (the first one shows a review)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DemoDocument(_Model):
    name: str
    file: str
    content_type: str
    size_bytes: int
    sha256: str
    pages: int
    invoice_key: str | None
    result: dict[str, Any]
    """As GET /jobs/{job_id}/result returns it (`exclude_none`, like the handler)."""


class DemoJob(_Model):
    scene: str
    about: str
    document: str
    job: Job
    audit: list[AuditEvent]


class DemoVendor(_Model):
    tenant_id: str
    """The tenant it belongs to."""
    detail: VendorDetail
    """As GET /vendors/{vendor_id} returns it."""


class DemoDay(_Model):
    day: str
    """A creation day (UTC) before the reference time."""
    counters: dict[str, int]
    """The stats table's day item (ADR 0035): what its invoices' final statuses added."""


class DemoData(_Model):
    format: str
    generated: bool
    about: str
    seed: int
    documents: list[DemoDocument]
    jobs: list[DemoJob]
    uploads_read: list[str]
    vendors: list[DemoVendor]
    reference_time: str
    """The demo's "now": the jobs' times are before it; the dashboard re-bases it on today."""
    history: list[DemoDay]
    """GENERATED: `HISTORY_DAYS` days of the dashboard's roll-up before the jobs' own."""
    histogram_bounds: list[int]
    """The roll-up's duration buckets (`HISTOGRAM_BOUNDS`), for the demo's percentiles."""
    ocr_prices: dict[str, str]
    """USD per page by OCR mode: the API's default price settings."""


class _VendorMemory:
    """The vendor memory of the demo's tenants, kept by the pipeline's own rules
    (`docuflow.vendors`) in memory instead of the vendors table."""

    def __init__(self) -> None:
        self.profiles: dict[tuple[str, str], VendorProfile] = {}
        self.invoices: dict[tuple[str, str], list[InvoiceSeen]] = {}

    def _facts(self, job_id: str, result: ExtractionResult) -> InvoiceFacts | None:
        return InvoiceFacts.of(job_id, {n: f.value for n, f in result.fields.items()})

    def check(self, tenant: str, job_id: str, result: ExtractionResult) -> ExtractionResult:
        """`result` as parse-and-score routes it: checked against the vendor's history."""
        facts = self._facts(job_id, result)
        if facts is None:
            return result
        profile = self.profiles.get((tenant, facts.vendor_id))
        iban_owner = next(
            (
                known
                for (of_tenant, _), known in self.profiles.items()
                if of_tenant == tenant and facts.iban and known.account(facts.iban)
            ),
            None,
        )
        reasons = history_reasons(facts, profile, iban_owner=iban_owner)
        return with_history(result, profile, reasons)

    def remember(self, tenant: str, job: Job, result: ExtractionResult) -> None:
        facts = self._facts(job.job_id, result)
        if facts is None:
            return
        key = (tenant, facts.vendor_id)
        self.profiles[key] = remember(
            self.profiles.get(key), facts, tenant_id=tenant, at=job.updated_at
        )
        self.invoices.setdefault(key, []).append(
            InvoiceSeen(
                vendor_id=facts.vendor_id,
                job_id=job.job_id,
                status=job.status.value,
                recorded_at=job.updated_at,
                invoice_number=facts.invoice_number,
                document_date=facts.document_date,
                currency=facts.currency,
                total=facts.total,
                iban=facts.iban,
            )
        )

    def vendors(self) -> list[DemoVendor]:
        return [
            DemoVendor(
                tenant_id=tenant,
                detail=VendorDetail(
                    vendor=Vendor.of(profile),
                    invoices=[VendorInvoice.of(seen) for seen in self.invoices[(tenant, vendor)]],
                    next_cursor=None,
                ),
            )
            for (tenant, vendor), profile in sorted(self.profiles.items())
        ]


class DemoDataError(Exception):
    """The pipeline no longer produces what a scene needs (e.g. no seed routes to review)."""


@dataclass(frozen=True)
class _Read:
    invoice: SyntheticInvoice
    data: bytes
    content_type: str
    extension: str
    response: dict[str, Any]
    result: ExtractionResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "out_dir", type=Path, metavar="OUT_DIR", help="Folder to write (replaced as a whole)"
    )
    parser.add_argument("--seed", type=int, default=1, help="Same seed, same data (default 1)")


def run(args: argparse.Namespace) -> int:
    try:
        data = build(args.seed, args.out_dir)
    except DemoDataError as exc:
        print(f"docuflow demo-data: {exc}", file=sys.stderr)
        return 1
    except DocuflowError as exc:
        print(f"docuflow demo-data: reading a generated document failed: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"docuflow demo-data: cannot write {args.out_dir}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    statuses = ", ".join(f"{job.scene} {job.job.status.value}" for job in data.jobs)
    print(f"Wrote {len(data.documents)} documents and {len(data.jobs)} jobs to {args.out_dir}")
    print(f"  {statuses}")
    return 0


def build(seed: int, out_dir: Path) -> DemoData:
    """Generate, read and route the scenes, then replace `out_dir` with the result."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not security
    scoring = ScoringSettings()
    reads: dict[str, tuple[DemoDocument, _Read]] = {}
    by_scene: dict[str, DemoJob] = {}
    memory = _VendorMemory()
    for index, scene in enumerate(SCENES):
        first_seed = rng.randrange(1, 1_000_000)
        job_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        owner = scene.owner or _CLERKS[index % len(_CLERKS)]
        if scene.duplicate_of is None:
            read = _read_scene(scene, first_seed, scoring)
            if scene.vendor_memory:
                read = dataclasses.replace(
                    read, result=memory.check(DEMO_TENANT, job_id, read.result)
                )
            document = _document(scene, read)
            reads[document.name] = (document, read)
            result = read.result
            filename = _filename(read.invoice, read.extension)
        else:
            original = by_scene[scene.duplicate_of]
            document, read = reads[original.document]
            # The same file again: the job index finds the first job by the file's
            # SHA-256, and parse-and-score scores the document with that evidence.
            evidence = DuplicateEvidence(same_file_job_ids=[original.job.job_id])
            result = score(parse_responses([read.response]), scoring, evidence)
            filename = original.job.filename
        by_scene[scene.name] = _job(
            scene,
            job_id=job_id,
            owner=owner,
            filename=filename,
            document=document,
            result=result,
            printed=read.invoice.ground_truth_fields(),
            created=REFERENCE_TIME - timedelta(hours=scene.age_hours),
        )
        final = by_scene[scene.name].job
        if scene.vendor_memory and final.status in (JobStatus.COMPLETED, JobStatus.APPROVED):
            memory.remember(DEMO_TENANT, final, result)
    data = DemoData(
        format=SCHEMA,
        generated=True,
        about=(
            "Synthetic invoices (fictional companies) generated by `docuflow demo-data "
            f"--seed {seed}`, read by the offline OCR engine and routed by the pipeline's "
            "own parser and checks."
        ),
        seed=seed,
        documents=[document for document, _ in reads.values()],
        jobs=list(by_scene.values()),
        uploads_read=[by_scene[name].document for name in UPLOADS_READ],
        vendors=memory.vendors(),
        reference_time=_iso(REFERENCE_TIME),
        history=history(seed),
        histogram_bounds=list(HISTOGRAM_BOUNDS),
        ocr_prices=_ocr_prices(),
    )
    _write(out_dir, data, {document.file: read.data for document, read in reads.values()})
    return data


HISTORY_DAYS = 90
# Plausible shares for an AP team some weeks into automation: most invoices straight
# through, a fifth reviewed. Only the shares are made up; the counters come from the
# pipeline's own rules (services.common.stats.contribution) applied to each made-up job.
_OUTCOMES = (
    (JobStatus.COMPLETED, 0.74),
    (JobStatus.APPROVED, 0.17),
    (JobStatus.REJECTED, 0.05),
    (JobStatus.FAILED, 0.04),
)
_HISTORY_REASONS = (
    ("LOW_CONFIDENCE", 5),
    ("MISSING_FIELD", 3),
    ("TOTALS_MISMATCH", 2),
    ("BANK_DETAILS_CHANGED", 1),
    ("DUPLICATE_INVOICE", 1),
    ("DATE_AMBIGUOUS", 1),
)
_HISTORY_CORRECTED = ("total_amount", "invoice_number", "due_date", "vendor_name", "tax_amount")
_HISTORY_CURRENCIES = (("EUR", 6), ("USD", 3), ("GBP", 1))


def _ocr_prices() -> dict[str, str]:
    defaults = StatsApiSettings.model_fields
    expense = Decimal(str(defaults["ocr_price_expense_page"].default))
    document = Decimal(str(defaults["ocr_price_document_page"].default))
    return {"expense": str(expense), "document": str(document), "both": str(expense + document)}


def history(seed: int) -> list[DemoDay]:
    """GENERATED history for the dashboard: made-up jobs of the `HISTORY_DAYS` days before
    the reference day, each counted as the pipeline counts a final status."""
    rng = random.Random(f"history-{seed}")  # noqa: S311 - synthetic demo data
    first = REFERENCE_TIME.date() - timedelta(days=HISTORY_DAYS)
    days = []
    for offset in range(HISTORY_DAYS):
        day = first + timedelta(days=offset)
        weekend = day.weekday() >= 5
        counters: dict[str, int] = {}
        for number in range(rng.randint(0, 3) if weekend else rng.randint(14, 38)):
            job = _history_job(rng, day, number)
            result = ExtractionResult.model_validate(
                {
                    "document_type": "invoice",
                    "pages": rng.choice((1, 1, 1, 2, 3)),
                    "routing": {"status": "COMPLETED"},
                }
            )
            for name, value in contribution(job, result).items():
                counters[name] = counters.get(name, 0) + value
        days.append(DemoDay(day=day.isoformat(), counters=counters))
    return days


def _history_job(rng: random.Random, day: date, number: int) -> JobItem:
    created = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=rng.randint(0, 600))
    status = rng.choices([s for s, _ in _OUTCOMES], [w for _, w in _OUTCOMES])[0]
    processed = created + timedelta(seconds=rng.lognormvariate(3.6, 0.5))
    decided = processed + timedelta(hours=rng.lognormvariate(1.2, 1.0))
    reviewed = status in (JobStatus.APPROVED, JobStatus.REJECTED)
    einvoice = rng.random() < 0.15
    currency = rng.choices([c for c, _ in _HISTORY_CURRENCIES], [w for _, w in _HISTORY_CURRENCIES])
    codes = rng.choices([c for c, _ in _HISTORY_REASONS], [w for _, w in _HISTORY_REASONS], k=2)
    corrected = rng.sample(_HISTORY_CORRECTED, k=rng.choice((0, 1, 1, 2))) if reviewed else []
    return JobItem(
        job_id=f"history-{day.isoformat()}-{number}",
        status=status,
        tenant_id=DEMO_TENANT,
        uploaded_by="history",
        created_at=_iso(created),
        updated_at=_iso(decided if reviewed else processed),
        status_changed_at=_iso(decided if reviewed else processed),
        processed_at=None if status is JobStatus.FAILED else _iso(processed),
        filename="history.pdf",
        content_type="application/pdf",
        s3_key="-",
        routing_reasons=[{"code": code} for code in sorted(set(codes))] if reviewed else [],
        corrections={name: FieldCorrection(before=None, after="-") for name in corrected},
        summary={"currency": currency[0], "total_amount": f"{rng.lognormvariate(6.2, 1.0):.2f}"},
        read_from="einvoice" if einvoice else "textract",
        ocr_apis=[] if einvoice else ["document"],
    )


def _document(scene: Scene, read: _Read) -> DemoDocument:
    name = f"{scene.name}-{read.invoice.seed:06d}"
    return DemoDocument(
        name=name,
        file=f"documents/{name}.{read.extension}",
        content_type=read.content_type,
        size_bytes=len(read.data),
        sha256=hashlib.sha256(read.data).hexdigest(),
        pages=read.result.pages,
        invoice_key=invoice_key(read.result.fields),
        result=read.result.model_dump(mode="json", exclude_none=True),
    )


def _read_scene(scene: Scene, first_seed: int, scoring: ScoringSettings) -> _Read:
    """The first seed from `first_seed` on whose document routes as the scene needs."""
    seen: list[str] = []
    for seed in range(first_seed, first_seed + _TRIES):
        read = _read(make_invoice(seed, **scene.overrides), image=scene.image, scoring=scoring)
        reasons = read.result.routing.reasons
        if (
            (scene.want is None or read.result.routing.status == scene.want)
            and len(reasons) >= scene.min_reasons
            and read.result.pages >= scene.min_pages
            and all(name in read.result.fields for name in scene.require_fields)
            and len(corrections(read.result, read.invoice.ground_truth_fields()))
            >= scene.min_corrections
        ):
            return read
        seen.append(f"{seed}: {read.result.routing.status} ({len(reasons)} reasons)")
    raise DemoDataError(
        f"no seed from {first_seed} gives the {scene.name!r} scene ({scene.about}): "
        + "; ".join(seen)
    )


def _read(invoice: SyntheticInvoice, *, image: bool, scoring: ScoringSettings) -> _Read:
    pdf = render_pdf(invoice)
    if image:
        data, content_type, extension = (
            rasterize_pdf(pdf, "png", dpi=200, rotate=0.8),
            "image/png",
            "png",
        )
    else:
        data, content_type, extension = pdf, "application/pdf", "pdf"
    response = analyze_document_bytes(data, content_type=content_type)
    # A new document: the job index knows no other job with its file or invoice key.
    result = score(parse_responses([response]), scoring, DuplicateEvidence())
    return _Read(invoice, data, content_type, extension, response, result)


_SLUG = re.compile(r"[^a-z0-9]+")


def _filename(invoice: SyntheticInvoice, extension: str) -> str:
    vendor = _SLUG.sub("-", invoice.vendor.name.casefold()).strip("-")
    number = _SLUG.sub("-", invoice.invoice_number.casefold()).strip("-")
    return f"{vendor}-{number}.{extension}"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Trail:
    """The job as the pipeline writes it, one status write (and audit record) at a time."""

    def __init__(self, job: JobItem) -> None:
        self.job = job
        self.records: list[AuditRecord] = []

    def write(self, at: datetime, **changes: Any) -> None:
        """One conditional write: the fields, a new `updated_at` and the next version;
        a status write stamps what the jobs table's does (`status_timestamps`)."""
        stamp = _iso(at)
        target = changes.get("status")
        stamps = (
            {"status_changed_at": stamp, **status_timestamps(self.job.status, target, stamp)}
            if target is not None
            else {}
        )
        self.job = self.job.model_copy(
            update={**changes, **stamps, "updated_at": stamp, "version": self.job.version + 1}
        )

    def audit(
        self,
        event: str,
        at: datetime,
        actor: str,
        details: dict[str, Any],
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        stamp = _iso(at)
        self.records.append(
            AuditRecord(
                job_id=self.job.job_id,
                sk=f"{stamp}#{event}-{len(self.records)}",
                event=event,
                actor=actor,
                at=stamp,
                details=details,
                before=before,
                after=after,
            )
        )


def _job(
    scene: Scene,
    *,
    job_id: str,
    owner: str,
    filename: str,
    document: DemoDocument,
    result: ExtractionResult,
    printed: dict[str, str],
    created: datetime,
) -> DemoJob:
    """The scene's job after what the pipeline (and a reviewer) did to it.

    Status writes, versions and audit records follow the handlers: POST /uploads (created),
    the S3 event (uploaded, started), start-ocr (ocr_started), parse-and-score (ocr_done,
    routed), mark-failed (failed) and the decision (corrected, approved/rejected).
    """
    trail = _Trail(
        JobItem(
            job_id=job_id,
            status=JobStatus.CREATED,
            # The demo is one company's workspace; its clerks are the uploaders.
            tenant_id=DEMO_TENANT,
            uploaded_by=owner,
            created_at=_iso(created),
            updated_at=_iso(created),
            version=1,
            filename=filename,
            content_type=document.content_type,
            size_bytes=document.size_bytes,
            s3_key=document_key(DEMO_TENANT, job_id, filename),
            attempt=1,
        )
    )
    trail.audit(
        "created",
        created,
        owner,
        {
            "filename": filename,
            "content_type": document.content_type,
            "size_bytes": document.size_bytes,
        },
    )
    uploaded = created + timedelta(seconds=2)
    trail.write(uploaded, status=JobStatus.UPLOADED, file_sha256=document.sha256)
    trail.audit(
        "uploaded",
        uploaded,
        "intake",
        {"size_bytes": document.size_bytes, "file_sha256": document.sha256},
    )
    started = uploaded + timedelta(milliseconds=300)
    trail.write(started, status=JobStatus.PROCESSING)
    trail.audit(
        "started",
        started,
        "intake",
        {"attempt": 1, "execution_name": execution_name(job_id, 1)},
    )
    ocr_started = started + timedelta(milliseconds=700)
    ocr_jobs = {"document": hashlib.sha256(f"{job_id}-1".encode()).hexdigest()[:32]}
    trail.write(ocr_started, ocr_apis=["document"], ocr_jobs=ocr_jobs)
    trail.audit(
        "ocr_started",
        ocr_started,
        "workflow",
        {"mode": "document", "ocr_jobs": ocr_jobs, "attempt": 1},
    )
    ended = ocr_started + timedelta(seconds=4 + 3 * document.pages)
    if scene.outcome == "failed":
        error = "TextractThrottled"
        reason = explain(error, None)
        trail.write(ended, status=JobStatus.FAILED, failure_reason=reason)
        trail.audit(
            "failed",
            ended,
            "workflow",
            {"error": error, "cause": "", "reason": reason, "attempt": 1},
        )
        return _demo_job(scene, document, trail)
    trail.audit(
        "ocr_done",
        ended - timedelta(milliseconds=400),
        "workflow",
        {
            "ocr_pages": document.pages,
            "pages": result.pages,
            "document_type": result.document_type.value,
            "fields": sorted(result.fields),
        },
    )
    reasons = [
        reason.model_dump(mode="json", exclude_none=True) for reason in result.routing.reasons
    ]
    trail.write(
        ended,
        status=JobStatus(result.routing.status),
        invoice_key=invoice_key(result.fields),
        result_key=result_key(job_id),
        routing_reasons=reasons,
        summary=summary_of(result),
    )
    trail.audit(
        "routed",
        ended,
        "workflow",
        {"status": result.routing.status, "reasons": [r.code for r in result.routing.reasons]},
    )
    if scene.outcome in ("approved", "rejected"):
        _decide(trail, scene.outcome, result, printed, at=ended + timedelta(hours=3))
    return _demo_job(scene, document, trail)


def _decide(
    trail: _Trail,
    outcome: Literal["approved", "rejected"],
    result: ExtractionResult,
    printed: dict[str, str],
    *,
    at: datetime,
) -> None:
    """A reviewer's decision, audited as POST /review/jobs/{id}/decision audits it;
    an approval carries the `corrections` of what was misread."""
    changes = corrections(result, printed) if outcome == "approved" else {}
    reason_text = (
        "Checked against the purchase order."
        if outcome == "approved"
        else "Not ours: the vendor was asked to send it to the right company."
    )
    if changes:
        trail.audit(
            "corrected",
            at,
            _REVIEWER,
            {"fields": sorted(changes)},
            before={name: c.before for name, c in changes.items()},
            after={name: c.after for name, c in changes.items()},
        )
    status = JobStatus.APPROVED if outcome == "approved" else JobStatus.REJECTED
    trail.write(
        at,
        status=status,
        decision="APPROVE" if outcome == "approved" else "REJECT",
        reviewer=_REVIEWER,
        decision_reason=reason_text,
        decided_at=_iso(at),
        corrections=changes,
    )
    trail.audit(outcome, at, _REVIEWER, {"reason": reason_text, "version": trail.job.version})


def corrections(result: ExtractionResult, printed: dict[str, str]) -> dict[str, FieldCorrection]:
    """What a careful reviewer corrects: each flagged field whose reading is not what is
    printed (`printed`: the generator's ground truth), normalized as the API normalizes
    corrected values."""
    changes: dict[str, FieldCorrection] = {}
    for reason in result.routing.reasons:
        name = reason.field
        if name is None or name not in printed or name in changes:
            continue
        found = result.fields.get(name)
        value = normalize_field_value(name, printed[name], currency=printed.get("currency"))
        if found is None or found.value != value:
            changes[name] = FieldCorrection(before=found.value if found else None, after=value)
    return changes


def _demo_job(scene: Scene, document: DemoDocument, trail: _Trail) -> DemoJob:
    return DemoJob(
        scene=scene.name,
        about=scene.about,
        document=document.name,
        job=Job.of(trail.job),
        audit=[AuditEvent.of(record) for record in trail.records],
    )


def _write(out_dir: Path, data: DemoData, files: dict[str, bytes]) -> None:
    """Write everything to a sibling temporary folder, then swap it in whole."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for relative, raw in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
        text = data.model_dump_json(indent=1)
        (staging / "demo.json").write_text(text + "\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
