"""Recognizing page images with Tesseract (Debian's `tesseract-ocr`, called as a program).

The `tesseract` binary is run once per page with TSV output; a page turned by 90, 180 or
270 degrees is first set upright from Tesseract's orientation detection (OSD), checked by
comparing recognition confidence.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from docuflow.domain.errors import OcrFailed
from docuflow_tools.offline_ocr.layout import Box, Word
from docuflow_tools.offline_ocr.preprocess import prepare_page

LANGUAGES = ("eng", "deu", "fra", "nld")
"""Language data the engine asks for (Debian packages tesseract-ocr-eng/-deu/-fra/-nld)."""

INSTALL_HINT = (
    "Install it with `apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu "
    "tesseract-ocr-fra tesseract-ocr-nld` (scripts/bootstrap.sh does this)."
)
_TIMEOUT_SECONDS = 120
# Tesseract below this mean word confidence on a page is probably reading it sideways.
_UPRIGHT_CONFIDENCE = 70.0
# A tilt is measured on at least this many words in lines, and set level from this angle
# (radians; 0.1 degree drifts by a fifth of a line height across a page).
_MIN_SKEW_WORDS = 12
_MIN_SKEW = math.radians(0.1)


@dataclass(frozen=True)
class Capability:
    """Whether scanned pages and images can be read on this machine, and why not."""

    available: bool
    binary: str | None
    languages: tuple[str, ...]
    missing_languages: tuple[str, ...]
    message: str


def capability() -> Capability:
    """Is `tesseract` installed, with which of the languages the engine uses?"""
    binary = shutil.which("tesseract")
    if binary is None:
        return Capability(False, None, (), LANGUAGES, f"Tesseract is not installed. {INSTALL_HINT}")
    try:
        listed = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Capability(
            False, binary, (), LANGUAGES, f"Tesseract at {binary} does not run: {exc}"
        )
    installed = {line.strip() for line in listed.stdout.splitlines()[1:] if line.strip()}
    languages = tuple(lang for lang in LANGUAGES if lang in installed)
    missing = tuple(lang for lang in LANGUAGES if lang not in installed)
    if not languages:
        return Capability(
            False,
            binary,
            (),
            missing,
            f"Tesseract has none of {', '.join(LANGUAGES)}. {INSTALL_HINT}",
        )
    message = f"Tesseract at {binary} with {'+'.join(languages)}"
    if missing:
        message += f" (missing {', '.join(missing)}: text in those languages reads worse)"
    if "osd" not in installed:
        message += "; no osd data, so turned pages are found by trial"
    return Capability(True, binary, languages, missing, message)


def require() -> Capability:
    """The capability, or OcrFailed saying how to install Tesseract."""
    found = capability()
    if not found.available:
        raise OcrFailed(f"Cannot read scanned pages or images: {found.message}")
    return found


class OutputCache:
    """Tesseract's TSV output on disk, keyed by everything that determines it: the image's
    bytes, the options, and the program's version and language data. For repeated runs
    over the same documents (`docuflow eval --scans`), where reading takes most of the
    time; the engine itself never caches."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._versions: dict[str, str] = {}

    def get(self, cap: Capability, image: Path, options: list[str]) -> str | None:
        path = self._path(cap, image, options)
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def put(self, cap: Capability, image: Path, options: list[str], output: str) -> None:
        path = self._path(cap, image, options)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a reader never sees half an entry.
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_text(output, encoding="utf-8")
        partial.replace(path)

    def _path(self, cap: Capability, image: Path, options: list[str]) -> Path:
        digest = hashlib.sha256()
        for part in (self._version(cap), *cap.languages, *options):
            digest.update(part.encode() + b"\0")
        digest.update(image.read_bytes())
        key = digest.hexdigest()
        return self.directory / key[:2] / f"{key}.tsv"

    def _version(self, cap: Capability) -> str:
        assert cap.binary is not None
        if cap.binary not in self._versions:
            result = _run(cap, ["--version"])
            data = sorted(
                f"{lang}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
                for lang in cap.languages
                for path in _language_files(lang)
            )
            self._versions[cap.binary] = result.stdout + result.stderr + "".join(data)
        return self._versions[cap.binary]


def _language_files(language: str) -> list[Path]:
    folders = [os.environ.get("TESSDATA_PREFIX", ""), *_TESSDATA_DIRS]
    return [
        Path(folder) / f"{language}.traineddata"
        for folder in folders
        if folder and (Path(folder) / f"{language}.traineddata").is_file()
    ]


_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)
_cache: OutputCache | None = None


def use_cache(cache: OutputCache | None) -> None:
    """Keep Tesseract's output in `cache` from now on (None: read every time)."""
    global _cache  # noqa: PLW0603 - one setting for the process, made by the eval command
    _cache = cache


def recognize(
    image: Image.Image, page: int, *, cap: Capability | None = None
) -> tuple[list[Word], int]:
    """Words on one page image, set upright first; returns (words, degrees turned clockwise)."""
    cap = cap or require()
    image = prepare_page(image)
    with tempfile.TemporaryDirectory(prefix="docuflow-ocr-") as tmp:
        upright = _tsv_words(cap, _save(image, Path(tmp) / "page-0.png"), page, image.size)
        if _looks_upright(upright, image.size):
            return upright, 0
        # A poor reading: ask OSD which way the page is turned, then try the turns.
        detected = _detect_rotation(cap, Path(tmp) / "page-0.png")
        if not detected and (not upright or _horizontal_share(upright, image.size) >= 0.7):
            # Nothing legible, or a poor reading of lines that run left to right (a blurred
            # photo): turning the page would not help, and each try costs a full reading.
            return upright, 0
        turns = [detected] if detected else []
        turns += [turn for turn in (90, 270, 180) if turn not in turns]
        best, best_turn, best_score = upright, 0, _score(upright, image.size)
        for turn in turns:
            turned = image.rotate(-turn, expand=True, fillcolor=255)
            attempt = _tsv_words(
                cap, _save(turned, Path(tmp) / f"page-{turn}.png"), page, turned.size
            )
            score = _score(attempt, turned.size)
            if score > best_score:
                best, best_turn, best_score = attempt, turn, score
            if turn == detected and _looks_upright(attempt, turned.size):
                break
        return best, best_turn


def _save(image: Image.Image, path: Path) -> Path:
    image.save(path)
    return path


def _looks_upright(words: list[Word], size: tuple[int, int]) -> bool:
    """Enough confident words, running left to right (Tesseract also reads sideways
    text line by line, which gives good words in boxes taller than wide)."""
    return (
        len(words) >= 5
        and _mean_confidence(words) >= _UPRIGHT_CONFIDENCE
        and _horizontal_share(words, size) >= 0.7
    )


def _horizontal_share(words: list[Word], size: tuple[int, int]) -> float:
    width, height = size
    long_words = [w for w in words if len(w.text) >= 3]
    if not long_words:
        return 1.0
    wide = sum(1 for w in long_words if w.box.width * width > w.box.height * height)
    return wide / len(long_words)


def _run(cap: Capability, args: list[str]) -> subprocess.CompletedProcess[str]:
    assert cap.binary is not None
    env = dict(os.environ)
    # One thread per tesseract process is several times faster than OpenMP's default on
    # small machines; parallelism comes from running pages side by side instead.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        return subprocess.run(  # noqa: S603 - argv built here, no shell
            [cap.binary, *args],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(f"Tesseract took longer than {_TIMEOUT_SECONDS} s on one page.") from exc
    except OSError as exc:
        raise OcrFailed(f"Tesseract could not be started: {exc}") from exc


def _detect_rotation(cap: Capability, path: Path) -> int:
    """Degrees to turn the image clockwise so its text is upright (0 when unsure)."""
    rotate, confidence = 0, 0.0
    for line in _output(cap, path, ["--psm", "0"]).splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Rotate":
            rotate = int(value.strip() or 0)
        elif key.strip() == "Orientation confidence":
            confidence = float(value.strip() or 0)
    return rotate % 360 if confidence >= 1.0 else 0


def _output(cap: Capability, image: Path, options: list[str], *, check: bool = False) -> str:
    """Tesseract's output for `image` with `options` (from the cache when one is in use;
    only successful runs are kept). `check`: OcrFailed with Tesseract's last word when
    it fails (else its output, whatever it is)."""
    cached = _cache.get(cap, image, options) if _cache is not None else None
    if cached is not None:
        return cached
    result = _run(cap, [str(image), "-", *options])
    if result.returncode != 0:
        if check:
            stderr = result.stderr.strip()
            raise OcrFailed(stderr.splitlines()[-1] if stderr else f"exit {result.returncode}")
        return result.stdout
    if _cache is not None:
        _cache.put(cap, image, options, result.stdout)
    return result.stdout


def _tsv_words(cap: Capability, path: Path, page: int, size: tuple[int, int]) -> list[Word]:
    options = ["-l", "+".join(cap.languages), "--psm", "3", "tsv"]
    try:
        output = _output(cap, path, options, check=True)
    except OcrFailed as exc:
        raise OcrFailed(f"Tesseract failed on page {page}: {exc}") from exc
    width, height = size
    found: list[_Found] = []
    for row in csv.DictReader(output.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        confidence = float(row["conf"])
        if confidence < 0:
            continue
        line = (row["block_num"], row["par_num"], row["line_num"])
        pixels = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
        found.append(_Found(text, round(confidence, 3), line, pixels))
    turn = _skew(found)
    words: list[Word] = []
    for word in found:
        left, top, w, h = _straightened(word.box, turn, size)
        box = Box(left / width, top / height, w / width, h / height)
        words.append(Word(word.text, page, word.confidence, box))
    return words


@dataclass(frozen=True)
class _Found:
    """A word as Tesseract reports it: pixel box (left, top, width, height) and its line."""

    text: str
    confidence: float
    line: tuple[str, str, str]  # block, paragraph, line number
    box: tuple[int, int, int, int]


def _skew(found: list[_Found]) -> float:
    """The page's tilt in radians (clockwise positive, as y grows downwards): the median
    slope of the baselines of Tesseract's own lines of three or more words. A scan tilted
    by a degree drifts by more than a line height across the page, which would split
    its rows; Tesseract reads the tilted lines well, their positions need setting level."""
    lines: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for word in found:
        left, top, w, h = word.box
        lines.setdefault(word.line, []).append((left + w / 2, top + h))
    slopes: list[float] = []
    for points in lines.values():
        if len(points) < 3:
            continue
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        if spread <= 0:
            continue
        slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
        slopes.extend([slope] * len(points))
    if len(slopes) < _MIN_SKEW_WORDS:
        return 0.0
    angle = math.atan(statistics.median(slopes))
    return angle if abs(angle) >= _MIN_SKEW else 0.0


def _straightened(
    box: tuple[int, int, int, int], angle: float, size: tuple[int, int]
) -> tuple[float, float, float, float]:
    """The box moved to where it would be on the page turned level by `angle` (turned
    about the page's centre; the small box itself keeps its size)."""
    left, top, w, h = box
    if not angle:
        return float(left), float(top), float(w), float(h)
    cx, cy = size[0] / 2, size[1] / 2
    x, y = left + w / 2 - cx, top + h / 2 - cy
    cos, sin = math.cos(angle), math.sin(angle)
    new_x, new_y = cx + x * cos + y * sin, cy - x * sin + y * cos
    return new_x - w / 2, new_y - h / 2, float(w), float(h)


def _mean_confidence(words: list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words) if words else 0.0


def _score(words: list[Word], size: tuple[int, int]) -> float:
    """Confident characters on left-to-right lines: favours the turn that reads best."""
    return _horizontal_share(words, size) * sum(
        len(w.text) * w.confidence for w in words if w.confidence > 50
    )
