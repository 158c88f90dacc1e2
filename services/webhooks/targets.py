"""Where a webhook may point, and the address it is sent to (ADR 0028).

A receiver is named by an HTTPS URL. Before every delivery its host name is resolved, every
address checked, and the request made to that checked address (with the host name for TLS
and `Host`), so a name that resolves to something else a moment later (DNS rebinding)
cannot redirect it. Private, loopback, link-local, multicast, reserved and unspecified
addresses are refused. The one exception, for the local cloud (`allow_loopback`, set only
by envs/local.tfvars), is a receiver on 127.0.0.1 / ::1 / localhost over plain HTTP or
HTTPS.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from services.common.errors import InvalidWebhookUrl

MAX_URL_CHARS = 2048
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name, for TLS (SNI, certificate) and the Host header
    port: int
    path: str  # path and query, as sent


def parse_target(url: str, *, allow_loopback: bool) -> Target:
    """The parts of a webhook URL, or InvalidWebhookUrl saying what is wrong with it."""
    if len(url) > MAX_URL_CHARS:
        raise InvalidWebhookUrl(f"The URL is longer than {MAX_URL_CHARS} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidWebhookUrl(f"The URL cannot be read: {exc}.") from exc
    host = (parts.hostname or "").lower()
    if not host:
        raise InvalidWebhookUrl("The URL names no host.")
    loopback = host in _LOOPBACK_NAMES
    if parts.scheme != "https" and not (allow_loopback and loopback and parts.scheme == "http"):
        raise InvalidWebhookUrl("Webhook URLs must use https.")
    if parts.username is not None or parts.password is not None:
        raise InvalidWebhookUrl("Webhook URLs may not carry a user name or password.")
    if parts.fragment:
        raise InvalidWebhookUrl("Webhook URLs may not have a #fragment.")
    if any(ord(c) < 0x21 or ord(c) > 0x7E for c in url):
        raise InvalidWebhookUrl("Webhook URLs must be plain ASCII without spaces.")
    literal = _ip(host)
    if literal is not None and not _allowed(literal, allow_loopback=allow_loopback):
        raise InvalidWebhookUrl(f"{host} is not a public address.")
    if host == "localhost" and not allow_loopback:
        raise InvalidWebhookUrl("localhost is not a public address.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(
        scheme=parts.scheme,
        host=host,
        port=port or (443 if parts.scheme == "https" else 80),
        path=path,
    )


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _allowed(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_loopback: bool
) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return allow_loopback
    # is_global is False for private, shared (100.64/10), link-local (169.254/16, the
    # instance metadata service among them), reserved, documentation and unspecified
    # ranges; multicast is refused on its own.
    return address.is_global and not address.is_multicast


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (A and AAAA)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def checked_address(target: Target, *, allow_loopback: bool, resolve: Resolver) -> str:
    """The address to connect to: the host resolved, every address checked. Refused
    (InvalidWebhookUrl) when any is not allowed, so an attacker's name that resolves to
    one public and one private address gets nothing."""
    literal = _ip(target.host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve(target.host, target.port)
        except OSError as exc:
            raise InvalidWebhookUrl(f"{target.host} does not resolve ({exc}).") from exc
    if not addresses:
        raise InvalidWebhookUrl(f"{target.host} does not resolve.")
    for address in addresses:
        parsed = _ip(address.split("%", 1)[0])
        if parsed is None or not _allowed(parsed, allow_loopback=allow_loopback):
            raise InvalidWebhookUrl(f"{target.host} resolves to {address}, not a public address.")
    return addresses[0]
