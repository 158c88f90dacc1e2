"""The emulator as a server: the dispatcher on a threaded werkzeug server, plus the SQS
pollers that deliver event source mappings; `LocalCloud.start()` and `stop()`."""

from __future__ import annotations

import os
import threading
from typing import Any

from docuflow_tools.localcloud.dispatcher import REGION, SERVICES, LocalCloudApp
from docuflow_tools.localcloud.eventsources import SqsPoller
from docuflow_tools.localcloud.lambdas import LogSink, print_log
from docuflow_tools.localcloud.textract_recordings import RecordingIndex

DEFAULT_PORT = 4566


def _quiet_handler() -> type:
    """moto's request handler without a log line per request (errors still print)."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietHandler(MotoRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if str(code).startswith("5"):
                super().log_request(code, size)

    return QuietHandler


class LocalCloud:
    """The emulator as a server: start(), stop(), and the SQS pollers."""

    def __init__(
        self,
        *,
        port: int = DEFAULT_PORT,
        host: str = "127.0.0.1",
        textract_latency: float = 1.0,
        log: LogSink = print_log,
        pool_size: int | None = None,
        recordings: RecordingIndex | None = None,
        services: frozenset[str] = SERVICES,
    ) -> None:
        self.host = host
        self.port = port
        self.app = LocalCloudApp(
            port,
            textract_latency=textract_latency,
            log=log,
            pool_size=pool_size,
            recordings=recordings,
            services=services,
        )
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.poller: SqsPoller | None = None

    @property
    def endpoint(self) -> str:
        return self.app.endpoint

    def start(self) -> None:
        from werkzeug.serving import make_server

        self._server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=_quiet_handler()
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="localcloud"
        )
        self._thread.start()
        if "aws" not in self.app.services:
            return  # the Textract-only role has no queues to poll
        self.poller = SqsPoller(
            lambda_client=self.app.client("lambda"),
            sqs_client=self.app.client("sqs"),
            invoke=self.app.invoke,
            region=REGION,
            pollers_per_mapping=int(os.environ.get("DOCUFLOW_LOCALCLOUD_SQS_POLLERS", "2")),
        )
        self.poller.start()

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.app.close()
