"""Errors the services raise on top of `docuflow.domain.errors`."""

from __future__ import annotations

from collections.abc import Mapping

from docuflow.domain.errors import DocuflowError, ValidationFailed


class DocumentNotUploaded(DocuflowError):
    """Processing was asked for before the document reached the bucket (HTTP 409)."""

    code = "DOCUMENT_NOT_UPLOADED"


class InvalidCorrection(ValidationFailed):
    """A corrected field with an unknown name or a value that does not normalize (HTTP 422)."""

    code = "INVALID_CORRECTION"


class InvalidDecision(ValidationFailed):
    """A decision whose parts do not go together, e.g. an override reason on a rejection
    (HTTP 422): nothing the reviewer sent is dropped without a word."""

    code = "INVALID_DECISION"


class OverrideRequired(DocuflowError):
    """An approval that would pass failing blocking checks, sent without an override
    reason (HTTP 409). `checks` names them."""

    code = "OVERRIDE_REQUIRED"

    def __init__(self, checks: Mapping[str, str]) -> None:
        """`checks`: each failing check's name and what it found, in words."""
        found = "; ".join(f"{name}: {message}" for name, message in checks.items())
        super().__init__(
            f"Approving this job passes {len(checks)} failing check(s) that block an approval "
            f"({found}). Send an override_reason saying why it may be approved anyway; it is "
            "recorded in the audit with this evidence."
        )
        self.checks = list(checks)


class UnknownDocumentKey(DocuflowError):
    """An S3 object that belongs to no job (intake)."""

    code = "UNKNOWN_DOCUMENT_KEY"


class NotAuthenticated(DocuflowError):
    """The request carries no usable identity (HTTP 401). API Gateway's authorizer
    refuses missing and invalid tokens before a function runs; this is the rest: a valid
    token of the wrong kind (an access token: the API takes ID tokens, ADR 0021)."""

    code = "UNAUTHENTICATED"


class Forbidden(DocuflowError):
    """The caller's role does not allow the operation, or the user has no tenant or
    role at all (HTTP 403)."""

    code = "FORBIDDEN"


class SelfApproval(Forbidden):
    """A reviewer deciding on a job they uploaded, in a tenant that does not allow it
    (HTTP 403)."""

    code = "SELF_APPROVAL"


class InvalidWebhookUrl(ValidationFailed):
    """A URL no webhook may be sent to (HTTP 422 at registration; a failed attempt at
    delivery, when its name resolves to a refused address)."""

    code = "INVALID_WEBHOOK_URL"


class WebhookNotFound(DocuflowError):
    """No endpoint with that id in the caller's tenant (HTTP 404)."""

    code = "WEBHOOK_NOT_FOUND"

    def __init__(self, webhook_id: str) -> None:
        super().__init__(f"No webhook with id {webhook_id!r}.")


class DeliveryNotFound(DocuflowError):
    """No delivery of that event to that endpoint (HTTP 404)."""

    code = "DELIVERY_NOT_FOUND"

    def __init__(self, event_id: str) -> None:
        super().__init__(f"No delivery of event {event_id!r} to this webhook.")


class TooManyWebhooks(DocuflowError):
    """The tenant has as many endpoints as it may have (HTTP 409)."""

    code = "TOO_MANY_WEBHOOKS"


class NotExportable(DocuflowError):
    """A job that cannot be given out as UBL: not approved (or completed), or missing what
    an e-invoice must carry (HTTP 409)."""

    code = "NOT_EXPORTABLE"


class UserNotFound(DocuflowError):
    """No user with that name in the caller's tenant (HTTP 404): a user of another
    tenant is not found either, never a 403 that would confirm they exist."""

    code = "USER_NOT_FOUND"

    def __init__(self, username: str) -> None:
        super().__init__(f"No user {username!r} in your company.")


class UserExists(DocuflowError):
    """An invitation for an e-mail address the user pool has already (HTTP 409)."""

    code = "USER_EXISTS"


class LastAdmin(DocuflowError):
    """A change that would leave the tenant without an enabled admin (HTTP 409)."""

    code = "LAST_ADMIN"
