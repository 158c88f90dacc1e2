"""Creating an upload and starting (or retrying) processing by hand."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from docuflow.dal.documents import document_key
from docuflow.dal.models import JobItem, utc_now
from docuflow.domain.errors import DocumentTooLarge, InvalidTransition, UnsupportedDocument
from docuflow.domain.status import JobStatus
from services.common.adapters import Processing
from services.common.processing import advance

SUPPORTED_CONTENT_TYPES: frozenset[str] = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/tiff"}
)
# Spellings browsers and tools send for the same types.
_CONTENT_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}


def check_filename(filename: str) -> str:
    """The file name to store under, or ValueError saying what is wrong with it.

    It becomes the last part of an S3 key, so path separators, control characters and
    names made only of dots are refused rather than rewritten.
    """
    name = filename.strip()
    if not name:
        raise ValueError("the file name is empty")
    if "/" in name or "\\" in name:
        raise ValueError("the file name must not contain path separators")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise ValueError("the file name must not contain control characters")
    if set(name) == {"."}:
        raise ValueError("the file name must not be only dots")
    if len(name.encode()) > 255:
        raise ValueError("the file name is longer than 255 bytes")
    return name


def normalize_content_type(content_type: str) -> str:
    """The media type without parameters, lower case; UnsupportedDocument (415) if not accepted."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    media_type = _CONTENT_TYPE_ALIASES.get(media_type, media_type)
    if media_type not in SUPPORTED_CONTENT_TYPES:
        raise UnsupportedDocument(
            f"Content type {content_type!r} is not accepted; send a PDF, PNG, JPEG or TIFF "
            f"document ({', '.join(sorted(SUPPORTED_CONTENT_TYPES))})."
        )
    return media_type


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
    owner_id: str,
    size_bytes: int | None,
) -> NewUpload:
    """Write a CREATED job and presign the PUT the browser uploads the document with."""
    media_type = normalize_content_type(content_type)
    if size_bytes is not None and size_bytes > limits.max_upload_bytes:
        raise DocumentTooLarge(
            f"The file is {size_bytes} bytes; the limit is {limits.max_upload_bytes} bytes."
        )
    job_id = str(uuid.uuid4())
    now = utc_now()
    job = JobItem(
        job_id=job_id,
        status=JobStatus.CREATED,
        owner_id=owner_id,
        created_at=now,
        updated_at=now,
        version=1,
        filename=filename,
        content_type=media_type,
        size_bytes=size_bytes,
        s3_key=document_key(owner_id, job_id, filename),
        attempt=1,
    )
    ports.jobs.create(job)
    ports.audit.record(
        job_id,
        "created",
        actor=owner_id,
        details={"filename": filename, "content_type": media_type, "size_bytes": size_bytes},
    )
    ttl = limits.upload_url_ttl_seconds
    url = ports.documents.presign_put(job.s3_key, media_type, ttl, size_bytes=size_bytes)
    expires_at = (datetime.now(UTC) + timedelta(seconds=ttl)).isoformat(timespec="seconds")
    return NewUpload(
        job=job,
        upload_url=url,
        content_type=media_type,
        expires_at=expires_at.replace("+00:00", "Z"),
    )


def start_job(ports: Processing, job_id: str, *, actor: str) -> JobItem:
    """Start processing a job whose document is uploaded, or retry a FAILED one.

    409 when the document is not uploaded yet, or the job is already processing or done.
    """
    job = ports.jobs.get(job_id)
    started = advance(ports, job, actor=actor, retry_failed=True)
    if started is None:
        raise InvalidTransition(current=job.status.value, target=JobStatus.PROCESSING.value)
    return started
