"""Each function starts with exactly the environment Terraform gives it (infra/lambda.tf),
and settings are read when a handler starts, never at import."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from docuflow_tools.paths import REPO_ROOT
from tests.handlers.cloud import functions

LAMBDA_TF = REPO_ROOT / "infra" / "lambda.tf"


def _settings_getters() -> dict[str, list[Callable[[], Any]]]:
    from services.api import config as api
    from services.intake import config as intake
    from services.workflow import config as workflow

    return {
        "api-uploads": [api.get_settings, api.get_upload_settings],
        "api-jobs": [api.get_settings],
        "api-review": [api.get_settings],
        "intake": [intake.get_settings],
        "validate-document": [workflow.get_settings],
        "start-ocr": [workflow.get_settings, workflow.get_start_ocr_settings],
        "ocr-callback": [workflow.get_table_settings],
        "poll-ocr": [workflow.get_table_settings],
        "store-ocr": [workflow.get_settings],
        "parse-and-score": [workflow.get_settings],
        "mark-failed": [workflow.get_failure_settings],
    }


def _terraform_environment() -> dict[str, list[str]]:
    text = LAMBDA_TF.read_text()
    common = re.search(r"common_settings\s*=\s*\[([^\]]*)\]", text)
    block = re.search(r"function_settings\s*=\s*{(.*?)\n\s*}", text, re.S)
    if common is None or block is None:
        pytest.fail("infra/lambda.tf no longer lists common_settings / function_settings")
    names = re.findall(r'"(\w+)"', common.group(1))
    return {
        function: names + re.findall(r'"(\w+)"', settings)
        for function, settings in re.findall(r'"([\w-]+)"\s*=\s*\[([^\]]*)\]', block.group(1))
    }


SAMPLE = {
    "JOBS_TABLE": "jobs",
    "AUDIT_TABLE": "audit",
    "RAW_BUCKET": "raw",
    "STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:p",
    "DLQ_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/dlq",
    "OCR_MODE": "both",
    "TEXTRACT_SNS_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:t",
    "TEXTRACT_ROLE_ARN": "arn:aws:iam::123456789012:role/t",
    "MAX_UPLOAD_BYTES": "1000",
    "MAX_PAGES": "3",
    "UPLOAD_URL_TTL_SECONDS": "60",
    "DOWNLOAD_URL_TTL_SECONDS": "30",
    "CONFIDENCE_THRESHOLD": "75",
    "CONFIDENCE_THRESHOLDS": '{"total_amount": 95}',
}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SAMPLE:
        monkeypatch.delenv(name, raising=False)
    for getters in _settings_getters().values():
        for getter in getters:
            getter.cache_clear()  # type: ignore[attr-defined]


def test_every_function_has_a_settings_entry() -> None:
    assert set(_settings_getters()) == set(functions())


@pytest.mark.parametrize("function", sorted(functions()))
def test_function_starts_with_the_environment_terraform_gives_it(
    function: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = _terraform_environment()
    assert function in environment, f"infra/lambda.tf gives {function} no settings"
    for name in environment[function]:
        monkeypatch.setenv(name, SAMPLE[name])
    for getter in _settings_getters()[function]:
        getter()  # raises pydantic's ValidationError when a needed variable is missing


def test_missing_settings_fail_at_start_with_the_variable_named() -> None:
    from pydantic import ValidationError

    from services.workflow.config import get_failure_settings

    with pytest.raises(ValidationError, match="dlq_url"):
        get_failure_settings()


def test_thresholds_are_parsed_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from services.workflow.config import get_settings

    for name in ("JOBS_TABLE", "AUDIT_TABLE", "RAW_BUCKET", "CONFIDENCE_THRESHOLDS"):
        monkeypatch.setenv(name, SAMPLE[name])
    assert get_settings().confidence_thresholds == {"total_amount": 95}
    get_settings.cache_clear()
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "120")
    with pytest.raises(ValidationError):
        get_settings()
