"""`make bench-parse`: parse-and-score time per page next to `json.loads` on the same bytes.

Runs over every Textract response in the shared fixtures, several rounds, and prints the
median round per page for: decoding alone, parse + score on the decoded responses, and
the ratio of the two (the aim is parse-and-score within 3x of decoding).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docuflow.extraction import ScoringSettings, analyze
from docuflow_tools.paths import textract_fixtures_dir


def _fixture_bytes(root: Path) -> list[tuple[str, bytes]]:
    return [
        (str(path.relative_to(root)), path.read_bytes()) for path in sorted(root.glob("*/*.json"))
    ]


def _timed(action: Any, rounds: int) -> list[float]:
    times: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print; returns 1 when the fixtures are missing."""
    parser = argparse.ArgumentParser(
        prog="python -m docuflow_tools.bench.parse", description=__doc__
    )
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--profile", action="store_true", help="print the top of a profile")
    args = parser.parse_args(argv)
    root = textract_fixtures_dir()
    files = _fixture_bytes(root)
    if not files:
        print(f"No Textract fixtures under {root}", file=sys.stderr)
        return 1
    decoded = [json.loads(data) for _, data in files]
    settings = ScoringSettings()
    results = [analyze(response, settings) for response in decoded]
    pages = sum(max(result.pages, 1) for result in results)
    total_bytes = sum(len(data) for _, data in files)

    def decode_all() -> None:
        for _, data in files:
            json.loads(data)

    def parse_all() -> None:
        for response in decoded:
            analyze(response, settings)

    decode_all()
    parse_all()  # warm-up: imports, regex compilation, pydantic schema build
    decode = statistics.median(_timed(decode_all, args.rounds))
    parse = statistics.median(_timed(parse_all, args.rounds))
    print(f"fixtures: {len(files)} responses, {pages} pages, {total_bytes / 1e6:.2f} MB JSON")
    print(f"rounds: {args.rounds} (median round shown)")
    print(f"json.loads alone:      {decode / pages * 1e3:8.3f} ms/page")
    print(f"parse + score:         {parse / pages * 1e3:8.3f} ms/page")
    print(f"decode + parse + score:{(decode + parse) / pages * 1e3:8.3f} ms/page")
    print(f"ratio parse+score / json.loads: {parse / decode:.2f}x (aim: within 3x)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(parse_all)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
