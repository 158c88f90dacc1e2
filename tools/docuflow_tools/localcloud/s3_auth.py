"""S3's request authentication, checked in front of moto as S3 checks it.

moto 5.2.5 takes any presigned URL: an expired one, one whose signature was changed or
removed, one for another key, and a PUT without the headers the URL was signed with (so a
document under review could be replaced without `If-None-Match`, or stored as `text/html`).
It also takes anonymous PUTs. The emulator answers these requests itself, with S3's
status and XML error, before moto sees them:

- a presigned URL (SigV4 query parameters) is verified in full: the parameters are all
  there and well formed, the credential scope is this region's S3, the access key is one
  the emulator issued (`Credentials`), the session token is that key's, the link has not
  expired (`X-Amz-Date` + `X-Amz-Expires`), every `x-amz-*` header sent is signed, and the
  signature botocore computes from the request as received (method, path, query, the
  signed headers with the values sent) is the one in the URL. A signed header that is
  missing or carries another value (`Content-Type`, `If-None-Match`, `Content-Length`)
  changes that signature, as it does on S3;
- a SigV2 presigned URL gets S3's answer for buckets created since June 2020 (400);
- a request with no credentials at all is refused (403 AccessDenied): the emulator has
  no public buckets. CORS preflights (OPTIONS) are unauthenticated, as on S3.

Requests signed in the `Authorization` header (boto3, the Terraform provider, the
functions) go to moto as before: the emulator does not re-check those signatures.
"""

from __future__ import annotations

import base64
import calendar
import hmac
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from botocore.auth import SIGV4_TIMESTAMP, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

from docuflow_tools.localcloud.wsgi import headers_of

MAX_EXPIRES_SECONDS = 7 * 24 * 3600  # S3's limit for SigV4 presigned URLs
_QUERY_AUTH = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
)


@dataclass(frozen=True)
class Secret:
    """What the emulator knows of one access key: its secret and its session token."""

    secret_key: str
    session_token: str | None = None


Credentials = Callable[[str], Secret | None]
"""The secret of an access key the emulator issued, or None for an unknown key."""


@dataclass(frozen=True)
class S3Error:
    """An S3 error answer: status, code, message and the extra elements S3 adds."""

    status: int
    code: str
    message: str
    details: tuple[tuple[str, str], ...] = ()

    def xml(self) -> bytes:
        """The body S3 sends: `<Error>` with Code, Message, the details, RequestId, HostId."""
        parts = [
            f"<Code>{self.code}</Code>",
            f"<Message>{escape(self.message)}</Message>",
            *(f"<{name}>{escape(value)}</{name}>" for name, value in self.details),
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId>",
            f"<HostId>{base64.b64encode(os.urandom(48)).decode()}</HostId>",
        ]
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(parts) + "</Error>"
        return body.encode()


def _query_error(message: str, *details: tuple[str, str]) -> S3Error:
    return S3Error(400, "AuthorizationQueryParametersError", message, details)


def query_pairs(query_string: str) -> list[tuple[str, str]]:
    """The query's (name, value) pairs, decoded, in order ("+" is a plus, as in SigV4)."""
    pairs = []
    for part in query_string.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


class S3Authenticator:
    """Decides whether a request to S3 may reach moto; `check` returns S3's refusal."""

    def __init__(
        self, credentials: Credentials, region: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.credentials = credentials
        self.region = region
        self.clock = clock

    def check(self, environ: Mapping[str, Any]) -> S3Error | None:
        """None when S3 would accept the request's authentication, else S3's error."""
        if environ.get("REQUEST_METHOD", "GET").upper() == "OPTIONS":
            return None  # CORS preflights carry no credentials, on S3 too
        if environ.get("HTTP_AUTHORIZATION"):
            return None  # header-signed: boto3, Terraform, the functions
        pairs = query_pairs(str(environ.get("QUERY_STRING", "")))
        names = {name for name, _ in pairs}
        if names & {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"}:
            return self._check_presigned(environ, pairs)
        if {"AWSAccessKeyId", "Signature"} <= names:
            return S3Error(
                400,
                "InvalidRequest",
                "The authorization mechanism you have provided is not supported. "
                "Please use AWS4-HMAC-SHA256.",
            )
        return S3Error(403, "AccessDenied", "Access Denied")

    def _check_presigned(
        self, environ: Mapping[str, Any], pairs: list[tuple[str, str]]
    ) -> S3Error | None:
        params = dict(pairs)
        refused = self._check_parameters(params)
        if refused is not None:
            return refused
        access_key = params["X-Amz-Credential"].split("/")[0]
        secret = self.credentials(access_key)
        if secret is None:
            return S3Error(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
                (("AWSAccessKeyId", access_key),),
            )
        signed_at = calendar.timegm(time.strptime(params["X-Amz-Date"], SIGV4_TIMESTAMP))
        expires = int(params["X-Amz-Expires"])
        now = self.clock()
        if now > signed_at + expires:
            return S3Error(
                403,
                "AccessDenied",
                "Request has expired",
                (
                    ("X-Amz-Expires", str(expires)),
                    ("Expires", _iso(signed_at + expires)),
                    ("ServerTime", _iso(now)),
                ),
            )
        if params.get("X-Amz-Security-Token") != secret.session_token:
            return S3Error(
                400, "InvalidToken", "The provided token is malformed or otherwise invalid."
            )
        return self._check_signature(environ, pairs, params, access_key, secret)

    def _check_parameters(self, params: dict[str, str]) -> S3Error | None:  # noqa: PLR0911
        """S3's checks of the query parameters themselves (400s), in its order."""
        if any(name not in params for name in _QUERY_AUTH):
            return _query_error(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                "X-Amz-Expires parameters."
            )
        if params["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256":
            return _query_error('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"')
        scope = params["X-Amz-Credential"].split("/")
        if len(scope) != 5:
            return _query_error(
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
                'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
            )
        refused = self._check_scope(*scope[2:])
        if refused is not None:
            return refused
        amz_date = params["X-Amz-Date"]
        try:
            time.strptime(amz_date, SIGV4_TIMESTAMP)
        except ValueError:
            return _query_error(
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
            )
        if scope[1] != amz_date[:8]:
            return _query_error("Invalid credential date. Date is not the same as X-Amz-Date.")
        expires = params["X-Amz-Expires"]
        if not expires.lstrip("-").isdigit():
            return _query_error("X-Amz-Expires should be a number")
        if int(expires) < 0:
            return _query_error("X-Amz-Expires must be non-negative")
        if int(expires) > MAX_EXPIRES_SECONDS:
            return _query_error(
                "X-Amz-Expires must be less than a week (in seconds) that is 604800"
            )
        return None

    def _check_scope(self, region: str, service: str, terminal: str) -> S3Error | None:
        if region != self.region:
            return _query_error(
                "Error parsing the X-Amz-Credential parameter; the region "
                f"'{region}' is wrong; expecting '{self.region}'",
                ("Region", self.region),
            )
        if service != "s3":
            return _query_error(
                "Error parsing the X-Amz-Credential parameter; incorrect service "
                f"'{service}'. This endpoint belongs to 's3'."
            )
        if terminal != "aws4_request":
            return _query_error(
                "Error parsing the X-Amz-Credential parameter; incorrect terminal "
                f"'{terminal}'. This endpoint uses 'aws4_request'."
            )
        return None

    def _check_signature(
        self,
        environ: Mapping[str, Any],
        pairs: list[tuple[str, str]],
        params: dict[str, str],
        access_key: str,
        secret: Secret,
    ) -> S3Error | None:
        signed = [name for name in params["X-Amz-SignedHeaders"].split(";") if name]
        sent = headers_of(dict(environ))
        unsigned = sorted(
            {name.lower() for name, _ in sent if name.lower().startswith("x-amz-")} - set(signed)
        )
        if unsigned:
            return S3Error(
                403,
                "AccessDenied",
                "There were headers present in the request which were not signed",
                (("HeadersNotSigned", ", ".join(unsigned)),),
            )
        request = AWSRequest(
            method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
            # The canonical URI: the path as received, URI-encoded once (S3 does not
            # normalize it); WSGI hands it over decoded, as latin-1.
            url="http://host" + quote(str(environ.get("PATH_INFO", "/")).encode("latin-1"), "/~"),
            # Pairs, not a dict: botocore's canonical query takes repeated names too.
            params=cast(Any, [(name, value) for name, value in pairs if name != "X-Amz-Signature"]),
        )
        for name, value in sent:
            if name.lower() in signed:
                request.headers.add_header(name.lower(), value)
        request.context["timestamp"] = params["X-Amz-Date"]
        signer = S3SigV4QueryAuth(
            ReadOnlyCredentials(access_key, secret.secret_key, secret.session_token),
            "s3",
            self.region,
            expires=int(params["X-Amz-Expires"]),
        )
        canonical = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical)
        expected = signer.signature(string_to_sign, request)
        if hmac.compare_digest(expected, params["X-Amz-Signature"]):
            return None
        return S3Error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
            (
                ("AWSAccessKeyId", access_key),
                ("StringToSign", string_to_sign),
                ("SignatureProvided", params["X-Amz-Signature"]),
                ("CanonicalRequest", canonical),
            ),
        )


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
