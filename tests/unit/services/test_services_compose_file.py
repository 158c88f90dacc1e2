"""docker-compose.yml's per-function blocks are written from services/functions.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from docuflow_tools import compose_file

TEMPLATE = """\
x-anchor: &lambda-function {}
# >>> generated from services/functions.json by `make compose`, do not edit: functions
stale: true
# <<< end of generated block: functions
services:
  hand-written: {}
  # >>> generated from services/functions.json by `make compose`, do not edit: function services
  # <<< end of generated block: function services
"""

MANIFEST: dict[str, Any] = {
    "functions": {
        "api-jobs": {"handler": "services.api.handlers.jobs.lambda_handler", "trigger": "http"},
        "poll-ocr": {"handler": "services.workflow.handlers.poll.h", "trigger": "states"},
    }
}


def test_blocks_are_rewritten_from_the_manifest_and_the_rest_is_kept() -> None:
    # Given a compose file with stale generated blocks, when it is rendered from a
    # manifest of two functions, then the blocks hold exactly those two, in place.
    text = compose_file.render(TEMPLATE, MANIFEST)
    assert "stale: true" not in text
    assert "  hand-written: {}\n" in text
    assert '    command: ["services.workflow.handlers.poll.h"]\n' in text
    assert "      AWS_LAMBDA_FUNCTION_NAME: docuflow-api-jobs\n" in text
    folded = text.split("&function-endpoints >-\n")[1].split("\n\n")[0]
    assert json.loads(folded.replace("\n  ", " ")) == {
        "docuflow-api-jobs": "http://api-jobs:8080",
        "docuflow-poll-ocr": "http://poll-ocr:8080",
    }
    healthy = text.split("&http-functions-healthy\n")[1].split("# <<<")[0]
    assert healthy == "  api-jobs:\n    condition: service_healthy\n"
    assert compose_file.render(text, MANIFEST) == text  # rendering again changes nothing


def test_check_fails_with_a_diff_when_the_file_is_out_of_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = tmp_path / "docker-compose.yml"
    manifest = tmp_path / "functions.json"
    compose.write_text(TEMPLATE)
    manifest.write_text(json.dumps(MANIFEST))
    args = ["--compose-file", str(compose), "--manifest", str(manifest)]
    assert compose_file.main([*args, "--check"]) == 1
    assert "run `make compose`" in capsys.readouterr().err
    assert compose.read_text() == TEMPLATE  # --check writes nothing
    assert compose_file.main(args) == 0
    assert compose_file.main([*args, "--check"]) == 0


def test_a_file_without_the_markers_is_refused() -> None:
    with pytest.raises(compose_file.ComposeFileError, match="found 0"):
        compose_file.render("services: {}\n", MANIFEST)
