"""`docuflow seed`: upload the fixture documents to a running stack through its API.

Each document goes the way the web app sends it: POST /uploads, then a PUT of the bytes to
the presigned URL. The API base URL comes from --api or DOCUFLOW_API_BASE_URL, else from
the outputs file a running `docuflow up` leaves under `.localcloud/`. It signs in as
--user (the local demo clerk of acme by default) and sends that user's ID token.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docuflow_tools.localcloud.users import NoUserPool, add_sign_in_arguments, signed_in_token
from docuflow_tools.paths import REPO_ROOT, textract_fixtures_dir

if TYPE_CHECKING:
    import requests

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
FINAL = {"COMPLETED", "NEEDS_REVIEW", "FAILED", "APPROVED", "REJECTED"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--api", help="API base URL (default: DOCUFLOW_API_BASE_URL or the running `docuflow up`)"
    )
    parser.add_argument(
        "--user",
        default="clerk@acme.test",
        help="who uploads: a user of the pool (default: the local demo clerk of acme)",
    )
    add_sign_in_arguments(parser)
    parser.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="wait up to SECONDS for every job to reach a final status",
    )
    parser.add_argument(
        "files", nargs="*", type=Path, help="documents to upload (default: the fixture documents)"
    )


def find_api_base_url(explicit: str | None) -> str | None:
    if explicit:
        return explicit.rstrip("/")
    from_env = os.environ.get("DOCUFLOW_API_BASE_URL")
    if from_env:
        return from_env.rstrip("/")
    candidates = sorted(
        (REPO_ROOT / ".localcloud").glob("*/outputs.json"), key=lambda p: p.stat().st_mtime
    )
    for path in reversed(candidates):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("api_base_url"):
            return str(record["api_base_url"]).rstrip("/")
    return None


def upload(http: requests.Session, base: str, path: Path) -> dict[str, Any]:
    """POST /uploads + presigned PUT; returns the created upload."""
    import requests

    data = path.read_bytes()
    content_type = CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    if content_type is None:
        raise ValueError(f"{path}: cannot tell its content type from the name")
    created = http.post(
        f"{base}/uploads",
        json={"filename": path.name, "content_type": content_type, "size_bytes": len(data)},
        timeout=30,
    )
    if created.status_code != 201:
        raise RuntimeError(
            f"{path.name}: POST /uploads answered {created.status_code}: {created.text}"
        )
    body: dict[str, Any] = created.json()
    put = requests.put(
        body["upload_url"], data=data, headers=body.get("upload_headers") or {}, timeout=60
    )
    if put.status_code not in (200, 204):
        raise RuntimeError(
            f"{path.name}: presigned PUT answered {put.status_code}: {put.text[:200]}"
        )
    return body


def run(args: argparse.Namespace) -> int:
    import requests
    from botocore.exceptions import BotoCoreError, ClientError

    base = find_api_base_url(args.api)
    if base is None:
        print(
            "docuflow seed: no API to seed; start `docuflow up` or pass --api URL", file=sys.stderr
        )
        return 2
    files: list[Path] = list(args.files) or sorted(
        (textract_fixtures_dir() / "documents").glob("*")
    )
    if not files:
        print("docuflow seed: no documents to upload", file=sys.stderr)
        return 2
    try:
        token = signed_in_token(args.user, args.password, args.client_id, args.region)
    except (NoUserPool, ClientError, BotoCoreError, RuntimeError) as exc:
        print(f"docuflow seed: cannot sign in as {args.user}: {exc}", file=sys.stderr)
        return 2
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    jobs: dict[str, str] = {}
    for path in files:
        try:
            created = upload(http, base, path)
        except (OSError, ValueError, RuntimeError, requests.RequestException) as exc:
            print(f"docuflow seed: {exc}", file=sys.stderr)
            return 1
        jobs[created["job_id"]] = path.name
        print(f"{created['job_id']}  {path.name}")
    if args.wait > 0:
        deadline = time.monotonic() + args.wait
        pending = dict(jobs)
        while pending and time.monotonic() < deadline:
            for job_id in list(pending):
                job = http.get(f"{base}/jobs/{job_id}", timeout=30).json()
                if job.get("status") in FINAL:
                    print(f"{job_id}  {pending.pop(job_id)}  {job['status']}")
            time.sleep(0.5)
        if pending:
            print(
                f"docuflow seed: {len(pending)} job(s) not final after {args.wait} s",
                file=sys.stderr,
            )
            return 1
    return 0
