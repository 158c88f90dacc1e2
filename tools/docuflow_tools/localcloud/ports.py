"""Choosing a TCP port on 127.0.0.1 for a local cloud or its web app."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def preferred_or_free(port: int) -> int:
    """`port` when nothing listens on it, else any free port."""
    return port if port_is_free(port) else free_port()
