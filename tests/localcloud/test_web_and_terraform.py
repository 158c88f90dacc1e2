"""The web app server (static files, SPA fallback, generated config) and Terraform helpers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from werkzeug.test import Client

from docuflow_tools.localcloud import terraform
from docuflow_tools.localcloud.web import StaticSite


@pytest.fixture
def site(tmp_path: Path) -> Client:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>app</html>")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    return Client(
        StaticSite(tmp_path, {"apiBaseUrl": "http://127.0.0.1:4566/_aws/execute-api/abc"})
    )


def test_config_json_points_the_app_at_the_api(site: Client) -> None:
    response = site.get("/config.json")
    assert response.status_code == 200
    assert json.loads(response.data) == {"apiBaseUrl": "http://127.0.0.1:4566/_aws/execute-api/abc"}
    assert response.headers["Cache-Control"] == "no-cache"


def test_files_are_served_and_app_routes_fall_back_to_index(site: Client) -> None:
    asset = site.get("/assets/app.js")
    assert asset.status_code == 200
    assert asset.data == b"console.log(1)"
    assert "javascript" in asset.headers["Content-Type"]
    route = site.get("/review/jobs/123")
    assert route.status_code == 200
    assert route.data == b"<html>app</html>"
    assert site.get("/assets/missing.js").status_code == 404
    assert site.get("/../../etc/passwd").data == b"<html>app</html>"
    assert site.post("/").status_code == 405


WORKER = "export const pages = 1;\n" * 2000  # text, like pdf.js's 1.2 MB worker


@pytest.fixture
def built(tmp_path: Path) -> Client:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>" + "<p>app</p>" * 300 + "</html>")
    (tmp_path / "assets" / "pdf.worker-Bx1c9.mjs").write_text(WORKER)
    (tmp_path / "assets" / "logo-Q7.png").write_bytes(b"\x89PNG" + bytes(4000))
    return Client(StaticSite(tmp_path, {"apiBaseUrl": "http://127.0.0.1:4566"}))


def test_text_is_sent_gzipped_to_browsers_that_accept_it(built: Client) -> None:
    # Given a browser that accepts gzip
    asset = built.get("/assets/pdf.worker-Bx1c9.mjs", headers={"Accept-Encoding": "gzip, br"})
    # Then the worker arrives compressed, and unpacks to the file
    assert asset.headers["Content-Encoding"] == "gzip"
    assert asset.headers["Vary"] == "Accept-Encoding"
    assert int(asset.headers["Content-Length"]) == len(asset.data) < len(WORKER) / 10
    assert gzip.decompress(asset.data).decode() == WORKER
    # A client that does not accept it (or refuses it with q=0) gets the plain bytes
    for accept in ("identity", "gzip;q=0"):
        plain = built.get("/assets/pdf.worker-Bx1c9.mjs", headers={"Accept-Encoding": accept})
        assert "Content-Encoding" not in plain.headers
        assert plain.data.decode() == WORKER
    # Images are not compressed again
    image = built.get("/assets/logo-Q7.png", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in image.headers


def test_hashed_assets_are_immutable_and_the_app_shell_is_revalidated(built: Client) -> None:
    asset = built.get("/assets/pdf.worker-Bx1c9.mjs")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in ("/", "/index.html", "/review/job-1"):
        shell = built.get(path, headers={"Accept-Encoding": "gzip"})
        assert shell.headers["Cache-Control"] == "no-cache"
        assert shell.headers["Content-Encoding"] == "gzip"
        # no-cache means "ask first": an unchanged shell answers 304 without a body
        again = built.get(path, headers={"If-None-Match": shell.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_a_changed_file_is_served_afresh(built: Client, tmp_path: Path) -> None:
    first = built.get("/", headers={"Accept-Encoding": "gzip"})
    (tmp_path / "index.html").write_text("<html>new build</html>" * 100)
    second = built.get(
        "/", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert second.status_code == 200
    assert gzip.decompress(second.data).decode() == "<html>new build</html>" * 100


def test_plugin_dir_prefers_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_PLUGIN_DIR", str(tmp_path))
    assert terraform.plugin_dir() == tmp_path
    monkeypatch.setenv("TF_PLUGIN_DIR", str(tmp_path / "missing"))
    found = terraform.plugin_dir()
    assert found is None or found == Path("/opt/tf-plugins")


def test_terraform_env_targets_the_emulator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "production")
    env = terraform.terraform_env("http://127.0.0.1:4999", tmp_path)
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4999"
    assert env["TF_DATA_DIR"] == str(tmp_path)
    assert env["AWS_ACCESS_KEY_ID"] == "test"
    assert "AWS_PROFILE" not in env
