"""The end-to-end suite's LocalStack target (`DOCUFLOW_E2E_TARGET=localstack`).

Opt-in, for people with Docker and a LocalStack auth token; never selected in CI here
(no Docker engine). It brings up the same stack as `docker compose --profile localstack`,
from Python so the suite owns its lifetime:

1. builds the Lambda image (services/Dockerfile) under the image URI Terraform is given,
   and the emulator image (localcloud.Dockerfile) for the Textract stand-in;
2. starts LocalStack through testcontainers' LocalStack module on a private Docker
   network, with LOCALSTACK_AUTH_TOKEN passed through, the Docker socket mounted (it runs
   each function as a container) and every function pointed at the stand-in for Textract;
3. starts the stand-in in its Textract-only role on the same network (alias `textract`);
4. applies infra/ with envs/local.tfvars and `local_endpoint` set to LocalStack;
5. waits (boto3 sessions from localstack-client) until every function is Active;
6. yields the e2e Target; on exit stops everything and deletes the Terraform state.

Usage: `with localstack_target() as target: ...`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from e2e.targets import Target

REPO = Path(__file__).resolve().parents[1]
LOCALSTACK_IMAGE = "localstack/localstack:4.15.0"
# The image URI Terraform gives every function (envs/local.tfvars); LocalStack starts the
# function containers from the local image of that name.
LAMBDA_IMAGE = "000000000000.dkr.ecr.us-east-1.amazonaws.com/docuflow:local"
EMULATOR_IMAGE = "docuflow-localcloud:local"
ENDPOINT_HOST = "localhost.localstack.cloud"  # 127.0.0.1 in public DNS
EDGE_PORT = 4566
REGION = "us-east-1"
FUNCTION_READY_SECONDS = 300.0
# The stand-in in its Textract-only role (the same command as compose's `textract`).
TEXTRACT_COMMAND = [
    "docuflow",
    "up",
    "--emulator-only",
    "--services",
    "textract",
    "--host",
    "0.0.0.0",
    "--port",
    "4566",
]

CHOOSE_ANOTHER = (
    "Pick another target: unset DOCUFLOW_E2E_TARGET (or set it to `localcloud`) to run the "
    "suite on the project's Docker-free emulator; see docs/containers.md."
)


class LocalStackTargetUnavailable(RuntimeError):
    """The LocalStack target cannot run on this machine; the message says why and what to do."""


def check_prerequisites() -> str:
    """Docker, Terraform and the auth token, checked before anything starts.

    Returns the auth token.
    """
    if shutil.which("docker") is None:
        raise LocalStackTargetUnavailable(
            "DOCUFLOW_E2E_TARGET=localstack needs Docker, and `docker` is not on PATH. "
            + CHOOSE_ANOTHER
        )
    info = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if info.returncode != 0:
        raise LocalStackTargetUnavailable(
            "DOCUFLOW_E2E_TARGET=localstack needs a running Docker engine; `docker info` "
            f"says: {info.stderr.strip() or info.stdout.strip()}. {CHOOSE_ANOTHER}"
        )
    if shutil.which("terraform") is None:
        raise LocalStackTargetUnavailable(
            "DOCUFLOW_E2E_TARGET=localstack applies infra/ with Terraform, which is not on "
            f"PATH (install Terraform >= 1.9). {CHOOSE_ANOTHER}"
        )
    token = os.environ.get("LOCALSTACK_AUTH_TOKEN", "").strip()
    if not token:
        raise LocalStackTargetUnavailable(
            "DOCUFLOW_E2E_TARGET=localstack needs LOCALSTACK_AUTH_TOKEN: LocalStack 4.15+ "
            "(the first with ECR, Lambda container images and API Gateway v2 in one image) "
            f"refuses to start without it. {CHOOSE_ANOTHER}"
        )
    return token


def _run(command: list[str], *, cwd: Path = REPO, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LocalStackTargetUnavailable(
            f"`{' '.join(command)}` failed ({result.returncode}):\n{result.stderr[-4000:]}"
        )
    return result.stdout


def build_images() -> None:
    """The Lambda image and the emulator image, exactly as compose builds them."""
    _run(["docker", "build", "-f", "services/Dockerfile", "-t", LAMBDA_IMAGE, "."])
    _run(["docker", "build", "-f", "localcloud.Dockerfile", "-t", EMULATOR_IMAGE, "."])


def terraform_apply(endpoint: str, state_dir: Path) -> dict[str, Any]:
    """Apply infra/ against LocalStack with its state in `state_dir`; return the outputs."""
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": REGION,
        "TF_DATA_DIR": str(state_dir / ".terraform"),
        "TF_IN_AUTOMATION": "1",
    }
    infra = REPO / "infra"
    state = str(state_dir / "terraform.tfstate")
    _run(["terraform", f"-chdir={infra}", "init", "-input=false"], env=env)
    _run(
        [
            "terraform",
            f"-chdir={infra}",
            "apply",
            "-input=false",
            "-auto-approve",
            f"-state={state}",
            "-var-file=envs/local.tfvars",
            f"-var=local_endpoint={endpoint}",
            f"-var=image_uri={LAMBDA_IMAGE}",
        ],
        env=env,
    )
    raw = _run(["terraform", f"-chdir={infra}", "output", f"-state={state}", "-json"], env=env)
    outputs: dict[str, Any] = {name: item["value"] for name, item in json.loads(raw).items()}
    return outputs


def wait_for_functions(
    function_names: list[str], *, timeout: float = FUNCTION_READY_SECONDS
) -> None:
    """Block until LocalStack reports every function Active (image functions start Pending)."""
    from localstack_client.session import Session

    lambda_client = Session(
        region_name=REGION, localstack_host=f"{ENDPOINT_HOST}:{EDGE_PORT}"
    ).client("lambda")
    deadline = time.monotonic() + timeout
    pending = set(function_names)
    while pending:
        for name in sorted(pending):
            state = lambda_client.get_function_configuration(FunctionName=name).get("State")
            if state == "Active":
                pending.discard(name)
            elif state == "Failed":
                raise LocalStackTargetUnavailable(f"LocalStack could not start function {name}")
        if pending and time.monotonic() > deadline:
            raise LocalStackTargetUnavailable(
                f"functions still not Active after {timeout:.0f}s: {', '.join(sorted(pending))}"
            )
        if pending:
            time.sleep(2.0)


def wait_for_http(url: str, *, timeout: float = 120.0) -> None:
    """Block until `url` answers 2xx (the stand-in's health endpoint)."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if 200 <= reply.status < 300:
                    return
                last = f"HTTP {reply.status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(1.0)
    raise LocalStackTargetUnavailable(f"{url} not ready after {timeout:.0f}s: {last}")


@contextmanager
def localstack_target() -> Iterator[Target]:
    """The whole stack on LocalStack; yields the Target the e2e suite drives."""
    token = check_prerequisites()
    from testcontainers.community.localstack import LocalStackContainer
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.network import Network

    from e2e.targets import Target

    build_images()
    with ExitStack() as stack:
        network = stack.enter_context(Network())
        localstack = (
            LocalStackContainer(image=LOCALSTACK_IMAGE, region_name=REGION)
            .with_env("LOCALSTACK_AUTH_TOKEN", token)
            .with_env("LAMBDA_DOCKER_NETWORK", network.name)
            .with_env("LAMBDA_DOCKER_FLAGS", "-e AWS_ENDPOINT_URL_TEXTRACT=http://textract:4566")
            .with_volume_mapping("/var/run/docker.sock", "/var/run/docker.sock", "rw")
            .with_volume_mapping(
                str(REPO / "localstack" / "init" / "ready.d"), "/etc/localstack/init/ready.d", "ro"
            )
            # A fixed host port: presigned S3 URLs made inside a function name port 4566.
            .with_bind_ports(EDGE_PORT, EDGE_PORT)
            .with_network(network)
            .with_network_aliases(ENDPOINT_HOST)
        )
        stack.enter_context(localstack)
        endpoint = f"http://{ENDPOINT_HOST}:{EDGE_PORT}"

        shared = os.environ.get("DOCUFLOW_SHARED_DIR", str(REPO.parent / "shared"))
        textract = (
            DockerContainer(EMULATOR_IMAGE)
            .with_command(
                "docuflow up --emulator-only --services textract --host 0.0.0.0 --port 4566"
            )
            .with_env("AWS_ENDPOINT_URL", endpoint)
            .with_env("AWS_ACCESS_KEY_ID", "test")
            .with_env("AWS_SECRET_ACCESS_KEY", "test")
            .with_env("AWS_DEFAULT_REGION", REGION)
            .with_env("DOCUFLOW_SHARED_DIR", "/shared")
            .with_volume_mapping(shared, "/shared", "ro")
            .with_exposed_ports(EDGE_PORT)
            .with_network(network)
            .with_network_aliases("textract")
        )
        stack.enter_context(textract)
        host, port = textract.get_container_host_ip(), textract.get_exposed_port(EDGE_PORT)
        control_url = f"http://{host}:{port}/_docuflow"
        wait_for_http(f"{control_url}/health")

        state_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="docuflow-ls-")))
        outputs = terraform_apply(endpoint, state_dir)
        wait_for_functions(sorted(outputs["function_names"].values()))
        yield Target(api_base_url=str(outputs["api_url"]), control_url=control_url)
