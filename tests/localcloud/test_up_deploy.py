"""What `docuflow up` hands to Terraform: the emulator's endpoint and the web app's origins
(so the browser's CORS works on any --web-port), checked with a recording `terraform`."""

from __future__ import annotations

import argparse
import contextlib
import json
import stat
import sys
from pathlib import Path

import pytest

from docuflow_tools.localcloud import cli, terraform
from docuflow_tools.localcloud.persistence import EmulatorState
from docuflow_tools.localcloud.web import web_origins

FAKE_TERRAFORM = """#!{python}
import json, sys
with open({calls!r}, "a") as calls:
    calls.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1] == "output":
    print(json.dumps({{"api_id": {{"value": "abc123"}}, "dlq_url": {{"value": "q"}}}}))
"""


@pytest.fixture
def fake_terraform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `terraform` on PATH that records its arguments; returns the record's path."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.jsonl"
    script = bin_dir / "terraform"
    script.write_text(FAKE_TERRAFORM.format(python=sys.executable, calls=str(calls)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return calls


def _apply_var_files(calls: Path) -> list[str]:
    commands = [json.loads(line) for line in calls.read_text().splitlines()]
    apply = next(args for args in commands if args[0] == "apply")
    return [arg.split("=", 1)[1] for arg in apply if arg.startswith("-var-file=")]


def test_web_origins_name_the_port_on_both_host_names() -> None:
    assert web_origins(4620) == [
        "http://127.0.0.1:4620",
        "http://localhost:4620",
        "http://127.0.0.1:4173",
        "http://localhost:4173",
    ]
    assert web_origins(4173) == ["http://127.0.0.1:4173", "http://localhost:4173"]


class FakeCloud:
    """What `_deploy` uses of a LocalCloud: its endpoint, kept state and checkpoints."""

    endpoint = "http://127.0.0.1:4999"

    def __init__(self, restored: bool = False) -> None:
        self.emulator = EmulatorState()
        self.restored = restored
        self.checkpoints = 0

    def checkpoints_paused(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def checkpoint(self) -> None:
        self.checkpoints += 1


def _commands(calls: Path) -> list[str]:
    if not calls.exists():
        return []
    return [json.loads(line)[0] for line in calls.read_text().splitlines()]


def test_up_gives_terraform_the_web_port_origins(tmp_path: Path, fake_terraform: Path) -> None:
    args = argparse.Namespace(port=4999, web_port=4620)
    record = cli._deploy(FakeCloud(), args, tmp_path / "state")  # type: ignore[arg-type]
    assert record is not None
    assert record["api_base_url"] == "http://127.0.0.1:4999/_aws/execute-api/abc123"
    assert record["web_origins"] == web_origins(4620)  # published for the e2e CORS checks
    var_files = _apply_var_files(fake_terraform)
    assert var_files[0] == terraform.VAR_FILE
    generated = json.loads(Path(var_files[-1]).read_text())  # the last file wins in Terraform
    assert generated["local_endpoint"] == "http://127.0.0.1:4999"
    assert "http://127.0.0.1:4620" in generated["web_origins"]
    assert "http://localhost:4620" in generated["web_origins"]


def test_a_restart_with_the_same_inputs_runs_no_terraform_and_keeps_the_api(
    tmp_path: Path, fake_terraform: Path
) -> None:
    # Given a cloud deployed once, whose state (with the deployment) was kept
    cloud = FakeCloud()
    args = argparse.Namespace(port=4999, web_port=4620)
    first = cli._deploy(cloud, args, tmp_path)  # type: ignore[arg-type]
    assert first is not None and not first["terraform_skipped"]
    assert cloud.checkpoints == 1  # the deployment is saved with the state at once
    applied = _commands(fake_terraform).count("apply")
    # When it starts again with the same inputs, then Terraform does not run and the API
    # is the one deployed
    cloud.restored = True
    again = cli._deploy(cloud, args, tmp_path)  # type: ignore[arg-type]
    assert again is not None and again["terraform_skipped"]
    assert again["api_base_url"] == first["api_base_url"]
    assert _commands(fake_terraform).count("apply") == applied
    # But another web port changes an input (the CORS origins): Terraform applies again,
    # keeping its state because the emulator kept its own
    moved = cli._deploy(cloud, argparse.Namespace(port=4999, web_port=4621), tmp_path)  # type: ignore[arg-type]
    assert moved is not None and not moved["terraform_skipped"]
    assert _commands(fake_terraform).count("apply") == applied + 1


def test_an_empty_emulator_starts_from_no_terraform_state(
    tmp_path: Path, fake_terraform: Path
) -> None:
    (tmp_path / "terraform.tfstate").write_text("{}")
    terraform.deploy("http://127.0.0.1:4999", tmp_path, emulator_is_empty=False)
    assert (tmp_path / "terraform.tfstate").exists()
    terraform.deploy("http://127.0.0.1:4999", tmp_path, emulator_is_empty=True)
    assert not (tmp_path / "terraform.tfstate").exists()  # the fake never writes one


def test_the_fingerprint_changes_with_what_terraform_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = terraform.run_variables("http://127.0.0.1:4566", {"web_origins": ["http://a:1"]})
    names = {path.name for path in terraform.input_files()}
    assert {"main.tf", "local.tfvars", "tables.json", "functions.json", "openapi.json"} <= names
    assert "invoice_pipeline.asl.json" in names  # named by templatefile() in workflow.tf
    before = terraform.fingerprint(variables)
    assert terraform.fingerprint(variables) == before
    assert terraform.fingerprint({**variables, "local_endpoint": "http://127.0.0.1:4567"}) != before
    copy = tmp_path / "functions.json"
    copy.write_text("{}")
    real = terraform.input_files()
    monkeypatch.setattr(
        terraform,
        "input_files",
        lambda: [copy if path.name == "functions.json" else path for path in real],
    )
    assert terraform.fingerprint(variables) != before


def test_deploy_replaces_the_previous_runs_variables(tmp_path: Path, fake_terraform: Path) -> None:
    terraform.deploy("http://127.0.0.1:4999", tmp_path, extra_vars={"web_origins": ["http://a:1"]})
    terraform.deploy("http://127.0.0.1:4998", tmp_path)
    generated = json.loads((tmp_path / terraform.RUN_VAR_FILE).read_text())
    assert generated == {"local_endpoint": "http://127.0.0.1:4998"}


def _record(port: int, web_url: str | None) -> dict[str, object]:
    endpoint = f"http://127.0.0.1:{port}"
    return {
        "endpoint": endpoint,
        "api_base_url": f"{endpoint}/_aws/execute-api/abc123",
        "web_url": web_url,
        "control_url": f"{endpoint}/_docuflow",
        "pid": 4242,
        "state_folder": f"/repo/.localcloud/{port}",
        "outputs_path": f"/repo/.localcloud/{port}/outputs.json",
    }


def test_announce_keeps_the_machine_lines_on_stdout_and_explains_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli.announce(_record(4610, "http://127.0.0.1:4620"))
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "API_BASE_URL=http://127.0.0.1:4610/_aws/execute-api/abc123",
        "WEB_URL=http://127.0.0.1:4620",
        "DOCUFLOW_OUTPUTS=/repo/.localcloud/4610/outputs.json",
    ]
    summary = err.splitlines()
    assert all(line.startswith("[docuflow up] ") for line in summary)
    text = "\n".join(summary)
    assert "Web app" in text and "http://127.0.0.1:4620" in text
    # Not the default port: the seed command names this stack's API.
    assert "docuflow seed --wait 60 --api http://127.0.0.1:4610/_aws/execute-api/abc123" in text
    assert "Ctrl-C" in text and "kill -TERM 4242" in text
    for line in summary:  # nothing a NAME=value reader could take for one of its lines
        assert not line.partition("] ")[2].startswith(("API_BASE_URL=", "WEB_URL=", "DOCUFLOW_"))


def test_announce_without_web_app_says_why_and_prints_no_web_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli.announce(_record(4566, None), web_note="not served (--no-web)")
    out, err = capsys.readouterr()
    assert [line.split("=", 1)[0] for line in out.splitlines()] == [
        "API_BASE_URL",
        "DOCUFLOW_OUTPUTS",
    ]
    assert "not served (--no-web)" in err
    assert "uv run docuflow seed --wait 60  " in err  # the default stack needs no --api
