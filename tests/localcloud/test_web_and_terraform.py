"""The web app server (static files, SPA fallback, generated config) and Terraform helpers."""

from __future__ import annotations

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
