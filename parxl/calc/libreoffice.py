"""Recalculation with a real LibreOffice, driven over UNO by a long-lived worker.

``uno`` imports only in the interpreter LibreOffice was built for (Debian's /usr/bin/python3,
or the ``program/python`` LibreOffice bundles on Windows/macOS), not in parxl's venv. So the
UNO client is :mod:`parxl.calc.lo_worker`, run as a subprocess by such an interpreter; it
starts ONE ``soffice --headless`` with a private user profile (parallel runs do not clash)
and a private pipe name (no port to pick), and answers line-delimited JSON requests.

The parent (this module) starts the worker lazily on the first request, reuses it for every
later workbook (about 0.1 s per PAR-sized workbook once warm, against ~1.5 s for a cold
``soffice --convert-to``), and shuts it down at interpreter exit (:mod:`atexit`). If the
worker or soffice dies, the request is retried once on a fresh worker; a second failure
raises :class:`~parxl.errors.EngineError`. Requests are serialized by a lock, so the module
is thread-safe; a forked child starts its own worker.

Environment variables (all optional):

``PARXL_SOFFICE``
    path of the ``soffice`` executable (default: found on PATH and in the usual places).
``PARXL_UNO_PYTHON``
    interpreter that can ``import uno`` (default: probed among the usual places).
``PARXL_LO_TIMEOUT``
    seconds to wait for one workbook before the worker is considered hung (default 600).
``PARXL_LO_START_TIMEOUT``
    seconds the worker waits for soffice to accept a connection (default 120).
``PARXL_LO_NO_BASIC``
    if set, boolean results are found over UNO instead of by a small Basic function run
    inside soffice (slower; for soffice builds without Basic, and for tests).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import glob
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from parxl.errors import EngineError, Location

__all__ = [
    "TypedValue",
    "find_soffice",
    "find_uno_python",
    "libreoffice_available",
    "shutdown",
    "store",
    "typed_values",
]

# (kind, value): kind "n" number (float), "s" string, "b" boolean, "e" Excel error text.
TypedValue = tuple[str, Any]

_WORKER_SCRIPT = Path(__file__).with_name("lo_worker.py")


# --------------------------------------------------------------------------- discovery
def _soffice_candidates() -> list[str]:
    found: list[str] = []
    env = os.environ.get("PARXL_SOFFICE")
    if env:
        found.append(env)
    for name in ("soffice", "libreoffice"):
        hit = shutil.which(name)
        if hit:
            found.append(hit)
    found += [
        "/usr/bin/soffice",
        "/usr/lib/libreoffice/program/soffice",
        *sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True),
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ]
    return found


@functools.cache
def find_soffice() -> str | None:
    """Path of the ``soffice`` executable, or None when LibreOffice is not installed."""
    for cand in _soffice_candidates():
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


def _python_candidates(soffice: str | None) -> list[str]:
    found: list[str] = []
    env = os.environ.get("PARXL_UNO_PYTHON")
    if env:
        found.append(env)
    if soffice:  # LibreOffice's own bundled python (Windows, macOS, TDF Linux builds)
        prog = Path(os.path.realpath(soffice)).parent
        found += [str(prog / "python"), str(prog / "python.exe")]
        found.append(str(prog.parent / "Resources" / "python"))  # macOS app bundle
    found += ["/usr/bin/python3", "/usr/local/bin/python3", sys.executable]
    hit = shutil.which("python3")
    if hit:
        found.append(hit)
    seen: set[str] = set()
    unique = []
    for cand in found:
        if cand not in seen:
            seen.add(cand)
            unique.append(cand)
    return unique


@functools.cache
def find_uno_python() -> str | None:
    """An interpreter on this machine that can ``import uno``, or None."""
    for cand in _python_candidates(find_soffice()):
        if not (os.path.isfile(cand) and os.access(cand, os.X_OK)):
            continue
        try:
            proc = subprocess.run(
                [cand, "-c", "import uno"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if proc.returncode == 0:
            return cand
    return None


def libreoffice_available() -> bool:
    """True when both ``soffice`` and a Python that can ``import uno`` are installed."""
    return find_soffice() is not None and find_uno_python() is not None


# --------------------------------------------------------------------------- worker
class _WorkerDied(Exception):
    """The worker process exited, hung, or answered garbage."""


class _Worker:
    """One ``lo_worker.py`` subprocess (which owns one soffice)."""

    def __init__(self, python: str, soffice: str) -> None:
        self.log = tempfile.TemporaryFile(prefix="parxl-lo-worker-")  # noqa: SIM115
        # soffice profiles live in here; removed by close() even if the worker was killed
        self.workdir = tempfile.mkdtemp(prefix="parxl-lo-")
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)  # the venv's packages must not shadow the system ones
        env.pop("PYTHONHOME", None)
        env["PYTHONIOENCODING"] = "utf-8"
        self.proc = subprocess.Popen(
            [python, "-u", str(_WORKER_SCRIPT), soffice, self.workdir],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self.pid = os.getpid()
        self.soffice_pid: int | None = None  # process group of the worker's soffice
        self.lines: queue.Queue[str | None] = queue.Queue()
        stdout = self.proc.stdout
        assert stdout is not None
        threading.Thread(target=self._read, args=(stdout,), daemon=True).start()

    def _read(self, stdout: IO[str]) -> None:
        try:
            for line in stdout:
                self.lines.put(line)
        except (OSError, ValueError):
            pass
        self.lines.put(None)

    def log_tail(self, limit: int = 1500) -> str:
        try:
            self.log.seek(0)
            text = self.log.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return text[-limit:].strip()

    def request(self, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(req, ensure_ascii=True) + "\n")
            stdin.flush()
        except (OSError, ValueError) as exc:
            raise _WorkerDied(f"cannot write to worker: {exc}") from exc
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise _WorkerDied(f"no answer within {timeout:.0f} s") from None
        if line is None:
            raise _WorkerDied(f"worker exited with code {self.proc.wait()}")
        try:
            reply = json.loads(line)
        except ValueError as exc:
            raise _WorkerDied(f"unreadable answer {line[:200]!r}") from exc
        if not isinstance(reply, dict):
            raise _WorkerDied(f"unreadable answer {line[:200]!r}")
        pid = reply.get("soffice_pid")
        if isinstance(pid, int):
            self.soffice_pid = pid
        return reply

    def close(self) -> None:
        proc = self.proc
        if proc.poll() is None:
            with contextlib.suppress(OSError, ValueError, _WorkerDied):
                self.request({"op": "quit"}, timeout=30)
            with contextlib.suppress(OSError, ValueError):
                if proc.stdin is not None:
                    proc.stdin.close()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._reap_soffice()
        with contextlib.suppress(OSError, ValueError):
            if proc.stdout is not None:
                proc.stdout.close()
        with contextlib.suppress(OSError):
            self.log.close()

    def _reap_soffice(self) -> None:
        """End the worker's soffice and remove its files if the worker could not (killed).

        soffice runs in its own session, so its process group id is its launcher's pid.
        A worker that exited normally has already ended it: then the group is gone.
        """
        pgid, self.soffice_pid = self.soffice_pid, None
        if pgid is not None and os.name == "posix":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
        shutil.rmtree(self.workdir, ignore_errors=True)
        # the socket file of a killed soffice's pipe (named parxl_<worker pid>_<random>)
        for folder in {tempfile.gettempdir(), "/tmp"}:
            for stale in glob.glob(os.path.join(folder, f"OSL_PIPE_*_parxl_{self.proc.pid}_*")):
                with contextlib.suppress(OSError):
                    os.unlink(stale)


_lock = threading.RLock()
_worker: _Worker | None = None
_atexit_registered = False


def _timeout() -> float:
    try:
        return float(os.environ.get("PARXL_LO_TIMEOUT", "600"))
    except ValueError:
        return 600.0


def _get_worker(file: str) -> _Worker:
    global _worker, _atexit_registered
    if _worker is not None and (_worker.pid != os.getpid() or _worker.proc.poll() is not None):
        if _worker.pid == os.getpid():
            _worker.close()
        _worker = None  # a forked child must not share its parent's worker
    if _worker is None:
        soffice = find_soffice()
        if soffice is None:
            raise EngineError(
                "Không tìm thấy LibreOffice (soffice) trên máy này nên không thể tính lại "
                "công thức. Hãy cài LibreOffice (ví dụ: apt-get install libreoffice-calc-nogui) "
                "hoặc đặt biến môi trường PARXL_SOFFICE, hoặc dùng engine 'formulas'.",
                Location(file=file),
            )
        python = find_uno_python()
        if python is None:
            raise EngineError(
                "Không tìm thấy trình thông dịch Python nào nhập được mô-đun 'uno' của "
                "LibreOffice (ví dụ /usr/bin/python3 cùng gói python3-uno). Hãy cài gói "
                "python3-uno hoặc đặt biến môi trường PARXL_UNO_PYTHON.",
                Location(file=file),
            )
        try:
            _worker = _Worker(python, soffice)
        except OSError as exc:
            raise EngineError(
                f"Không khởi động được tiến trình LibreOffice: {exc}", Location(file=file)
            ) from exc
        if not _atexit_registered:
            atexit.register(shutdown)
            _atexit_registered = True
    return _worker


def shutdown() -> None:
    """Stop the worker and its soffice (registered with :mod:`atexit`; safe to call twice)."""
    global _worker
    with _lock:
        if _worker is not None:
            if _worker.pid == os.getpid():
                _worker.close()
            _worker = None


def _call(req: dict[str, Any], file: str) -> dict[str, Any]:
    """Send one request; on a dead worker or soffice retry once on a fresh one."""
    global _worker
    with _lock:
        problem = ""
        for _attempt in range(2):
            worker = _get_worker(file)
            try:
                reply = worker.request(req, _timeout())
            except _WorkerDied as exc:
                problem = f"{exc}; {worker.log_tail()}".strip("; ")
                worker.proc.kill()
                worker.close()
                _worker = None
                continue
            if reply.get("ok"):
                return reply
            if reply.get("fatal"):
                problem = str(reply.get("error", ""))
                worker.close()
                _worker = None
                continue
            raise EngineError(
                f"LibreOffice không tính lại được tệp này: {reply.get('error', '')}",
                Location(file=file),
            )
        raise EngineError(
            f"LibreOffice bị dừng đột ngột khi tính lại tệp này (đã thử khởi động lại một "
            f"lần): {problem}",
            Location(file=file),
        )


def typed_values(src: Path) -> dict[str, dict[str, TypedValue]]:
    """Load ``src`` hidden in LibreOffice, ``calculateAll()``, and return every formula cell.

    Keys are LibreOffice's sheet names (the workbook's own) and addresses like ``"M12"``;
    values are ``(kind, value)`` pairs, kind one of ``"n"``, ``"s"``, ``"b"``, ``"e"``.
    """
    path = Path(src).resolve()
    if not path.is_file():
        raise EngineError("Không tìm thấy tệp cần tính lại.", Location(file=str(src)))
    reply = _call({"op": "values", "path": str(path)}, str(src))
    raw = reply.get("values")
    if not isinstance(raw, dict):
        raise EngineError("LibreOffice trả về kết quả không đọc được.", Location(file=str(src)))
    out: dict[str, dict[str, TypedValue]] = {}
    for sheet, cells in raw.items():
        out[str(sheet)] = {str(a): (str(kv[0]), kv[1]) for a, kv in cells.items()}
    return out


def store(src: Path, dst: Path) -> None:
    """Recalculate ``src`` and save it with LibreOffice's own xlsx export to ``dst``.

    LibreOffice rewrites the whole file (styles, validations, names in its own way), so
    :func:`parxl.calc.recalc` does not use this; it is kept for comparisons and debugging.
    """
    path = Path(src).resolve()
    if not path.is_file():
        raise EngineError("Không tìm thấy tệp cần tính lại.", Location(file=str(src)))
    _call({"op": "store", "path": str(path), "dst": str(Path(dst).resolve())}, str(src))
