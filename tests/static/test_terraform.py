"""Static checks of the Terraform root module in infra/.

Offline, about half a minute: `terraform fmt`, `init` from the machine's provider
mirror when there is one, `validate`, `terraform test` (infra/tests/*.tftest.hcl plans the
module against a mocked aws provider, compares the planned functions, SQS mappings and
environments with services/functions.json and the routes, integrations and invoke
permissions with services/api/openapi.json, checks that the roles built from the
manifest's permissions are least privilege, and feeds each validated variable a bad
value), and the two variable files against the variables' validation rules. Applying the
module to the local cloud is covered by the local cloud's own start-up (`docuflow up`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
DEFAULT_MIRROR = Path("/opt/tf-plugins")


def _terraform() -> str:
    path = shutil.which("terraform")
    if path is None:
        pytest.fail(
            "terraform is not on PATH: install Terraform >= 1.9 (the project is tested with "
            "1.11.4) to run the infra checks"
        )
    return path


def _plugin_dir() -> Path | None:
    """The provider mirror: TF_PLUGIN_DIR, else /opt/tf-plugins, else None (registry)."""
    configured = os.environ.get("TF_PLUGIN_DIR")
    for candidate in [Path(configured)] if configured else [DEFAULT_MIRROR]:
        if candidate.is_dir():
            return candidate
    return None


def _run(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_terraform(), *args],
        cwd=INFRA,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.fixture(scope="module")
def tf_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An initialised working directory whose .terraform lives in a temp TF_DATA_DIR."""
    env = {
        **os.environ,
        "TF_DATA_DIR": str(tmp_path_factory.mktemp("tfdata")),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }
    # The module's own endpoints come from variables; stray AWS_* settings of the shell
    # must not matter (the tests never reach AWS: terraform test mocks the provider).
    for key in [k for k in env if k.startswith("AWS_ENDPOINT_URL")]:
        env.pop(key)
    # -lockfile=readonly: the committed infra/.terraform.lock.hcl must already cover the
    # provider, and the test never rewrites it.
    args = ["init", "-backend=false", "-input=false", "-no-color", "-lockfile=readonly"]
    mirror = _plugin_dir()
    if mirror is not None:
        args.append(f"-plugin-dir={mirror}")
    result = _run(args, env, timeout=300)
    assert result.returncode == 0, "terraform init failed: " + _explain(result)
    return env


def test_terraform_files_are_formatted() -> None:
    # Given infra/, when terraform fmt checks it, then no file needs reformatting.
    result = subprocess.run(
        [_terraform(), "fmt", "-check", "-recursive", "-diff", "-no-color", str(INFRA)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, "run `terraform fmt -recursive infra`: " + _explain(result)


def test_module_validates(tf_env: dict[str, str]) -> None:
    result = _run(["validate", "-no-color"], tf_env)
    assert result.returncode == 0, _explain(result)
    assert "The configuration is valid" in result.stdout


def test_planned_resources_match_the_manifest_and_bad_settings_are_refused(
    tf_env: dict[str, str],
) -> None:
    # Given the mocked-provider plans in infra/tests/*.tftest.hcl, when terraform test runs
    # them, then every function, SQS mapping and environment follows
    # services/functions.json, every route services/api/openapi.json, every role is least
    # privilege, and every bad setting is refused by its variable's validation rule.
    tests = sorted((INFRA / "tests").glob("*.tftest.hcl"))
    assert {path.name for path in tests} >= {"manifest.tftest.hcl", "iam.tftest.hcl"}
    result = _run(["test", "-no-color"], tf_env, timeout=300)
    assert result.returncode == 0, _explain(result)
    match = re.search(r"Success! (\d+) passed, 0 failed", result.stdout)
    assert match, _explain(result)
    runs = sum(len(re.findall(r'^run "', path.read_text(), flags=re.M)) for path in tests)
    assert int(match.group(1)) == runs >= 13, _explain(result)


def _console(
    tf_env: dict[str, str], expression: str, *var_args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_terraform(), "console", "-no-color", *var_args],
        cwd=INFRA,
        env=tf_env,
        input=expression + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _console_json(tf_env: dict[str, str], expression: str, *var_args: str) -> object:
    result = _console(tf_env, f"jsonencode({expression})", *var_args)
    assert result.returncode == 0, _explain(result)
    # console prints the JSON as an HCL string literal: decode the literal, then the JSON.
    return json.loads(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def local_settings(tf_env: dict[str, str]) -> dict[str, Any]:
    """Values the module computes from envs/local.tfvars (one console run for two tests)."""
    settings = _console_json(
        tf_env,
        "{endpoint = var.local_endpoint, origins = var.web_origins, "
        "trace_disabled = var.powertools_trace_disabled, create_ecr = var.create_ecr, "
        "image = var.image_uri}",
        "-var-file=envs/local.tfvars",
    )
    assert isinstance(settings, dict)
    return settings


def test_local_tfvars_pass_validation_and_target_the_local_cloud(
    local_settings: dict[str, Any],
) -> None:
    assert local_settings == {
        "endpoint": "http://127.0.0.1:4566",
        "origins": ["http://127.0.0.1:4173", "http://localhost:4173"],
        "trace_disabled": True,
        "create_ecr": False,
        "image": "000000000000.dkr.ecr.us-east-1.amazonaws.com/docuflow:local",
    }


def test_aws_tfvars_example_passes_validation(tf_env: dict[str, str]) -> None:
    settings = _console_json(
        tf_env,
        "{endpoint = var.local_endpoint, image = var.image_uri}",
        "-var-file=envs/aws.tfvars.example",
    )
    assert isinstance(settings, dict)
    assert settings["endpoint"] == ""
    assert "@sha256:" in settings["image"]
