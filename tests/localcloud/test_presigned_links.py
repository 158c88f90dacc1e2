"""Presigned links on the emulator are checked as S3 checks them: the links the functions
make (docuflow.dal.documents) work as meant, and expired, unsigned or tampered ones, and
uploads without the signed headers or with another type or size, get S3's refusal."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import boto3
import botocore.auth
import pytest
import requests
from botocore.config import Config

from docuflow.dal.documents import DocumentStore, upload_headers
from tests.localcloud.helpers import unique

PDF = b"%PDF-1.4\n" + b"0" * 91  # 100 bytes


@dataclass
class Links:
    store: DocumentStore  # signs as the functions do, with their credentials
    s3: Any  # the test credentials' client, for arranging and checking

    def key(self) -> str:
        return f"raw/clerk/{unique('job')}/invoice.pdf"


@pytest.fixture
def links(cloud: Any) -> Iterator[Links]:
    credentials = cloud.cloud.app.credentials
    functions_s3 = boto3.client(
        "s3",
        endpoint_url=cloud.endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials.access_key,
        aws_secret_access_key=credentials.secret_key,
        aws_session_token=credentials.session_token,
        config=Config(signature_version="s3v4"),
    )
    s3 = cloud.client("s3")
    bucket = unique("raw")
    s3.create_bucket(Bucket=bucket)
    yield Links(DocumentStore(functions_s3, bucket), s3)


def error_code(response: requests.Response) -> str:
    return str(ET.fromstring(response.content).findtext("Code"))


def put(url: str, data: bytes = PDF, headers: dict[str, str] | None = None) -> requests.Response:
    sent = upload_headers("application/pdf") if headers is None else headers
    return requests.put(url, data=data, headers=sent, timeout=30)


def with_query(url: str, **changes: str | None) -> str:
    """`url` with query parameters replaced (a value) or removed (None)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in changes]
    query += [(k, v) for k, v in changes.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_an_upload_link_takes_the_document_once_with_its_signed_headers(links: Links) -> None:
    key = links.key()
    url = links.store.presign_put(key, "application/pdf", 300, size_bytes=len(PDF))
    assert "content-length" in dict(parse_qsl(urlsplit(url).query))["X-Amz-SignedHeaders"]
    stored = put(url)
    assert stored.status_code == 200, stored.text
    head = links.s3.head_object(Bucket=links.store.bucket, Key=key)
    assert head["ContentType"] == "application/pdf" and head["ContentLength"] == len(PDF)
    # The same link again, with its headers: the object exists, If-None-Match refuses it
    again = put(url, data=b"%PDF-1.4\n" + b"1" * 91)
    assert again.status_code == 412, again.text
    assert links.s3.get_object(Bucket=links.store.bucket, Key=key)["Body"].read() == PDF


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("no If-None-Match", 403, "SignatureDoesNotMatch"),
        ("text/html", 403, "SignatureDoesNotMatch"),
        ("one byte more", 403, "SignatureDoesNotMatch"),
        ("one byte less", 403, "SignatureDoesNotMatch"),
        ("another key", 403, "SignatureDoesNotMatch"),
        ("signature changed", 403, "SignatureDoesNotMatch"),
        ("expiry lengthened", 403, "SignatureDoesNotMatch"),
        ("signature removed", 400, "AuthorizationQueryParametersError"),
        ("no query at all", 403, "AccessDenied"),
        ("unsigned x-amz header", 403, "AccessDenied"),
        ("another session token", 400, "InvalidToken"),
        ("unknown access key", 403, "InvalidAccessKeyId"),
        ("another region", 400, "AuthorizationQueryParametersError"),
    ],
)
def test_a_tampered_upload_is_refused_and_stores_nothing(
    links: Links, case: str, status: int, code: str
) -> None:
    # Given a link for a 100-byte PDF
    key = links.key()
    url = links.store.presign_put(key, "application/pdf", 300, size_bytes=len(PDF))
    query = dict(parse_qsl(urlsplit(url).query))
    headers, data = upload_headers("application/pdf"), PDF
    # When the request differs from what was signed
    if case == "no If-None-Match":
        headers.pop("If-None-Match")
    elif case == "text/html":
        headers["Content-Type"] = "text/html"
    elif case == "one byte more":
        data = PDF + b"0"
    elif case == "one byte less":
        data = PDF[:-1]
    elif case == "another key":
        url = url.replace("/invoice.pdf?", "/other.html?")
    elif case == "signature changed":
        flipped = "0" if query["X-Amz-Signature"][0] != "0" else "1"
        url = with_query(url, **{"X-Amz-Signature": flipped + query["X-Amz-Signature"][1:]})
    elif case == "expiry lengthened":
        url = with_query(url, **{"X-Amz-Expires": "604800"})
    elif case == "signature removed":
        url = with_query(url, **{"X-Amz-Signature": None})
    elif case == "no query at all":
        url = url.split("?", 1)[0]
    elif case == "unsigned x-amz header":
        headers["x-amz-meta-note"] = "added"
    elif case == "another session token":
        url = with_query(url, **{"X-Amz-Security-Token": "forged"})
    elif case == "unknown access key":
        scope = query["X-Amz-Credential"].split("/", 1)[1]
        url = with_query(url, **{"X-Amz-Credential": f"ASIAUNKNOWNKEY00000/{scope}"})
    elif case == "another region":
        url = with_query(
            url, **{"X-Amz-Credential": query["X-Amz-Credential"].replace("us-east-1", "eu-west-1")}
        )
    answer = put(url, data=data, headers=headers)
    # Then S3's refusal, as XML, and nothing is stored
    assert answer.status_code == status, answer.text
    assert error_code(answer) == code
    listed = links.s3.list_objects_v2(Bucket=links.store.bucket).get("Contents", [])
    assert listed == []


def test_an_expired_link_is_refused(links: Links, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given links signed an hour ago for five minutes
    key = links.key()
    links.s3.put_object(Bucket=links.store.bucket, Key=key, Body=PDF, ContentType="application/pdf")
    an_hour_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: an_hour_ago)
    download = links.store.presign_get(key, 300, content_type="application/pdf")
    upload = links.store.presign_put(links.key(), "application/pdf", 300)
    monkeypatch.undo()
    # When they are used, then S3 says they expired
    for answer in (requests.get(download, timeout=30), put(upload)):
        assert answer.status_code == 403, answer.text
        assert error_code(answer) == "AccessDenied"
        assert ET.fromstring(answer.content).findtext("Message") == "Request has expired"


def test_a_sigv2_link_and_an_anonymous_request_are_refused(links: Links, cloud: Any) -> None:
    key = links.key()
    links.s3.put_object(Bucket=links.store.bucket, Key=key, Body=PDF, ContentType="application/pdf")
    sigv2 = boto3.client(
        "s3",
        endpoint_url=cloud.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(signature_version="s3"),
    ).generate_presigned_url("get_object", Params={"Bucket": links.store.bucket, "Key": key})
    answer = requests.get(sigv2, timeout=30)
    assert answer.status_code == 400 and error_code(answer) == "InvalidRequest"
    anonymous = requests.put(f"{cloud.endpoint}/{links.store.bucket}/raw/x/y/z.pdf", data=PDF)
    assert anonymous.status_code == 403 and error_code(anonymous) == "AccessDenied"
    assert links.s3.list_objects_v2(Bucket=links.store.bucket)["KeyCount"] == 1


def test_a_download_link_serves_an_attachment_of_the_jobs_type_never_html(links: Links) -> None:
    # Given an object stored as text/html (written with credentials, not through a link)
    key = "raw/clerk/job-1/März invoice.pdf"
    html = b"<html><script>alert(1)</script></html>"
    links.s3.put_object(Bucket=links.store.bucket, Key=key, Body=html, ContentType="text/html")
    # When the review's link for the job's document is opened
    answer = requests.get(links.store.presign_get(key, 300, content_type="application/pdf"))
    # Then it is a download of the job's type, named after the document
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"] == "application/pdf"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="M_rz invoice.pdf"')
    assert "filename*=UTF-8''M%C3%A4rz%20invoice.pdf" in disposition
    # and the link cannot be bent to ask for inline HTML: that query is signed
    inline = with_query(
        links.store.presign_get(key, 300, content_type="application/pdf"),
        **{"response-content-type": "text/html", "response-content-disposition": "inline"},
    )
    refused = requests.get(inline, timeout=30)
    assert refused.status_code == 403 and error_code(refused) == "SignatureDoesNotMatch"
