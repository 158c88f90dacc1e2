"""How `docuflow up` is started as a child (e2e runner, e2e suite, pipeline benchmark):
its options and the ports it gets."""

from __future__ import annotations

import socket

import pytest

from docuflow_tools.localcloud import up_process
from docuflow_tools.localcloud.ports import free_port, port_is_free, preferred_or_free
from docuflow_tools.localcloud.up_process import up_arguments


def test_a_taken_port_is_replaced_by_a_free_one() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = int(busy.getsockname()[1])
        assert not port_is_free(taken)
        other = preferred_or_free(taken)
        assert other != taken
        assert port_is_free(other)
    free = free_port()
    assert preferred_or_free(free) == free


def test_the_web_app_asks_for_4173_and_takes_what_is_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert up_arguments(4600, web=False) == ["up", "--port", "4600", "--no-web"]
    assert up_arguments(4600, web=True, web_port=4625) == [
        "up",
        "--port",
        "4600",
        "--web-port",
        "4625",
    ]
    asked: list[int] = []

    def taken(port: int) -> int:
        asked.append(port)
        return 4999

    monkeypatch.setattr(up_process, "preferred_or_free", taken)
    assert up_arguments(4600, web=True) == ["up", "--port", "4600", "--web-port", "4999"]
    assert asked == [4173]
