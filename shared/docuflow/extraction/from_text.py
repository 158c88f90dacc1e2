"""Header fields found from printed lines and their positions (labels in several languages).

Owned by the offline-OCR work (issue 6); the parser calls `fields_from_lines` for every
document and uses what it returns only where Textract offered nothing better.
"""

from __future__ import annotations

from collections.abc import Sequence

from docuflow.extraction.lines import TextLine
from docuflow.extraction.result import Candidate


def fields_from_lines(lines: Sequence[TextLine], page_count: int) -> dict[str, list[Candidate]]:
    """Candidates per normalized field name found in `lines` (source `text`), best first.

    Placeholder until the text finder lands: finds nothing, so the parser's behaviour
    does not depend on it yet.
    """
    del lines, page_count
    return {}
