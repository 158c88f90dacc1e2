"""One signed POST to a checked address (Standard Webhooks, ADR 0028).

The body is signed as sent: `webhook-signature` is `v1,<base64 HMAC-SHA256>` of
`<webhook-id>.<webhook-timestamp>.<body>` under the endpoint's secret (the
`standardwebhooks` package signs), one signature per valid secret, space-separated, while
a rotated-out secret is still valid. Redirects are not followed (a 3xx is a failed
attempt: following it would leave the checked address).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import urllib3
from standardwebhooks.webhooks import Webhook

from services.webhooks.targets import Target

USER_AGENT = "DocuFlow-Webhooks/1"
# What is read of a receiver's answer: its status is what counts.
_MAX_ANSWER_BYTES = 4096


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None


def signed_headers(
    secrets: Sequence[str], message_id: str, at: datetime, payload: str
) -> dict[str, str]:
    """The Standard Webhooks headers of `payload` sent at `at`."""
    signatures = [Webhook(secret).sign(message_id, at, payload) for secret in secrets]
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


def post(
    target: Target, address: str, headers: dict[str, str], body: bytes, *, timeout: float
) -> Outcome:
    """POST `body` to `address` (already checked) as `target`'s host; 2xx is success."""
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        try:
            response.read(_MAX_ANSWER_BYTES)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        pool.close()
    status = response.status
    if 200 <= status < 300:
        return Outcome(ok=True, status_code=status)
    return Outcome(ok=False, status_code=status, error=f"The receiver answered HTTP {status}.")
