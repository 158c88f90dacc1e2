"""checkov over infra/ (Terraform) and the repository's Dockerfiles.

No failed check may remain, and every skipped check must be a `#checkov:skip=ID:reason`
comment beside the resource it concerns, with its reason. checkov runs pinned through
`uvx` (which comes with uv): the first run downloads it from PyPI, later runs are offline.
`--skip-download` keeps checkov from calling the Prisma Cloud API.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
CHECKOV = "checkov==3.3.30"
# Directories that hold no project Dockerfile.
NOT_SCANNED = {".git", ".venv", "node_modules", ".localcloud", ".generated", ".terraform"}


def _uvx() -> str:
    path = shutil.which("uvx")
    if path is None:
        pytest.fail(
            "uvx is not on PATH: install uv (https://docs.astral.sh/uv/), which provides it"
        )
    return path


def _checkov(*args: str) -> dict[str, Any]:
    result = subprocess.run(
        [_uvx(), "--from", CHECKOV, "checkov", *args, "--skip-download", "--output", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # checkov exits 1 when a check fails; the report says which.
    assert result.returncode in (0, 1), f"checkov did not run:\n{result.stderr[-4000:]}"
    report = json.loads(result.stdout)
    assert isinstance(report, dict), f"expected one framework's report, got: {result.stdout[:500]}"
    return report


def _failures(report: dict[str, Any]) -> list[str]:
    return [
        f"{c['check_id']} {c['check_name']}: {c['resource']} ({c['file_path']}:"
        f"{c['file_line_range'][0]})"
        for c in report["results"]["failed_checks"]
    ]


def _skips_without_reason(report: dict[str, Any]) -> list[str]:
    missing = []
    for check in report["results"]["skipped_checks"]:
        reason = (check.get("check_result") or {}).get("suppress_comment") or ""
        # checkov fills in "No comment provided" for a bare `#checkov:skip=ID`.
        if len(reason.strip()) < 20 or reason.strip() == "No comment provided":
            missing.append(f"{check['check_id']} on {check['resource']}: {reason!r}")
    return missing


def _dockerfiles() -> list[Path]:
    found = []
    for path in REPO.rglob("*Dockerfile*"):
        if NOT_SCANNED & set(path.relative_to(REPO).parts) or not path.is_file():
            continue
        if path.name.endswith(".dockerignore"):
            continue
        found.append(path)
    return sorted(found)


def test_no_checkov_config_file_hides_checks() -> None:
    # Skips live beside the resource only: a config file could skip checks silently.
    for directory in (REPO, INFRA):
        for name in (".checkov.yaml", ".checkov.yml"):
            assert not (directory / name).exists(), f"{directory / name} would skip checks"


def test_checkov_terraform_has_no_failed_check_and_every_skip_says_why() -> None:
    report = _checkov("-d", str(INFRA), "--framework", "terraform")
    summary = report["summary"]
    assert summary["parsing_errors"] == 0, report["results"]["parsing_errors"]
    assert summary["resource_count"] > 20, summary  # the module was really scanned
    assert _failures(report) == []
    assert _skips_without_reason(report) == []


def test_checkov_dockerfiles_have_no_failed_check_and_every_skip_says_why() -> None:
    dockerfiles = _dockerfiles()
    assert dockerfiles, "no Dockerfile found: the Lambda image is built from services/Dockerfile"
    args: list[str] = []
    for path in dockerfiles:
        args += ["-f", str(path)]
    report = _checkov(*args, "--framework", "dockerfile")
    assert report["summary"]["parsing_errors"] == 0, report["results"]["parsing_errors"]
    assert report["summary"]["passed"] > 0, report["summary"]
    assert _failures(report) == []
    assert _skips_without_reason(report) == []
    # The Lambda image's skips say why at more length, next to the instruction they concern.
    for line in (REPO / "services" / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("#checkov:skip="):
            assert len(line.split(":", 2)[-1]) > 40, f"a skip without a reason: {line}"
