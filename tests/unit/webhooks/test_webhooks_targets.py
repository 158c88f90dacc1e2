"""Where a webhook may point: https to public addresses only, checked on the resolved
address; loopback only when the local cloud allows it."""

from __future__ import annotations

import random

import pytest

from services.common.errors import InvalidWebhookUrl
from services.webhooks.logic.delivery import MAX_DELAY_SECONDS, retry_delay
from services.webhooks.targets import checked_address, parse_target


@pytest.mark.parametrize(
    "url",
    [
        "http://erp.example.com/hook",  # not https
        "ftp://erp.example.com/hook",
        "https://user:pw@erp.example.com/hook",  # credentials in the URL
        "https://10.0.0.5/hook",  # private
        "https://192.168.1.1/hook",
        "https://172.16.0.1/hook",
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://169.254.169.254/latest/meta-data/",  # link-local: instance metadata
        "https://127.0.0.1/hook",  # loopback
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",  # IPv4-mapped private
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",  # multicast
        "https://localhost/hook",
        "https:///hook",  # no host
        "https://erp.example.com/hook#frag",
        "https://erp.example.com/ho ok",
        "https://erp.example.com:99999/hook",  # port out of range
        "https://" + "a" * 2100 + ".com/",
    ],
)
def test_urls_no_webhook_may_use_are_refused(url: str) -> None:
    with pytest.raises(InvalidWebhookUrl):
        parse_target(url, allow_loopback=False)


def test_a_public_https_url_is_taken_apart() -> None:
    target = parse_target("https://ERP.example.com:8443/hooks/in?x=1", allow_loopback=False)
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "erp.example.com",
        8443,
        "/hooks/in?x=1",
    )


def test_the_local_cloud_may_use_a_receiver_on_loopback_over_http() -> None:
    target = parse_target("http://127.0.0.1:8123/hook", allow_loopback=True)
    assert (target.scheme, target.host, target.port) == ("http", "127.0.0.1", 8123)
    # but still nothing private, and no plain http to anywhere else
    for url in ("http://10.0.0.5/hook", "http://erp.example.com/hook"):
        with pytest.raises(InvalidWebhookUrl):
            parse_target(url, allow_loopback=True)


def resolving_to(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


def test_the_address_connected_to_is_the_checked_one() -> None:
    target = parse_target("https://erp.example.com/hook", allow_loopback=False)
    address = checked_address(
        target, allow_loopback=False, resolve=resolving_to("93.184.215.14", "2606:2800::1")
    )
    assert address == "93.184.215.14"


@pytest.mark.parametrize(
    "addresses",
    [
        ("10.1.2.3",),
        ("93.184.215.14", "127.0.0.1"),  # one public, one loopback: refused entirely
        ("169.254.169.254",),
        ("fd00::1",),
        (),
    ],
)
def test_a_name_that_resolves_to_a_refused_address_is_not_sent_to(
    addresses: tuple[str, ...],
) -> None:
    target = parse_target("https://rebinding.example.com/hook", allow_loopback=False)
    with pytest.raises(InvalidWebhookUrl):
        checked_address(target, allow_loopback=False, resolve=resolving_to(*addresses))


def test_a_name_that_does_not_resolve_is_a_failed_attempt() -> None:
    def fails(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    target = parse_target("https://nowhere.example.com/hook", allow_loopback=False)
    with pytest.raises(InvalidWebhookUrl, match="does not resolve"):
        checked_address(target, allow_loopback=False, resolve=fails)


def test_retries_back_off_exponentially_with_jitter_for_about_a_day() -> None:
    rng = random.Random(7)
    delays = [retry_delay(n, 10, rng) for n in range(1, 10)]
    # each wait lies between half and all of base * 4^(n-1), capped at 8 hours
    for n, delay in enumerate(delays, start=1):
        full = min(MAX_DELAY_SECONDS, 10 * 4 ** (n - 1))
        assert full / 2 <= delay <= full
    # the ten attempts of the default policy span between half a day and a day and a half
    assert 12 * 3600 <= sum(delays) <= 36 * 3600
    # and two deliveries that failed together are not retried together
    assert retry_delay(5, 10, random.Random(1)) != retry_delay(5, 10, random.Random(2))
