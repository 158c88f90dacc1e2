"""`make bench-e2e` (`python -m docuflow_tools.bench.pipeline`), the pipeline benchmark: N
invoices through the local cloud, from upload to final status.

Generates N invoices (docuflow_tools.samples; their AnalyzeExpense responses are registered
with the Textract stand-in) and pushes them through the API as CONCURRENCY clients would,
each uploading a document and waiting for its final status before the next (CONCURRENCY=1
is one document at a time: the idle single-document latency), and prints: throughput,
p50/p95 time from upload to final status, the share of that time spent outside the
Textract stand-in (whose latency is known), where
each job's time went (a timeline per job from its audit trail, its execution history and
the stand-in's job times, printed as the p50 of each stage), state transitions per job
(GetExecutionHistory), Textract pages per job and the local cloud's peak memory.

`--burst N --ocr-tps T` is the throughput run: N uploads at once against a stand-in that
holds Textract's quotas (T start calls a second, `--ocr-max-jobs` jobs at once) with the
pipeline deployed to pace its starts at T a second; it prints the throughput as a share of
the quota-bound maximum (min(T, max_jobs / latency) jobs a second), and how many jobs were
lost (never final) or stuck (not final when the wait ended).

Runs against DOCUFLOW_API_BASE_URL (+ DOCUFLOW_OUTPUTS) when set, else starts its own local
cloud. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import itertools
import json
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

FINAL = {"COMPLETED", "NEEDS_REVIEW", "FAILED", "APPROVED", "REJECTED"}
# Between two reads of the job list while a burst is waited for, per page read: moto writes
# every attribute of every item of a page through its generic serializer (the largest
# cost in a profile of the emulator during a burst), so reading every page every 3 s made
# the benchmark a load of its own that grew with the burst (ADR 0032).
WAIT_POLL_SECONDS = 3.0


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
    # Where the time went: (stage, seconds), in pipeline order (see `timeline`).
    stages: list[tuple[str, float]] = field(default_factory=list)
    upload_error: str | None = None  # the upload itself failed (see Bench.upload)


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


def _epoch(value: Any) -> float:
    """An execution history timestamp (datetime) or an audit `at` (ISO text), as epoch."""
    if isinstance(value, datetime):
        return value.timestamp()
    return _iso_epoch(str(value))


def timeline(
    run: Run,
    audit: list[dict[str, Any]],
    history: list[dict[str, Any]],
    textract_jobs: list[dict[str, Any]],
) -> list[tuple[str, float]]:
    """Where one job's time went, from upload to its final status, as (stage, seconds).

    Stages are cut at instants the records hold: the PUT's return (the bench), the intake
    function's `uploaded` audit record, the execution's start, each state's entry and exit
    (the execution history) and the job's final status write. Two more stages overlap the
    states they happen in: the Textract job itself (`ocr_started` record to the stand-in's
    finish) and its completion's way back (the finish to AwaitOcr's exit: SNS, SQS,
    ocr-callback, SendTaskSuccess). A stage whose instants are missing is left out;
    `between states` is the time from one state's exit to the next one's entry.
    """
    marks: list[tuple[str, float]] = [("upload", run.uploaded_at)]
    events = {str(record["event"]): _epoch(record["at"]) for record in audit}
    if "uploaded" in events:
        marks.append(("S3 event -> intake", events["uploaded"]))
    started = next((e for e in history if e["type"] == "ExecutionStarted"), None)
    if started is not None:
        marks.append(("intake -> execution", _epoch(started["timestamp"])))
    stages: list[tuple[str, float]] = []
    for previous, current in itertools.pairwise(marks):
        stages.append((current[0], current[1] - previous[1]))
    last = marks[-1][1]
    entered: dict[str, float] = {}
    finished_ocr = max(
        (float(j["finished_at"]) for j in textract_jobs if j.get("finished_at")), default=None
    )
    between = 0.0
    for event in history:
        kind = str(event["type"])
        at = _epoch(event["timestamp"])
        if kind.endswith("StateEntered"):
            name = event["stateEnteredEventDetails"]["name"]
            entered[name] = at
            between += max(0.0, at - last)
        elif kind.endswith("StateExited"):
            name = event["stateExitedEventDetails"]["name"]
            stages.append((name, at - entered.get(name, at)))
            if name == "AwaitOcr" and finished_ocr is not None and "ocr_started" in events:
                stages.append(("  (Textract job, stand-in)", finished_ocr - events["ocr_started"]))
                stages.append(("  (completion -> AwaitOcr answered)", at - finished_ocr))
            last = at
    if between:
        stages.append(("between states", between))
    if run.final_at is not None:
        stages.append(("last state -> final status", max(0.0, run.final_at - last)))
    return stages


def stage_breakdown(runs: list[Run]) -> list[tuple[str, float, int]]:
    """p50 of each stage over the runs that have it: (stage, p50 seconds, runs), in the
    order stages first appear."""
    order: list[str] = []
    values: dict[str, list[float]] = {}
    for run in runs:
        for name, seconds in run.stages:
            if name not in values:
                order.append(name)
                values[name] = []
            values[name].append(seconds)
    return [(name, percentile(values[name], 50), len(values[name])) for name in order]


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
        self.status_polls_refused: dict[str, int] = {}  # see `wait`

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
        """POST /uploads and the presigned PUT, as a client would, once: an upload the
        cloud did not take (an error, no answer in a minute) is a failure of the run,
        counted and named, never tried again."""
        import requests

        try:
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
        except requests.RequestException as exc:
            answer = getattr(exc, "response", None)
            why = f"HTTP {answer.status_code}" if answer is not None else type(exc).__name__
            return Run(job_id="", uploaded_at=time.time(), upload_error=why)
        return Run(job_id=body["job_id"], uploaded_at=time.time())

    def process(self, sample: Sample, timeout: float) -> Run:
        """One client's document: upload it, then wait for its final status (a client with
        one document in flight)."""
        run = self.upload(sample)
        if run.upload_error is not None:
            return run
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(f"{self.api}/jobs/{run.job_id}")
            if job["status"] in FINAL:
                run.status, run.final_at = job["status"], _iso_epoch(job["updated_at"])
                break
            time.sleep(0.25)
        return run

    def wait(self, runs: list[Run], timeout: float) -> None:
        """Until every run is final or `timeout`: the job list, page by page, every few
        seconds per page (a run's end is the job's own `updated_at`, so how often it is read
        changes no figure, only the load the benchmark adds). A page the API did not answer is
        counted in `status_polls_refused`, by why, and read again in the next round."""
        import requests

        pending = {run.job_id: run for run in runs}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            cursor: str | None = None
            pages = 0
            while True:
                pages += 1
                params = "limit=100" + (f"&cursor={cursor}" if cursor else "")
                try:
                    page = self.get(f"{self.api}/jobs?{params}")
                except requests.RequestException as exc:
                    answer = getattr(exc, "response", None)
                    why = f"HTTP {answer.status_code}" if answer is not None else type(exc).__name__
                    self.status_polls_refused[why] = self.status_polls_refused.get(why, 0) + 1
                    break
                for job in page["items"]:
                    run = pending.get(job["job_id"])
                    if run is not None and job["status"] in FINAL:
                        run.status = job["status"]
                        run.final_at = _iso_epoch(job["updated_at"])
                        pending.pop(job["job_id"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            time.sleep(WAIT_POLL_SECONDS * pages)

    def history(self, job_id: str) -> list[dict[str, Any]]:
        """The execution history of a job's execution (its name is the job id)."""
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
        events: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"executionArn": f"{prefix}:{job_id}", "maxResults": 1000}
            if token:
                kwargs["nextToken"] = token
            page = sfn.get_execution_history(**kwargs)
            events.extend(dict(event) for event in page["events"])
            token = page.get("nextToken")
            if not token:
                return events

    def audit(self, job_id: str) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = self.get(f"{self.api}/jobs/{job_id}/audit")["items"]
        return records

    def memory(self) -> tuple[int, int]:
        """The local cloud's resident memory now: the server's, and its workers' summed."""
        memory = self.get(f"{self.control}/health").get("memory") or {}
        return int(memory.get("rss_bytes", 0)), int(memory.get("workers_rss_bytes", 0))


def tree_memory(root: int) -> tuple[int, int]:
    """The resident memory of a process and all its descendants (Linux /proc), in bytes:
    RSS summed, which counts a page shared by several processes (the workers forked from
    one fork server share most of theirs) once in each, and PSS summed, which counts it
    once in all (each process its share): what the tree takes from the machine."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")"
            text = stat.read_text(encoding="ascii", errors="replace")
            ppid = int(text.rpartition(")")[2].split()[1])
            parents.setdefault(ppid, []).append(int(stat.parent.name))
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(parents.get(pid, []))
        with contextlib.suppress(OSError, ValueError):
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
            for line in rollup.splitlines():
                name, _, value = line.partition(":")
                if name == "Rss":
                    rss += int(value.split()[0]) * 1024
                elif name == "Pss":
                    pss += int(value.split()[0]) * 1024
    return rss, pss


def cpu_seconds(pid: int | None) -> float | None:
    """The CPU time (user and system) one process has used so far (Linux /proc), or None."""
    if pid is None:
        return None
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # after "pid (comm)": state is field 3, utime and stime fields 14 and 15
    fields = text.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemoryWatch:
    """Samples the local cloud's memory every second while a run lasts; keeps the peaks
    (of the whole, the server and the workers, as its /health says, and of the process
    tree under `root`, the `docuflow up` this run started, measured from outside)."""

    def __init__(self, bench: Bench, root: int | None = None) -> None:
        self.bench = bench
        self.root = root
        self.peak = self.server = self.workers = self.tree = self.tree_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):  # a missed sample is not a failure
                server, workers = self.bench.memory()
                self.peak = max(self.peak, server + workers)
                self.server, self.workers = max(self.server, server), max(self.workers, workers)
            if self.root is not None:
                rss, pss = tree_memory(self.root)
                self.tree, self.tree_pss = max(self.tree, rss), max(self.tree_pss, pss)
            self._stop.wait(1.0)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-n", type=int, default=200, help="invoices to push (default 200)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="clients, each with one document in flight (default 8); with --burst, "
        "parallel uploaders (default 32)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for all jobs")
    parser.add_argument(
        "--seed", type=int, default=None, help="first invoice seed (default: random)"
    )
    parser.add_argument(
        "--burst",
        type=int,
        default=None,
        metavar="N",
        help="the throughput run: N uploads at once (replaces -n; 32 uploaders unless "
        "--concurrency is given)",
    )
    parser.add_argument(
        "--ocr-tps",
        type=float,
        default=None,
        help="Textract start calls a second: the quota the stand-in holds and the rate the "
        "pipeline is deployed to pace its starts at (only with its own local cloud)",
    )
    parser.add_argument(
        "--ocr-max-jobs",
        type=int,
        default=None,
        help="Textract jobs the stand-in runs at once (default: unlimited)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")


def run(args: argparse.Namespace) -> int:
    from docuflow_tools.localcloud.textract_standin import MAX_JOBS_ENV, START_TPS_ENV
    from docuflow_tools.localcloud.up_process import UpProcess

    if args.burst is not None:
        args.n = args.burst
    if args.concurrency is None:
        args.concurrency = 8 if args.burst is None else 32
    cloud: UpProcess | None = None
    api = os.environ.get("DOCUFLOW_API_BASE_URL")
    outputs = os.environ.get("DOCUFLOW_OUTPUTS")
    if not api or not outputs:
        # The quotas the stand-in holds; `docuflow up` deploys the pipeline to pace its
        # starts at the same rate.
        if args.ocr_tps is not None:
            os.environ[START_TPS_ENV] = f"{args.ocr_tps:g}"
        if args.ocr_max_jobs is not None:
            os.environ[MAX_JOBS_ENV] = str(args.ocr_max_jobs)
        cloud = UpProcess(name="bench-pipeline", options=("--fresh", "--quiet-functions"))
        print(f"starting a local cloud on port {cloud.port} ...", file=sys.stderr, flush=True)
        try:
            cloud.wait_ready(600)
        except RuntimeError as exc:
            print(f"bench: {exc}", file=sys.stderr)
            cloud.stop()
            return 1
        api, outputs = cloud.urls["API_BASE_URL"], cloud.urls["DOCUFLOW_OUTPUTS"]
    elif args.ocr_tps is not None:
        print(
            "bench: against a running local cloud the stand-in is told --ocr-tps, but the "
            "pipeline paces its starts at the rate it was deployed with",
            file=sys.stderr,
        )
    try:
        return _measure(
            args,
            api.rstrip("/"),
            json.loads(Path(outputs).read_text(encoding="utf-8")),
            cloud.pid if cloud is not None else None,
        )
    finally:
        if cloud is not None:
            cloud.stop()


def quota_bound_per_second(quotas: dict[str, Any], latency: float) -> float | None:
    """The most jobs a second Textract's quotas allow: starts a second, and concurrent jobs
    over each job's latency; None when neither is set."""
    limits = []
    if quotas.get("start_tps"):
        limits.append(float(quotas["start_tps"]))
    if quotas.get("max_concurrent_jobs") and latency > 0:
        limits.append(int(quotas["max_concurrent_jobs"]) / latency)
    return min(limits) if limits else None


def report(figures: dict[str, Any], breakdown: list[tuple[str, float, int]], sampled: int) -> None:
    """The figures, for people."""
    print(
        f"invoices           {figures['final']}/{figures['invoices']} final {figures['statuses']}, "
        f"{figures['lost']} lost, {figures['stuck']} stuck"
    )
    for reason, count in figures["failure_reasons"].items():
        print(f"  FAILED x{count}: {reason}")
    for reason, count in figures["upload_failures"].items():
        print(f"  upload not taken x{count}: {reason}")
    for reason, count in figures["status_polls_refused"].items():
        print(f"  a page of the job list not answered x{count}: {reason} (read again)")
    print(
        f"throughput         {figures['throughput_per_minute']} invoices/minute "
        f"({figures['seconds_total']} s in all, the clients took {figures['seconds_uploading']} s)"
    )
    if figures["quota_bound_per_minute"]:
        print(
            f"quota bound        {figures['quota_bound_per_minute']} invoices/minute "
            f"(Textract {figures['textract_quotas']}, "
            f"{figures['textract_latency_seconds']} s a job): "
            f"{figures['share_of_quota_bound']:.0%} of it reached; "
            f"{figures['textract_refused_starts']} start calls refused, at most "
            f"{figures['textract_peak_jobs_in_progress']} jobs at once"
        )
    print(f"upload -> final    p50 {figures['p50_seconds']} s, p95 {figures['p95_seconds']} s")
    print(f"stages (p50 of {sampled} jobs):")
    for name, p50, count in breakdown:
        print(f"  {name:<38} {p50:7.3f} s" + (f"  ({count} jobs)" if count != sampled else ""))
    print(
        f"outside Textract   {figures['share_outside_textract']} of job time "
        f"(stand-in latency {figures['textract_latency_seconds']} s per Textract job)"
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
    print(
        f"memory             peak {figures['peak_rss_mb']} MB resident (server "
        f"{figures['peak_rss_mb_server']}, workers {figures['peak_rss_mb_workers']}); "
        f"load average {figures['load_average']}"
    )
    if figures["server_cpu_seconds_per_invoice"] is not None:
        print(
            f"emulator CPU       {figures['server_cpu_seconds_per_invoice']} CPU-s per invoice "
            f"in the server process (one GIL), {figures['server_share_of_a_core']:.0%} of one "
            "core over the run"
        )
    if figures["peak_rss_mb_process_tree"] is not None:
        print(
            f"                   peak {figures['peak_rss_mb_process_tree']} MB resident "
            f"(RSS summed), {figures['peak_pss_mb_process_tree']} MB proportional (PSS: "
            "shared pages counted once), the local cloud's whole process tree (docuflow up "
            "and every descendant)"
        )


def _tally(runs: list[Run]) -> tuple[dict[str, int], dict[str, int]]:
    """How many runs ended in each status, and how many uploads failed, by why."""
    statuses: dict[str, int] = {}
    upload_failures: dict[str, int] = {}
    for run in runs:
        if run.upload_error is not None:
            upload_failures[run.upload_error] = upload_failures.get(run.upload_error, 0) + 1
        else:
            statuses[run.status or "NOT_FINAL"] = statuses.get(run.status or "NOT_FINAL", 0) + 1
    return statuses, upload_failures


def _measure(  # noqa: PLR0915 - one run, step by step
    args: argparse.Namespace, api: str, record: dict[str, Any], cloud_pid: int | None
) -> int:
    first_seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000 * 1000
    print(f"generating {args.n} invoices ...", file=sys.stderr, flush=True)
    samples = make_samples(args.n, first_seed)
    bench = Bench(api, record)
    bench.register(samples)
    if args.ocr_tps is not None or args.ocr_max_jobs is not None:
        bench.http.post(
            f"{bench.control}/textract/quotas",
            json={"start_tps": args.ocr_tps, "max_concurrent_jobs": args.ocr_max_jobs},
            timeout=60,
        ).raise_for_status()
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
    with MemoryWatch(bench, cloud_pid) as memory:
        started, server_cpu_before = time.time(), cpu_seconds(cloud_pid)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            if args.burst is None:  # each client has one document in flight
                runs = list(pool.map(lambda s: bench.process(s, args.timeout), samples))
            else:  # every upload at once, then the wait
                runs = list(pool.map(bench.upload, samples))
        uploaded = time.time()
        bench.wait(
            [run for run in runs if run.final_at is None and run.upload_error is None],
            args.timeout,
        )
        server_cpu_after, waited = cpu_seconds(cloud_pid), time.time()
    done = [run for run in runs if run.final_at is not None]
    finished = max((run.final_at for run in done if run.final_at), default=time.time())
    textract_after = bench.get(f"{bench.control}/textract")
    lambda_after = bench.get(f"{bench.control}/lambda")["functions"]

    latencies = [max(0.0, (run.final_at or 0) - run.uploaded_at) for run in done]
    statuses, upload_failures = _tally(runs)
    stats_before, stats_after = textract_before["stats"], textract_after["stats"]
    jobs_started = stats_after["start_calls"] - stats_before["start_calls"]
    textract_jobs = (
        stats_after["jobs_succeeded"]
        + stats_after["jobs_failed"]
        - stats_before["jobs_succeeded"]
        - stats_before["jobs_failed"]
    )
    refused = sum(
        stats_after[k] - stats_before[k] for k in ("throttled", "over_tps", "over_max_jobs")
    )
    pages = {
        api_name: stats_after["pages"][api_name] - stats_before["pages"][api_name]
        for api_name in ("expense", "document")
    }
    in_standin = latency * textract_jobs
    total_time = sum(latencies)

    # Timelines (at most 200 jobs, spread over the run) and state transitions.
    print("reading the jobs' audit trails and execution histories ...", file=sys.stderr)
    sampled = done[:: max(1, len(done) // 200)]
    by_tag: dict[str, list[dict[str, Any]]] = {}
    for job in textract_after["jobs"]:
        by_tag.setdefault(str(job.get("job_tag")), []).append(job)
    transitions = []
    for run in sampled:
        history = bench.history(run.job_id)
        transitions.append(transitions_of(history))
        run.stages = timeline(run, bench.audit(run.job_id), history, by_tag.get(run.job_id, []))
    breakdown = stage_breakdown(sampled)
    failures: dict[str, int] = {}
    for run in runs:
        if run.status == "FAILED":
            reason = str(bench.get(f"{bench.api}/jobs/{run.job_id}").get("failure_reason"))
            failures[reason] = failures.get(reason, 0) + 1
    stuck = 0
    for run in runs:
        if run.final_at is None and run.upload_error is None:
            history = bench.history(run.job_id)
            ended = any(
                e["type"].startswith("Execution") and e["type"] != "ExecutionStarted"
                for e in history
            )
            stuck += 0 if ended or not history else 1
    lost = len(runs) - len(done) - stuck - sum(upload_failures.values())

    gb_seconds = 0.0
    invocations = 0
    for name, after in lambda_after.items():
        before = lambda_before.get(name, {"invocations": 0, "duration_ms": 0.0})
        invocations += int(after["invocations"] - before["invocations"])
        gb_seconds += (
            (after["duration_ms"] - before["duration_ms"]) / 1000 * after["memory_mb"] / 1024
        )
    n_done = max(1, len(done))
    seconds_total = max(1e-9, finished - started)
    bound = quota_bound_per_second(textract_after.get("quotas") or {}, latency)
    server_cpu = (
        server_cpu_after - server_cpu_before
        if server_cpu_before is not None and server_cpu_after is not None
        else None
    )
    figures: dict[str, Any] = {
        "invoices": args.n,
        "final": len(done),
        "statuses": statuses,
        "failure_reasons": failures,
        "upload_failures": upload_failures,
        "status_polls_refused": bench.status_polls_refused,
        "lost": lost,
        "stuck": stuck,
        "seconds_uploading": round(uploaded - started, 2),
        "seconds_total": round(seconds_total, 2),
        "throughput_per_minute": round(len(done) / seconds_total * 60, 1),
        "p50_seconds": round(percentile(latencies, 50), 2),
        "p95_seconds": round(percentile(latencies, 95), 2),
        "stages_p50_seconds": {name: round(p50, 3) for name, p50, _ in breakdown},
        "textract_latency_seconds": latency,
        "textract_quotas": textract_after.get("quotas"),
        "quota_bound_per_minute": round(bound * 60, 1) if bound else None,
        "share_of_quota_bound": round(len(done) / seconds_total / bound, 3) if bound else None,
        "textract_refused_starts": refused,
        "textract_peak_jobs_in_progress": stats_after.get("peak_in_progress"),
        "share_outside_textract": round(1 - in_standin / total_time, 3) if total_time else None,
        "state_transitions_per_job": round(statistics.mean(transitions), 2)
        if transitions
        else None,
        "textract_start_calls_per_job": round(jobs_started / n_done, 2),
        "textract_pages_per_job": {k: round(v / n_done, 2) for k, v in pages.items()},
        "lambda_invocations_per_job": round(invocations / n_done, 2),
        "lambda_gb_seconds_per_job_local": round(gb_seconds / n_done, 3),
        "peak_rss_mb": round(memory.peak / 2**20),
        "peak_rss_mb_server": round(memory.server / 2**20),
        "peak_rss_mb_workers": round(memory.workers / 2**20),
        "peak_rss_mb_process_tree": round(memory.tree / 2**20) if cloud_pid else None,
        "peak_pss_mb_process_tree": round(memory.tree_pss / 2**20) if cloud_pid else None,
        "server_cpu_seconds_per_invoice": round(server_cpu / n_done, 3)
        if server_cpu is not None
        else None,
        "server_share_of_a_core": round(server_cpu / max(1e-9, waited - started), 2)
        if server_cpu is not None
        else None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    report(figures, breakdown, len(sampled))
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
