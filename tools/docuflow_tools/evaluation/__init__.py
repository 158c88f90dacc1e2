"""Accuracy of the whole offline read (offline OCR engine -> parse -> routing) on labelled
documents: `docuflow eval`."""

from __future__ import annotations

from docuflow_tools.evaluation.runner import EvalReport, evaluate
from docuflow_tools.evaluation.truth import Truth, TruthError, load_truth, same_value

__all__ = ["EvalReport", "Truth", "TruthError", "evaluate", "load_truth", "same_value"]
