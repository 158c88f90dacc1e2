"""The local cloud's state on disk, so a restart keeps everything (`docuflow up` without
`--fresh`).

moto 5.2.5 has no persistence of its own: its state is the backends in memory. A
*snapshot* is all of them (every `BackendDict` in use, each account and region) pickled
in one piece, so references between them survive, plus the emulator's own state
(`EmulatorState`: the functions' credentials and what Terraform deployed). Objects
pickle cannot take are written as what they stand for: locks and events as new ones,
threads as nothing, moto's `WeakValueDictionary` indexes as the objects they index, KMS
private keys as PEM. S3 object bodies do not go into the snapshot: each is written once
to `blobs/`, named by its ETag and size, and the snapshot refers to it, so a checkpoint
costs the size of the metadata, not of every document.

A snapshot is a consistent cut: it is taken while `StateGate` holds off every request to
moto, so each request is in it whole or not at all. It is written to a temporary file,
fsync'd and renamed over the previous one, after the blobs it names are on disk; a crash
at any point leaves the previous snapshot or the new one, never a mix. Blobs no snapshot
names are deleted after the new snapshot is in place.

What a snapshot cannot hold is the work in flight: a Step Functions execution that was
running is started again from its input when the state is loaded (the pipeline's steps
are idempotent: status writes are conditional, audit records keyed by the write), and SQS
messages a poller had received but not deleted become visible again at once (the pollers
stopped with the process).
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import importlib
import io
import os
import pickle
import secrets
import string
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docuflow_tools.localcloud.moto_patches import MOTO_VERSION

FORMAT = 1  # bump when what a snapshot holds changes; older snapshots are refused
SNAPSHOT = "state.pickle"
BLOBS = "blobs"


class StateUnreadable(RuntimeError):
    """The kept state cannot be loaded (another moto or format, or a damaged file)."""


@dataclass(frozen=True)
class FunctionCredentials:
    """The credentials the Lambda functions run with: the emulator issued them when this
    state was created, so links they presigned work for as long as the state lives and
    stop working when it is discarded (`--fresh`)."""

    access_key: str
    secret_key: str
    session_token: str

    @classmethod
    def issue(cls) -> FunctionCredentials:
        letters = string.ascii_uppercase + "234567"
        return cls(
            access_key="ASIA" + "".join(secrets.choice(letters) for _ in range(16)),
            secret_key=secrets.token_urlsafe(30),
            session_token=secrets.token_urlsafe(48),
        )


@dataclass
class Deployment:
    """What Terraform deployed into this state: the fingerprint of its inputs and its
    outputs. A start whose inputs have the same fingerprint skips Terraform."""

    fingerprint: str
    outputs: dict[str, Any]


@dataclass
class EmulatorState:
    """The emulator's own part of a snapshot."""

    credentials: FunctionCredentials = field(default_factory=FunctionCredentials.issue)
    deployment: Deployment | None = None


# ---------------------------------------------------------------------------- the gate


class StateGate:
    """Requests to moto share it; a snapshot takes it alone.

    A readers-writer lock that prefers the writer: once a snapshot waits, new requests
    wait behind it, so it is taken within the time of the longest request in flight."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._active = 0
        self._writer = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            while self._writer or self._writers_waiting:
                self._condition.wait()
            self._active += 1
        try:
            yield
        finally:
            with self._condition:
                self._active -= 1
                if self._active == 0:
                    self._condition.notify_all()

    def close(self) -> None:
        """Take the gate alone for good: the process is stopping, no request gets in."""
        self._acquire_exclusive()

    def _acquire_exclusive(self) -> None:
        with self._condition:
            self._writers_waiting += 1
            while self._writer or self._active:
                self._condition.wait()
            self._writers_waiting -= 1
            self._writer = True

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        self._acquire_exclusive()
        try:
            yield
        finally:
            with self._condition:
                self._writer = False
                self._condition.notify_all()


# ---------------------------------------------------------------------------- pickling


_BLOB_DIR: contextvars.ContextVar[Path] = contextvars.ContextVar("blob_dir")


def _new_lock() -> Any:
    return threading.Lock()


def _new_rlock() -> Any:
    return threading.RLock()


def _no_thread() -> None:
    return None


def _weak_values(items: dict[Any, Any]) -> weakref.WeakValueDictionary[Any, Any]:
    return weakref.WeakValueDictionary(items)


def _default_dict(factory: Any, items: dict[Any, Any]) -> collections.defaultdict[Any, Any]:
    return collections.defaultdict(factory, items)


def _private_key(pem: bytes) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(pem, password=None)


def _live_backend_dict(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _fake_key(cls: Any, state: dict[str, Any], blob: str) -> Any:
    """An S3 object (moto's FakeKey) with its body read back from its blob."""
    import tempfile

    key = cls.__new__(cls)
    key.__dict__.update(state)
    # The buffer lives as long as the key, as in moto's own FakeKey.__setstate__.
    key._value_buffer = tempfile.SpooledTemporaryFile(max_size=key._max_buffer_size)  # noqa: SIM115
    key.lock = threading.Lock()
    key.value = (_BLOB_DIR.get() / blob).read_bytes() if blob else b""
    return key


_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


class _Pickler(pickle.Pickler):
    """moto's backends, with what pickle cannot take written as what it stands for."""

    def __init__(self, file: io.BytesIO, blobs: _Blobs) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.blobs = blobs
        self.fake_key: type | None = None
        self.backend_dict: type | None = None
        from moto.core.base_backend import BackendDict
        from moto.s3.models import FakeKey

        self.fake_key, self.backend_dict = FakeKey, BackendDict

    def reducer_override(self, obj: Any) -> Any:  # noqa: PLR0911 - one answer per kind
        kind = type(obj)
        if kind in _LOCK_TYPES:
            return (_new_rlock if "RLock" in kind.__name__ else _new_lock), ()
        if isinstance(obj, threading.Thread):
            return _no_thread, ()
        if isinstance(obj, weakref.WeakValueDictionary):
            return _weak_values, (dict(obj.items()),)
        if (
            kind is collections.defaultdict
            and getattr(obj.default_factory, "__name__", "") == "<lambda>"
        ):
            # moto's `defaultdict(lambda: {})` and the like: the same, with the type made
            return _default_dict, (type(obj.default_factory()), dict(obj))
        if kind is self.fake_key:
            return self._reduce_fake_key(obj)
        if kind is self.backend_dict:
            return _live_backend_dict, _backend_dict_location(obj)
        if kind.__module__.startswith("cryptography") and hasattr(obj, "private_bytes"):
            from cryptography.hazmat.primitives import serialization

            pem = obj.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            return _private_key, (pem,)
        return NotImplemented

    def _reduce_fake_key(self, key: Any) -> Any:
        state = {k: v for k, v in key.__dict__.items() if k not in ("_value_buffer", "lock")}
        blob = "" if key.disposed else self.blobs.name_for(key)
        return _fake_key, (type(key), state, blob)


def _backend_dict_location(backend_dict: Any) -> tuple[str, str]:
    """Where moto keeps this BackendDict: (module, attribute)."""
    module_name = backend_dict.backend.__module__
    candidates = [module_name, module_name.rsplit(".", 1)[0]]
    for candidate in candidates:
        module = sys.modules.get(candidate) or importlib.import_module(candidate)
        for name, value in vars(module).items():
            if value is backend_dict:
                return candidate, name
    raise StateUnreadable(f"cannot find where moto keeps {backend_dict.service_name}'s backends")


class _Blobs:
    """S3 object bodies on disk, one file each, named by ETag and size; written once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.pending: dict[str, bytes] = {}
        self.named: set[str] = set()

    def name_for(self, key: Any) -> str:
        name = f"{key.etag.strip(chr(34))}-{key.size}"
        self.named.add(name)
        if name not in self.pending and not (self.directory / name).exists():
            self.pending[name] = key.value
        return name

    def write_pending(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, data in self.pending.items():
            _write_atomically(self.directory / name, data)
        self.pending.clear()

    def delete_unnamed(self) -> None:
        for path in self.directory.glob("*"):
            if path.name not in self.named and not path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class SnapshotFigures:
    seconds_paused: float  # requests to moto were held off this long
    seconds_total: float
    bytes: int
    blobs_written: int


class StateFolder:
    """Where one local cloud keeps its snapshot and the S3 bodies it names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.snapshot = path / SNAPSHOT
        self.blob_dir = path / BLOBS

    def exists(self) -> bool:
        return self.snapshot.is_file()

    def wipe(self) -> None:
        self.snapshot.unlink(missing_ok=True)
        for blob in self.blob_dir.glob("*"):
            blob.unlink()

    def save(
        self,
        pause: Callable[[], contextlib.AbstractContextManager[Any]],
        emulator: EmulatorState,
        attempts: int = 3,
    ) -> SnapshotFigures:
        """A snapshot of moto and `emulator`, written atomically (see the module's notes).

        Pickled inside `pause()` (StateGate.exclusive: no request to moto meanwhile); Step
        Functions executions run on threads of their own and may change while that
        happens, so a pickle that trips over one ("changed size during iteration") is
        taken again."""
        started = time.perf_counter()
        blobs = _Blobs(self.blob_dir)
        for attempt in range(attempts):
            buffer = io.BytesIO()
            paused = time.perf_counter()
            try:
                with pause():
                    paused = time.perf_counter()
                    _Pickler(buffer, blobs).dump(
                        {
                            "format": FORMAT,
                            "moto": MOTO_VERSION,
                            "saved_at": time.time(),
                            "emulator": emulator,
                            "backends": _live_backends(),
                        }
                    )
                    seconds_paused = time.perf_counter() - paused
                break
            except RuntimeError:
                if attempt == attempts - 1:
                    raise
                blobs = _Blobs(self.blob_dir)
        written = len(blobs.pending)
        self.path.mkdir(parents=True, exist_ok=True)
        blobs.write_pending()
        data = buffer.getvalue()
        _write_atomically(self.snapshot, data)
        _fsync_directory(self.path)
        blobs.delete_unnamed()
        return SnapshotFigures(
            seconds_paused=seconds_paused,
            seconds_total=time.perf_counter() - started,
            bytes=len(data),
            blobs_written=written,
        )

    def load(self) -> EmulatorState:
        """Put the snapshot's backends in place of moto's and return the emulator's state.

        Call before the server takes requests. StateUnreadable when the snapshot was
        written by another moto or format, or cannot be read."""
        try:
            token = _BLOB_DIR.set(self.blob_dir)
            try:
                snapshot = pickle.loads(self.snapshot.read_bytes())  # noqa: S301 - our own file
            finally:
                _BLOB_DIR.reset(token)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            raise StateUnreadable(f"{self.snapshot} cannot be read: {exc}") from exc
        if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
            raise StateUnreadable(f"{self.snapshot} is not a snapshot of format {FORMAT}")
        if snapshot.get("moto") != MOTO_VERSION:
            raise StateUnreadable(
                f"{self.snapshot} was written with moto {snapshot.get('moto')}, "
                f"this is moto {MOTO_VERSION}"
            )
        for location, account, region, backend in snapshot["backends"]:
            _live_backend_dict(*location)[account][region] = backend
        emulator: EmulatorState = snapshot["emulator"]
        return emulator


def _backend_dicts() -> list[Any]:
    """moto's BackendDicts that hold at least one backend."""
    from moto.core.base_backend import BackendDict

    return list(getattr(BackendDict, "_instances"))  # noqa: B009 - a generic class's list


def _live_backends() -> list[tuple[tuple[str, str], str, str, Any]]:
    """Every backend moto holds now: ((module, attribute), account, region, backend)."""
    return [
        (_backend_dict_location(backend_dict), account, region, backend)
        for backend_dict in _backend_dicts()
        for account, region, backend in list(backend_dict.iter_backends())
    ]


# ---------------------------------------------------------------------------- after load


def resume_work_in_flight(log: Callable[[str], None]) -> None:
    """What a snapshot could not hold: started again or made visible (module notes)."""
    restarted = visible = 0
    for backend_dict in _backend_dicts():
        for _, _, backend in backend_dict.iter_backends():
            kind = type(backend).__name__
            if kind == "StepFunctionsParserBackend":
                for machine in backend.state_machines:
                    for execution in machine.executions:
                        if execution.exec_status is not None and execution.status == "RUNNING":
                            execution.exec_worker = None
                            execution.start()
                            restarted += 1
            elif kind == "SQSBackend":
                for queue in backend.queues.values():
                    for message in queue._messages:
                        if not message.visible:
                            message.visible_at = 0.0
                            visible += 1
    if restarted or visible:
        log(
            f"started again {restarted} Step Functions execution(s) that were running; "
            f"{visible} SQS message(s) in flight are visible again"
        )


# ---------------------------------------------------------------------------- checkpoints


class Checkpointer:
    """Takes a snapshot soon after each write, on a thread of its own.

    A write marks the state dirty; the next snapshot starts `delay` seconds later (writes
    in between go into the same one), and never sooner after the previous one than
    `1/share - 1` times as long as that one kept requests waiting, so checkpoints hold
    requests off at most a `share` of the time however large the state grows. While
    `paused()` (a Terraform apply), no snapshot is taken: one is taken when it is done."""

    def __init__(
        self,
        save: Callable[[], SnapshotFigures],
        log: Callable[[str], None],
        *,
        delay: float = 0.5,
        share: float = 0.2,
    ) -> None:
        self._save = save
        self._log = log
        self.delay = delay
        self.share = share
        self._condition = threading.Condition()
        self._dirty_since: float | None = None
        self._paused = 0
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.count = 0
        self.last: SnapshotFigures | None = None
        self.last_at: float | None = None  # time.time() when the last snapshot was taken
        self._last_end = 0.0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="checkpoints")
        self._thread.start()

    def mark(self) -> None:
        """Something changed: take a snapshot soon."""
        with self._condition:
            if self._dirty_since is None:
                self._dirty_since = time.monotonic()
                self._condition.notify_all()

    @property
    def dirty(self) -> bool:
        with self._condition:
            return self._dirty_since is not None

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        with self._condition:
            self._paused += 1
        try:
            yield
        finally:
            with self._condition:
                self._paused -= 1
                self._condition.notify_all()

    def checkpoint(self) -> SnapshotFigures:
        """A snapshot now, on the caller's thread."""
        with self._condition:
            self._dirty_since = None
        started = time.time()
        figures = self._save()
        with self._condition:
            self.count += 1
            self.last, self.last_at = figures, started
            self._last_end = time.monotonic()
        return figures

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def _due(self) -> float | None:
        """When the next snapshot may start (monotonic), or None if none is needed."""
        if self._dirty_since is None or self._paused:
            return None
        spacing = 0.0
        if self.last is not None:
            spacing = self.last.seconds_paused * (1 / self.share - 1)
        return max(self._dirty_since + self.delay, self._last_end + spacing)

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._stopping:
                    due = self._due()
                    if due is not None and time.monotonic() >= due:
                        break
                    self._condition.wait(None if due is None else due - time.monotonic())
                if self._stopping:
                    return
            try:
                self.checkpoint()
            except Exception as exc:  # noqa: BLE001 - keep serving; say why and try again later
                self._log(f"checkpoint failed, will try again: {type(exc).__name__}: {exc}")
                self.mark()
                time.sleep(1.0)
