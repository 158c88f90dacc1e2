"""Serves the built web app (`frontend/dist`) with an SPA fallback and a generated
`/config.json` ({"apiBaseUrl": ...}) that the app reads when it starts; text compressed,
hashed assets cached for good and the rest revalidated."""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.http import parse_accept_header, parse_etags, quote_etag

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


# Worth compressing: text of any kind (the pdf.js worker alone is 1.2 MB of JavaScript).
# Images, PDFs and fonts are compressed already.
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
_MIN_COMPRESS_BYTES = 1024


@dataclass(frozen=True)
class _Body:
    """One file's bytes as served: plain, gzip-compressed (when worth it) and its ETag
    (unquoted)."""

    data: bytes
    gzipped: bytes | None
    etag: str


def _body(data: bytes, content_type: str) -> _Body:
    compress = content_type.startswith(_COMPRESSIBLE) and len(data) >= _MIN_COMPRESS_BYTES
    return _Body(
        data=data,
        gzipped=gzip.compress(data, compresslevel=9, mtime=0) if compress else None,
        etag=hashlib.sha256(data).hexdigest()[:32],
    )


class StaticSite:
    """WSGI app: files under `root`, index.html for any other GET, and /config.json.

    Text is sent gzip-compressed to browsers that accept it (compressed once per file
    version and kept); Vite's content-hashed files under /assets/ are cached for a year
    as immutable, everything else (index.html, config.json, the demo data) is
    `no-cache` with an ETag, so a browser revalidates it and gets a 304 when unchanged.
    """

    def __init__(self, root: Path, config: dict[str, Any]) -> None:
        self.root = root.resolve()
        self.config = _body(json.dumps(config).encode(), "application/json")
        self._files: dict[Path, tuple[tuple[int, int], _Body]] = {}
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
            return [b""]
        if path == "/config.json":
            return self._send(environ, start_response, self.config, "application/json", False)
        candidate = (self.root / path.lstrip("/")).resolve()
        inside = candidate == self.root or self.root in candidate.parents
        if not inside or not candidate.is_file():
            last = path.rsplit("/", 1)[-1]
            if "." in last:  # a missing asset is a 404, not the app shell
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"not found"]
            candidate = self.root / "index.html"
        content_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        immutable = candidate.parent == self.root / "assets"
        return self._send(
            environ, start_response, self._file(candidate, content_type), content_type, immutable
        )

    def _file(self, path: Path, content_type: str) -> _Body:
        """The file's body, compressed once per version (size and mtime) of the file."""
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._files.get(path)
        if known is not None and known[0] == version:
            return known[1]
        body = _body(path.read_bytes(), content_type)
        with self._lock:
            self._files[path] = (version, body)
        return body

    @staticmethod
    def _send(
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        body: _Body,
        content_type: str,
        immutable: bool,
    ) -> list[bytes]:
        headers = [
            ("Content-Type", content_type),
            (
                "Cache-Control",
                "public, max-age=31536000, immutable" if immutable else "no-cache",
            ),
            ("ETag", quote_etag(body.etag)),
        ]
        if body.gzipped is not None:
            headers.append(("Vary", "Accept-Encoding"))
        if body.etag in parse_etags(environ.get("HTTP_IF_NONE_MATCH")):
            start_response("304 Not Modified", headers)
            return [b""]
        data = body.data
        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))
        if body.gzipped is not None and accepted.quality("gzip") > 0:
            data = body.gzipped
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(data))))
        start_response("200 OK", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else data]


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
