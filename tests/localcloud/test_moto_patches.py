"""The moto patches apply to the moto they were written for, and refuse any other."""

from __future__ import annotations

import argparse
import os
import signal

import pytest

from docuflow_tools.localcloud import cli, moto_patches
from docuflow_tools.localcloud.ports import free_port


def test_the_installed_moto_is_the_one_the_patches_were_written_for() -> None:
    moto_patches.check_moto_version()
    assert moto_patches.installed_moto_version() == moto_patches.MOTO_VERSION


def test_another_moto_is_refused_before_anything_is_patched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a moto the patches were not written for
    monkeypatch.setattr(moto_patches, "installed_moto_version", lambda: "5.3.0")
    monkeypatch.delenv("MOTO_PORT", raising=False)
    # When the emulator configures it, then it refuses, naming both versions
    with pytest.raises(moto_patches.UnsupportedMotoVersion) as raised:
        moto_patches.configure_moto(4566, "us-east-1")
    message = str(raised.value)
    assert f"written for moto {moto_patches.MOTO_VERSION}" in message
    assert "moto 5.3.0 is installed" in message
    assert "MOTO_PORT" not in os.environ


def test_docuflow_up_says_so_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(moto_patches, "installed_moto_version", lambda: "5.3.0")
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # keep the worker's handlers
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(["--emulator-only", "--port", str(free_port())])
    assert cli.run(args) == 1
    error = capsys.readouterr().err
    assert "cannot start the emulator" in error
    assert "moto 5.3.0 is installed" in error


def test_moto_finds_its_services_without_listing_its_package_each_request() -> None:
    # Given the patch applied
    from moto import backends

    moto_patches._list_moto_modules_once()
    folder = os.path.dirname(backends.__file__)
    on_disk = sorted(
        name
        for name in os.listdir(folder)
        if os.path.isdir(os.path.join(folder, name)) and not name.startswith("__")
    )
    # When moto asks for its modules twice, Then both answers are the one list made once,
    # and it is what the package folder holds
    first, second = backends.list_of_moto_modules(), backends.list_of_moto_modules()
    assert first is second
    assert list(first) == on_disk
