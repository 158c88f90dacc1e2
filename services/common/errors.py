"""Errors the services raise on top of `docuflow.domain.errors`."""

from __future__ import annotations

from docuflow.domain.errors import DocuflowError, ValidationFailed


class DocumentNotUploaded(DocuflowError):
    """Processing was asked for before the document reached the bucket (HTTP 409)."""

    code = "DOCUMENT_NOT_UPLOADED"


class InvalidCorrection(ValidationFailed):
    """A corrected field with an unknown name or a value that does not normalize (HTTP 422)."""

    code = "INVALID_CORRECTION"


class UnknownDocumentKey(DocuflowError):
    """An S3 object that belongs to no job (intake)."""

    code = "UNKNOWN_DOCUMENT_KEY"
