"""An in-process local cloud on a free port, shared by the emulator tests of one worker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from docuflow_tools.localcloud.ports import free_port
from docuflow_tools.localcloud.server import LocalCloud


class Cloud:
    def __init__(self, cloud: LocalCloud, logs: list[tuple[str, str]]) -> None:
        self.cloud = cloud
        self.endpoint = cloud.endpoint
        self.logs = logs

    def client(self, service: str) -> Any:
        """A client with the emulator's test credentials; S3's presigns with SigV4, as the
        functions' client does (SigV2 links are refused, as on S3 for new buckets)."""
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(signature_version="s3v4") if service == "s3" else None,
        )


@pytest.fixture(scope="session")
def cloud() -> Iterator[Cloud]:
    logs: list[tuple[str, str]] = []
    local = LocalCloud(
        port=free_port(), textract_latency=0.2, log=lambda name, line: logs.append((name, line))
    )
    local.start()
    try:
        yield Cloud(local, logs)
    finally:
        local.stop()
