"""Creating an upload and starting (or retrying) processing by hand."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from docuflow.dal.documents import document_key
from docuflow.dal.models import JobItem, utc_now
from docuflow.domain.errors import DocumentTooLarge, InvalidTransition, UnsupportedDocument
from docuflow.domain.status import JobStatus
from services.api.logic.jobs import tenant_job
from services.common.adapters import Processing
from services.common.processing import advance

SUPPORTED_CONTENT_TYPES: frozenset[str] = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/tiff", "application/xml", "text/xml"}
)
# Spellings browsers and tools send for the same types.
_CONTENT_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}

MAX_FILENAME_CHARS = 200
"""Even in 4-byte characters the name keeps its S3 key (raw/{tenant}/{job}/{name}) under
S3's 1,024 bytes; in characters, so the OpenAPI document can state it."""

# The characters a file name may not hold: path separators, control characters (C0, DEL,
# C1) and the invisible ones that change how a name reads (zero-width, bidi overrides).
_FORBIDDEN = r"/\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
FILENAME_PATTERN = rf"^[^{_FORBIDDEN}]*[^{_FORBIDDEN}.\s][^{_FORBIDDEN}]*$"
"""The rule for file names, stated once: the OpenAPI document shows it and
`check_filename` applies it. At least one character that is neither a dot nor blank, so
names made only of dots or blanks (".", "..", " ") are refused. Surrounding blanks are
allowed and stripped."""


def _any_case(media_type: str) -> str:
    # Media types are case-insensitive; JSON Schema patterns have no flag to say so.
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else ch for ch in media_type)


CONTENT_TYPE_PATTERN = (
    r"^[ \t]*("
    + "|".join(_any_case(t) for t in sorted(SUPPORTED_CONTENT_TYPES | set(_CONTENT_TYPE_ALIASES)))
    + r")[ \t]*(;[^\x00-\x1f\x7f]*)?$"
)
"""The accepted media types, in any case, with optional parameters (`; charset=...`):
the OpenAPI document shows it and `normalize_content_type` applies it (415 otherwise)."""


def check_filename(filename: str) -> str:
    """The file name to store under (without surrounding blanks), or ValueError saying
    what is wrong with it.

    It becomes the last part of an S3 key, so path separators, control characters and
    names made only of dots are refused rather than rewritten. FILENAME_PATTERN decides;
    the checks below only say why.
    """
    if re.fullmatch(FILENAME_PATTERN, filename) and len(filename) <= MAX_FILENAME_CHARS:
        return filename.strip()
    if len(filename) > MAX_FILENAME_CHARS:
        raise ValueError(f"the file name is longer than {MAX_FILENAME_CHARS} characters")
    if "/" in filename or "\\" in filename:
        raise ValueError("the file name must not contain path separators")
    if re.search(f"[{_FORBIDDEN}]", filename):
        raise ValueError("the file name must not contain control or invisible characters")
    if not filename.strip():
        raise ValueError("the file name is empty")
    raise ValueError("the file name must not be only dots")


def normalize_content_type(content_type: str) -> str:
    """The media type without parameters, lower case; UnsupportedDocument (415) if not accepted."""
    match = re.fullmatch(CONTENT_TYPE_PATTERN, content_type)
    if match is None:
        raise UnsupportedDocument(
            f"Content type {content_type!r} is not accepted; send a PDF, PNG, JPEG or TIFF "
            f"document or e-invoice XML ({', '.join(sorted(SUPPORTED_CONTENT_TYPES))})."
        )
    media_type = match.group(1).lower()
    return _CONTENT_TYPE_ALIASES.get(media_type, media_type)


UPLOAD_GRACE = timedelta(hours=1)
"""How long after its link expires a CREATED job is kept: an upload that began in time
may still be arriving. After that the job expires (DynamoDB TTL) and a document that
turns up for it is deleted (intake)."""


@dataclass(frozen=True)
class UploadLimits:
    max_upload_bytes: int
    upload_url_ttl_seconds: int


@dataclass(frozen=True)
class NewUpload:
    job: JobItem
    upload_url: str
    content_type: str
    expires_at: str


def create_upload(
    ports: Processing,
    limits: UploadLimits,
    *,
    filename: str,
    content_type: str,
    tenant: str,
    uploader: str,
    actor: str,
    size_bytes: int | None,
) -> NewUpload:
    """Write a CREATED job of `tenant`, uploaded by `uploader` (a user id; `actor` is how
    the audit names them), and presign the PUT the browser uploads the document with."""
    media_type = normalize_content_type(content_type)
    if size_bytes is not None and size_bytes > limits.max_upload_bytes:
        raise DocumentTooLarge(
            f"The file is {size_bytes} bytes; the limit is {limits.max_upload_bytes} bytes."
        )
    job_id = str(uuid.uuid4())
    now = utc_now()
    link_expires = datetime.now(UTC) + timedelta(seconds=limits.upload_url_ttl_seconds)
    job = JobItem(
        job_id=job_id,
        status=JobStatus.CREATED,
        tenant_id=tenant,
        uploaded_by=uploader,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
        version=1,
        filename=filename,
        content_type=media_type,
        size_bytes=size_bytes,
        s3_key=document_key(tenant, job_id, filename),
        attempt=1,
        expires_at_epoch=int((link_expires + UPLOAD_GRACE).timestamp()),
    )
    ports.jobs.create(job)
    ports.audit.record(
        job_id,
        "created",
        actor=actor,
        details={"filename": filename, "content_type": media_type, "size_bytes": size_bytes},
    )
    url = ports.documents.presign_put(
        job.s3_key, media_type, limits.upload_url_ttl_seconds, size_bytes=size_bytes
    )
    expires_at = link_expires.isoformat(timespec="seconds")
    return NewUpload(
        job=job,
        upload_url=url,
        content_type=media_type,
        expires_at=expires_at.replace("+00:00", "Z"),
    )


def start_job(ports: Processing, tenant: str, job_id: str, *, actor: str) -> JobItem:
    """Start processing one of the tenant's jobs whose document is uploaded, or retry a
    FAILED one.

    409 when the document is not uploaded yet, or the job is already processing or done.
    """
    job = tenant_job(ports, tenant, job_id)
    started = advance(ports, job, actor=actor, retry_failed=True)
    if started is None:
        raise InvalidTransition(current=job.status.value, target=JobStatus.PROCESSING.value)
    return started
