"""`make bench-e2e` (`python -m docuflow_tools.bench.pipeline`), the pipeline benchmark: N
invoices through the local cloud, from upload to final status.

Generates N invoices (docuflow_tools.samples; their AnalyzeExpense responses are registered with
the Textract stand-in), uploads them through the API as a client would, waits for every job
to reach a final status and prints: throughput, p50/p95 time from upload to final status,
the share of that time spent outside the Textract stand-in (whose latency is known), state
transitions per job (GetExecutionHistory) and Textract pages per job. Runs against
DOCUFLOW_API_BASE_URL (+ DOCUFLOW_OUTPUTS) when set, else starts its own local cloud.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

FINAL = {"COMPLETED", "NEEDS_REVIEW", "FAILED", "APPROVED", "REJECTED"}


@dataclass
class Sample:
    data: bytes
    filename: str
    sha256: str
    recording: dict[str, Any]


@dataclass
class Run:
    job_id: str
    uploaded_at: float  # epoch seconds, when the presigned PUT returned
    final_at: float | None = None
    status: str | None = None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def make_samples(n: int, first_seed: int) -> list[Sample]:
    from docuflow_tools.samples import expense_recording, make_invoice, render_pdf

    samples = []
    for seed in range(first_seed, first_seed + n):
        invoice = make_invoice(seed)
        data = render_pdf(invoice)
        samples.append(
            Sample(
                data,
                f"bench-{seed}.pdf",
                hashlib.sha256(data).hexdigest(),
                expense_recording(invoice),
            )
        )
    return samples


def _iso_epoch(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def transitions_of(history: list[dict[str, Any]]) -> int:
    """Billable state transitions: each state entered, plus each task retry."""
    entered = sum(1 for e in history if str(e["type"]).endswith("StateEntered"))
    scheduled = sum(1 for e in history if e["type"] in ("LambdaFunctionScheduled", "TaskScheduled"))
    task_entered = sum(1 for e in history if e["type"] == "TaskStateEntered")
    return entered + max(0, scheduled - task_entered)


# A demo clerk of the local cloud (`docuflow up` creates them); the bench waits for its
# jobs in the tenant's list.
BENCH_USER = "clerk@acme.test"


class Bench:
    def __init__(self, api: str, record: dict[str, Any], user: str = BENCH_USER) -> None:
        import requests

        from docuflow_tools.localcloud.users import id_token, pool_of

        self.api = api
        self.record = record
        self.control = str(record["control_url"])
        self.endpoint = str(record["endpoint"])
        self.http = requests.Session()
        token = id_token(pool_of(record), user)
        self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, url: str) -> Any:
        response = self.http.get(url, timeout=60)
        response.raise_for_status()
        return response.json()

    def register(self, samples: list[Sample]) -> None:
        for sample in samples:
            response = self.http.post(
                f"{self.control}/textract/recordings",
                json={"sha256": sample.sha256, "api": "expense", "response": sample.recording},
                timeout=60,
            )
            response.raise_for_status()

    def upload(self, sample: Sample) -> Run:
        import requests

        created = self.http.post(
            f"{self.api}/uploads",
            json={
                "filename": sample.filename,
                "content_type": "application/pdf",
                "size_bytes": len(sample.data),
            },
            timeout=60,
        )
        created.raise_for_status()
        body = created.json()
        put = requests.put(
            body["upload_url"], data=sample.data, headers=body["upload_headers"], timeout=60
        )
        put.raise_for_status()
        return Run(job_id=body["job_id"], uploaded_at=time.time())

    def wait(self, runs: list[Run], timeout: float) -> None:
        pending = {run.job_id: run for run in runs}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            cursor: str | None = None
            while True:
                params = "limit=100" + (f"&cursor={cursor}" if cursor else "")
                page = self.get(f"{self.api}/jobs?{params}")
                for job in page["items"]:
                    run = pending.get(job["job_id"])
                    if run is not None and job["status"] in FINAL:
                        run.status = job["status"]
                        run.final_at = _iso_epoch(job["updated_at"])
                        pending.pop(job["job_id"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            time.sleep(0.5)

    def transitions(self, runs: list[Run]) -> list[int]:
        import boto3

        sfn = boto3.client(
            "stepfunctions",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106 - the emulator's dummy credentials
        )
        machine = self.record["outputs"]["state_machine_arn"]
        prefix = machine.replace(":stateMachine:", ":execution:")
        counts = []
        for run in runs:
            events: list[dict[str, Any]] = []
            token: str | None = None
            while True:
                kwargs: dict[str, Any] = {
                    "executionArn": f"{prefix}:{run.job_id}",
                    "maxResults": 1000,
                }
                if token:
                    kwargs["nextToken"] = token
                page = sfn.get_execution_history(**kwargs)
                events.extend(dict(event) for event in page["events"])
                token = page.get("nextToken")
                if not token:
                    break
            counts.append(transitions_of(events))
        return counts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-n", type=int, default=200, help="invoices to push (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="parallel uploaders (default 8)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for all jobs")
    parser.add_argument(
        "--seed", type=int, default=None, help="first invoice seed (default: random)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")


def run(args: argparse.Namespace) -> int:
    from docuflow_tools.localcloud.up_process import UpProcess

    cloud: UpProcess | None = None
    api = os.environ.get("DOCUFLOW_API_BASE_URL")
    outputs = os.environ.get("DOCUFLOW_OUTPUTS")
    if not api or not outputs:
        cloud = UpProcess(name="bench-pipeline", options=("--fresh",))
        print(f"starting a local cloud on port {cloud.port} ...", file=sys.stderr, flush=True)
        try:
            cloud.wait_ready(600)
        except RuntimeError as exc:
            print(f"bench: {exc}", file=sys.stderr)
            cloud.stop()
            return 1
        api, outputs = cloud.urls["API_BASE_URL"], cloud.urls["DOCUFLOW_OUTPUTS"]
    try:
        return _measure(
            args, api.rstrip("/"), json.loads(Path(outputs).read_text(encoding="utf-8"))
        )
    finally:
        if cloud is not None:
            cloud.stop()


def _measure(args: argparse.Namespace, api: str, record: dict[str, Any]) -> int:
    first_seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000 * 1000
    print(f"generating {args.n} invoices ...", file=sys.stderr, flush=True)
    samples = make_samples(args.n, first_seed)
    bench = Bench(api, record)
    bench.register(samples)
    textract_before = bench.get(f"{bench.control}/textract")
    lambda_before = bench.get(f"{bench.control}/lambda")["functions"]
    latency = float(
        textract_before["faults"]["latency_seconds"] or textract_before["latency_seconds"]
    )

    print(
        f"uploading {args.n} invoices with {args.concurrency} clients ...",
        file=sys.stderr,
        flush=True,
    )
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        runs = list(pool.map(bench.upload, samples))
    uploaded = time.time()
    bench.wait(runs, args.timeout)
    done = [run for run in runs if run.final_at is not None]
    finished = max((run.final_at for run in done if run.final_at), default=time.time())
    textract_after = bench.get(f"{bench.control}/textract")
    lambda_after = bench.get(f"{bench.control}/lambda")["functions"]

    latencies = [max(0.0, (run.final_at or 0) - run.uploaded_at) for run in done]
    statuses: dict[str, int] = {}
    for run in runs:
        statuses[run.status or "NOT_FINAL"] = statuses.get(run.status or "NOT_FINAL", 0) + 1
    jobs_started = textract_after["stats"]["start_calls"] - textract_before["stats"]["start_calls"]
    textract_jobs = (
        textract_after["stats"]["jobs_succeeded"]
        + textract_after["stats"]["jobs_failed"]
        - textract_before["stats"]["jobs_succeeded"]
        - textract_before["stats"]["jobs_failed"]
    )
    pages = {
        api_name: textract_after["stats"]["pages"][api_name]
        - textract_before["stats"]["pages"][api_name]
        for api_name in ("expense", "document")
    }
    in_standin = latency * textract_jobs
    total_time = sum(latencies)
    transitions = bench.transitions(done)
    gb_seconds = 0.0
    invocations = 0
    for name, after in lambda_after.items():
        before = lambda_before.get(name, {"invocations": 0, "duration_ms": 0.0})
        invocations += int(after["invocations"] - before["invocations"])
        gb_seconds += (
            (after["duration_ms"] - before["duration_ms"]) / 1000 * after["memory_mb"] / 1024
        )
    n_done = max(1, len(done))
    figures = {
        "invoices": args.n,
        "final": len(done),
        "statuses": statuses,
        "seconds_uploading": round(uploaded - started, 2),
        "seconds_total": round(finished - started, 2),
        "throughput_per_minute": round(len(done) / max(1e-9, finished - started) * 60, 1),
        "p50_seconds": round(percentile(latencies, 50), 2),
        "p95_seconds": round(percentile(latencies, 95), 2),
        "textract_latency_seconds": latency,
        "share_outside_textract": round(1 - in_standin / total_time, 3) if total_time else None,
        "state_transitions_per_job": round(statistics.mean(transitions), 2)
        if transitions
        else None,
        "textract_start_calls_per_job": round(jobs_started / n_done, 2),
        "textract_pages_per_job": {k: round(v / n_done, 2) for k, v in pages.items()},
        "lambda_invocations_per_job": round(invocations / n_done, 2),
        "lambda_gb_seconds_per_job_local": round(gb_seconds / n_done, 3),
    }
    print(f"invoices           {figures['final']}/{args.n} final {statuses}")
    print(
        f"throughput         {figures['throughput_per_minute']} invoices/minute "
        f"({figures['seconds_total']} s in all, uploads took {figures['seconds_uploading']} s)"
    )
    print(f"upload -> final    p50 {figures['p50_seconds']} s, p95 {figures['p95_seconds']} s")
    print(
        f"outside Textract   {figures['share_outside_textract']} of job time "
        f"(stand-in latency {latency} s per Textract job)"
    )
    print(f"state transitions  {figures['state_transitions_per_job']} per job")
    print(
        f"Textract           {figures['textract_start_calls_per_job']} start calls and pages "
        f"{figures['textract_pages_per_job']} per job"
    )
    print(
        f"Lambda             {figures['lambda_invocations_per_job']} invocations, "
        f"{figures['lambda_gb_seconds_per_job_local']} GB-s per job (local durations)"
    )
    if args.json:
        print(json.dumps(figures))
    return 0 if len(done) == args.n else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docuflow_tools.bench.pipeline", description=__doc__
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
