"""The raw bucket: uploaded documents, raw OCR pages and normalized results."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from botocore.exceptions import ClientError

from docuflow.domain.errors import DocumentMissing

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size_bytes: int
    content_type: str | None


@dataclass(frozen=True)
class ObjectDigest:
    size_bytes: int
    sha256: str


def document_key(tenant_id: str, job_id: str, safe_filename: str) -> str:
    return f"raw/{tenant_id}/{job_id}/{safe_filename}"


def ocr_page_key(job_id: str, attempt: int, api: str, page: int) -> str:
    return f"ocr/{job_id}/{attempt}/{api}/{page:04d}.json"


def result_key(job_id: str) -> str:
    return f"results/{job_id}.json"


def export_key(tenant_id: str, day: str, export_id: str, extension: str) -> str:
    """An export written for a link (ADR 0029): under its tenant, expired after a day by
    the bucket's lifecycle (infra/storage.tf)."""
    return f"exports/{tenant_id}/{day}/{export_id}.{extension}"


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code", "")) in _MISSING


class DocumentStore:
    """Reads, writes and presigns objects of one bucket."""

    def __init__(self, client: S3Client, bucket: str) -> None:
        self._s3 = client
        self.bucket = bucket

    def presign_put(
        self, key: str, content_type: str, expires_in: int, *, size_bytes: int | None = None
    ) -> str:
        """A URL the browser PUTs the document to, with `upload_headers(content_type)`.

        The headers are signed (SigV4), so S3 refuses (403) a PUT without them or with
        other values. `Content-Type` is the accepted type the job records, so nothing else
        (`text/html`, say) can be stored under the key. `If-None-Match: *` makes it a
        conditional write: S3 refuses (412) a second upload to the same key while the link
        is still valid, so the document that was hashed, read by Textract and shown to the
        reviewer cannot be swapped afterwards. With the declared `size_bytes`,
        `Content-Length` is signed too: only a body of exactly that size is taken (every
        HTTP client sends that header itself).
        """
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "ContentType": content_type,
            "IfNoneMatch": "*",
        }
        if size_bytes is not None:
            params["ContentLength"] = size_bytes
        return self._s3.generate_presigned_url("put_object", Params=params, ExpiresIn=expires_in)

    def presign_get(self, key: str, expires_in: int, *, content_type: str) -> str:
        """A short-lived link that downloads the document as a file of `content_type`.

        S3 answers it with the headers the link asks for (`response-content-*`, signed):
        `Content-Disposition: attachment` and the job's accepted type, so a browser saves
        the document instead of rendering it, whatever type the object was stored with.
        """
        return self._s3.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": attachment(key.rsplit("/", 1)[-1]),
            },
            ExpiresIn=expires_in,
        )

    def head(self, key: str) -> ObjectInfo | None:
        """Size and type of an object, or None if it is not there."""
        try:
            response = self._s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_missing(exc):
                return None
            raise
        return ObjectInfo(
            key=key,
            size_bytes=int(response.get("ContentLength", 0)),
            content_type=response.get("ContentType"),
        )

    def digest(self, key: str) -> ObjectDigest:
        """Size and SHA-256 of an object, streamed so a large file never sits in memory."""
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_missing(exc):
                raise DocumentMissing(f"s3://{self.bucket}/{key} does not exist.") from exc
            raise
        sha = hashlib.sha256()
        size = 0
        for chunk in response["Body"].iter_chunks(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
        return ObjectDigest(size_bytes=size, sha256=sha.hexdigest())

    def read(self, key: str, *, first_bytes: int | None = None) -> bytes:
        """An object's bytes (or only its first bytes); DocumentMissing if absent."""
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if first_bytes is not None:
            kwargs["Range"] = f"bytes=0-{first_bytes - 1}"
        try:
            response = self._s3.get_object(**kwargs)
        except ClientError as exc:
            if _is_missing(exc):
                raise DocumentMissing(f"s3://{self.bucket}/{key} does not exist.") from exc
            raise
        return response["Body"].read()

    def delete(self, key: str) -> None:
        """Delete an object (absent already: nothing to do)."""
        self._s3.delete_object(Bucket=self.bucket, Key=key)

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def put_json(self, key: str, document: Any) -> None:
        body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json")

    def get_json(self, key: str) -> Any:
        return json.loads(self.read(key))


def upload_headers(content_type: str) -> dict[str, str]:
    """The headers the client must send with the presigned PUT (see `presign_put`)."""
    return {"Content-Type": content_type, "If-None-Match": "*"}


def attachment(filename: str) -> str:
    """`Content-Disposition: attachment` for `filename` (RFC 6266): an ASCII fallback
    with anything unsafe replaced, and the exact name as RFC 5987 UTF-8."""
    fallback = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
