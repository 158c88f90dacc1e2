"""A document with no recorded Textract response still reaches a result.

Locally the Textract stand-in reads such a document with the offline engine (text layer
for a born-digital PDF, Tesseract for an image); on AWS real Textract reads it. Either
way a clerk's own invoice must never end as a failed job."""

from __future__ import annotations

import pytest

from docuflow_tools.samples import UNAMBIGUOUS, make_invoice, render_image, render_pdf
from e2e.client import Api

PROCESSING_TIMEOUT = 180
SEED = 12  # a generated invoice: the project has no recording for it


@pytest.mark.parametrize(
    ("extension", "content_type"), [("pdf", "application/pdf"), ("png", "image/png")]
)
def test_invoice_never_seen_reaches_a_result_with_its_fields(
    api: Api, extension: str, content_type: str
) -> None:
    # Given an invoice nobody has recorded a Textract response for
    invoice = make_invoice(SEED, **UNAMBIGUOUS)
    data = render_pdf(invoice) if extension == "pdf" else render_image(invoice, "png")
    truth = invoice.ground_truth_fields()
    # When it is uploaded
    job_id = api.upload(data, f"never-seen-{SEED}.{extension}", content_type)
    # Then it reaches a result, with the printed invoice number and total read correctly
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] in {"COMPLETED", "NEEDS_REVIEW"}, job
    fields = api.result(job_id)["fields"]
    assert fields["invoice_number"]["value"] == truth["invoice_number"]
    assert fields["total_amount"]["value"] == truth["total_amount"]
