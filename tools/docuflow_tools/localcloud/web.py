"""Serves the built web app (`frontend/dist`) with an SPA fallback and a generated
`/config.json` ({"apiBaseUrl": ...}) that the app reads when it starts."""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docuflow_tools.paths import REPO_ROOT

DIST_DIR = REPO_ROOT / "frontend" / "dist"
DEFAULT_WEB_PORT = 4173


def web_origins(port: int) -> list[str]:
    """The origins a browser sends for the web app served on `port` (both host names a
    person may type), then those of the default port that `envs/local.tfvars` lists, so a
    second web server on 4173 keeps working. `docuflow up` gives them to Terraform as
    `web_origins`: the API's and the bucket's CORS allow exactly these."""
    origins: list[str] = []
    for candidate in (port, DEFAULT_WEB_PORT):
        for host in ("127.0.0.1", "localhost"):
            origin = f"http://{host}:{candidate}"
            if origin not in origins:
                origins.append(origin)
    return origins


class StaticSite:
    """WSGI app: files under `root`, index.html for any other GET, and /config.json."""

    def __init__(self, root: Path, config: dict[str, Any]) -> None:
        self.root = root.resolve()
        self.config = json.dumps(config).encode()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
            return [b""]
        if path == "/config.json":
            return self._send(start_response, self.config, "application/json", method, cache=False)
        candidate = (self.root / path.lstrip("/")).resolve()
        inside = candidate == self.root or self.root in candidate.parents
        if not inside or not candidate.is_file():
            last = path.rsplit("/", 1)[-1]
            if "." in last:  # a missing asset is a 404, not the app shell
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"not found"]
            candidate = self.root / "index.html"
        content_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        cache = "/assets/" in path
        return self._send(start_response, candidate.read_bytes(), content_type, method, cache=cache)

    @staticmethod
    def _send(
        start_response: Callable[..., Any], body: bytes, content_type: str, method: str, cache: bool
    ) -> list[bytes]:
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "public, max-age=31536000, immutable" if cache else "no-cache"),
        ]
        start_response("200 OK", headers)
        return [b"" if method == "HEAD" else body]


class WebServer:
    def __init__(
        self,
        api_base_url: str,
        port: int = DEFAULT_WEB_PORT,
        root: Path = DIST_DIR,
        auth: dict[str, str] | None = None,
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        # `auth`: the user pool the app signs in to (userPoolId, userPoolClientId and the
        # emulator's Cognito endpoint), the same client the app uses on AWS.
        config: dict[str, Any] = {"apiBaseUrl": api_base_url}
        if auth:
            config["auth"] = auth
        self.site = StaticSite(root, config)
        self._server: Any = None

    def start(self) -> None:
        from werkzeug.serving import make_server

        self._server = make_server("127.0.0.1", self.port, self.site, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="web").start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
