"""The workflow's port to Amazon Textract: starting analyses and reading their pages.

Textract's own errors become domain errors here: throttling -> TextractThrottled (the
state machine retries with backoff), a document Textract cannot read -> UnsupportedDocument.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import ClientError

from docuflow.domain.errors import DocumentMissing, DocumentTooLarge, OcrFailed, UnsupportedDocument
from services.workflow.errors import TextractThrottled

if TYPE_CHECKING:
    from mypy_boto3_textract import TextractClient

OcrApi = Literal["expense", "document"]
OCR_APIS: dict[str, tuple[OcrApi, ...]] = {
    "expense": ("expense",),
    "document": ("document",),
    "both": ("expense", "document"),
}
# The `API` field of Textract's SNS notification, per analysis.
NOTIFICATION_API: dict[str, OcrApi] = {
    "StartExpenseAnalysis": "expense",
    "StartDocumentAnalysis": "document",
}

_RATE_EXCEEDED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException"})
_TOO_MANY_JOBS = "LimitExceededException"
_UNREADABLE = frozenset({"UnsupportedDocumentException", "BadDocumentException"})


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _translate(exc: ClientError, what: str) -> Exception:
    code = _code(exc)
    message = f"Textract {what}: {code}: {exc.response.get('Error', {}).get('Message', '')}"
    if code in _RATE_EXCEEDED or code == _TOO_MANY_JOBS:
        return TextractThrottled(message, rate=code != _TOO_MANY_JOBS)
    if code in _UNREADABLE:
        return UnsupportedDocument(message)
    if code == "DocumentTooLargeException":
        return DocumentTooLarge(message)
    if code == "InvalidS3ObjectException":
        return DocumentMissing(message)
    if code == "InvalidJobIdException":
        return OcrFailed(message)
    return exc


class TextractGateway:
    """Starts and reads asynchronous expense and document analyses."""

    def __init__(self, client: TextractClient) -> None:
        self._textract = client

    def start(
        self,
        api: OcrApi,
        *,
        bucket: str,
        key: str,
        job_tag: str,
        client_token: str,
        sns_topic_arn: str,
        role_arn: str,
    ) -> str:
        """Start one analysis; returns Textract's JobId (the same one again for a repeated
        ClientToken, so a retried step never starts a second analysis)."""
        common: dict[str, Any] = {
            "DocumentLocation": {"S3Object": {"Bucket": bucket, "Name": key}},
            "ClientRequestToken": client_token,
            "JobTag": job_tag,
            "NotificationChannel": {"SNSTopicArn": sns_topic_arn, "RoleArn": role_arn},
        }
        try:
            if api == "expense":
                response = self._textract.start_expense_analysis(**common)
            else:
                response = self._textract.start_document_analysis(
                    FeatureTypes=["FORMS", "TABLES"], **common
                )
        except ClientError as exc:
            raise _translate(exc, f"start {api} analysis") from exc
        return str(response["JobId"])

    def get_page(
        self,
        api: OcrApi,
        textract_job_id: str,
        *,
        next_token: str | None = None,
        max_results: int | None = None,
    ) -> dict[str, Any]:
        """One page of an analysis result (or only its status, with max_results=1)."""
        kwargs: dict[str, Any] = {"JobId": textract_job_id}
        if next_token:
            kwargs["NextToken"] = next_token
        if max_results:
            kwargs["MaxResults"] = max_results
        try:
            if api == "expense":
                response: Any = self._textract.get_expense_analysis(**kwargs)
            else:
                response = self._textract.get_document_analysis(**kwargs)
        except ClientError as exc:
            raise _translate(exc, f"get {api} analysis") from exc
        page = dict(response)
        page.pop("ResponseMetadata", None)
        return page
