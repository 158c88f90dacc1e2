"""Reading Textract output into normalized invoice fields, checking them and routing.

`analyze(responses)` is the whole job: `parse_responses` reads one document's Textract
responses into a `ParsedDocument`, `score` checks it and routes it (`ExtractionResult`).
The normalizers validate values a reviewer corrects.
"""

from docuflow.extraction.checks import (
    DuplicateEvidence,
    ScoringSettings,
    analyze,
    invoice_key,
    score,
)
from docuflow.extraction.dates import DateReading, normalize_date
from docuflow.extraction.normalize import (
    MoneyReading,
    normalize_currency,
    normalize_field_value,
    normalize_money,
)
from docuflow.extraction.parser import ParsedDocument, parse_responses

__all__ = [
    "DateReading",
    "DuplicateEvidence",
    "MoneyReading",
    "ParsedDocument",
    "ScoringSettings",
    "analyze",
    "invoice_key",
    "normalize_currency",
    "normalize_date",
    "normalize_field_value",
    "normalize_money",
    "parse_responses",
    "score",
]
