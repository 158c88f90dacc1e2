"""`make test-e2e` rebuilds the web app before serving it, and stops on a failed build;
checked with a recording `npm` on PATH."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from e2e import runner

FAKE_NPM = """#!{python}
import os, pathlib, sys
with open({calls!r}, "a") as calls:
    calls.write(" ".join(sys.argv[1:]) + "\\n")
if os.environ.get("FAKE_NPM_FAIL"):
    sys.exit(3)
dist = pathlib.Path.cwd() / "dist"
dist.mkdir(exist_ok=True)
if not os.environ.get("FAKE_NPM_NO_DIST"):
    (dist / "index.html").write_text("<html>fresh</html>")
"""


@pytest.fixture
def npm_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "npm-calls.txt"
    script = bin_dir / "npm"
    script.write_text(FAKE_NPM.format(python=sys.executable, calls=str(calls)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.delenv("FAKE_NPM_FAIL", raising=False)
    monkeypatch.delenv("FAKE_NPM_NO_DIST", raising=False)
    return calls


def _frontend(root: Path, scripts: dict[str, str]) -> Path:
    frontend = root / "frontend"
    frontend.mkdir()
    (frontend / "package.json").write_text(json.dumps({"scripts": scripts}))
    return frontend


def test_an_existing_build_is_rebuilt(tmp_path: Path, npm_calls: Path) -> None:
    frontend = _frontend(tmp_path, {"build": "vite build", "test:e2e": "playwright test"})
    (frontend / "dist").mkdir()
    (frontend / "dist" / "index.html").write_text("<html>stale</html>")
    assert runner.build_frontend(frontend) is True
    assert npm_calls.read_text().splitlines() == ["run build"]
    assert (frontend / "dist" / "index.html").read_text() == "<html>fresh</html>"


def test_a_failed_build_fails_clearly(
    tmp_path: Path, npm_calls: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frontend = _frontend(tmp_path, {"build": "vite build"})
    monkeypatch.setenv("FAKE_NPM_FAIL", "1")
    with pytest.raises(runner.BuildFailed, match="exited 3"):
        runner.build_frontend(frontend)


def test_a_build_without_index_html_fails(
    tmp_path: Path, npm_calls: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frontend = _frontend(tmp_path, {"build": "vite build"})
    monkeypatch.setenv("FAKE_NPM_NO_DIST", "1")
    with pytest.raises(runner.BuildFailed, match=r"no dist/index\.html"):
        runner.build_frontend(frontend)


def test_nothing_to_build_without_package_json_or_build_script(
    tmp_path: Path, npm_calls: Path
) -> None:
    assert runner.build_frontend(tmp_path / "absent") is False
    assert runner.build_frontend(_frontend(tmp_path, {"test": "vitest"})) is False
    assert not npm_calls.exists()


def test_main_stops_before_starting_a_cloud_when_the_build_fails(
    tmp_path: Path, npm_calls: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frontend = _frontend(tmp_path, {"build": "vite build", "test:e2e": "playwright test"})
    monkeypatch.setattr(runner, "FRONTEND_DIR", frontend)
    monkeypatch.setenv("FAKE_NPM_FAIL", "1")

    def no_cloud(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cloud was started after a failed build")

    monkeypatch.setattr(runner, "UpProcess", no_cloud)
    assert runner.main(["--port", "1"]) == 1


def test_the_fuzzer_and_the_pipeline_tests_are_two_xdist_groups(tmp_path: Path) -> None:
    """With `--workers 2` (`--dist loadgroup`) the fuzzer runs on one worker and every
    other e2e test on the other, in order, since some share the stand-in's fault switches."""
    from e2e import conftest

    class Item:
        def __init__(self, name: str) -> None:
            self.path = tmp_path / name
            self.markers: list[pytest.MarkDecorator] = []

        def add_marker(self, marker: pytest.MarkDecorator) -> None:
            self.markers.append(marker)

    items = [Item(name) for name in ("test_schemathesis.py", "test_flow.py", "test_auth.py")]
    conftest.pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    groups = [[m.args for m in item.markers if m.name == "xdist_group"] for item in items]
    assert groups == [[("fuzzer",)], [("pipeline",)], [("pipeline",)]]
