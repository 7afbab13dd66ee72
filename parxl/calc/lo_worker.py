"""UNO worker: drives one long-lived headless LibreOffice for parxl.calc.libreoffice.

Run as a script by an interpreter that can ``import uno`` (Debian's /usr/bin/python3, the
``program/python`` bundled with LibreOffice on Windows/macOS, ...):

    python3 lo_worker.py /path/to/soffice /private/work/dir

It must not import parxl (it runs outside the venv). It starts ``soffice --headless`` with a
private user profile and a private pipe name, connects over UNO (retrying while soffice starts)
and then answers requests, one JSON object per line on stdin, one JSON reply per line on
stdout:

    {"op": "values", "path": "/abs/file.xlsx"}
        -> {"ok": true, "values": {"<sheet>": {"A1": ["n", 1.5], ...}}}
           kinds: "n" number, "s" string, "b" boolean, "e" Excel error text
    {"op": "store", "path": "/abs/in.xlsx", "dst": "/abs/out.xlsx"}
        -> {"ok": true}            (recalculate and save with LibreOffice's own xlsx filter)
    {"op": "ping"}  -> {"ok": true, "pid": <soffice pid>}
    {"op": "quit"}  -> {"ok": true} and exit
    any failure     -> {"ok": false, "error": "<text>", "fatal": <bool>}

Every reply also carries ``"soffice_pid"`` (the leader of soffice's process group) so that
the parent can end soffice if this worker is killed.

If soffice dies or the bridge breaks during a request, the worker restarts soffice once and
retries the request; if that fails too it replies with ``"fatal": true``. When stdin closes
(the parent exited, even abruptly) the worker terminates soffice, kills its process group if
needed, and removes the private profile and the pipe's socket file.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

START_TIMEOUT = float(os.environ.get("PARXL_LO_START_TIMEOUT", "120"))

# com.sun.star.sheet.CellFlags.FORMULA, FormulaResult.*, util.NumberFormat.LOGICAL
_FORMULA = 16
_RESULT_STRING = 2
_RESULT_ERROR = 4
_LOGICAL = 1024

# LibreOffice FormulaError codes -> Excel error values (as LibreOffice's xlsx export maps
# them, with argument-domain errors given Excel's #NUM!).
_ERRORS = {
    502: "#NUM!",  # IllegalArgument, e.g. SQRT(-1)
    503: "#NUM!",  # IllegalFPOperation
    519: "#VALUE!",  # NoValue
    521: "#NULL!",  # NoCode
    523: "#NUM!",  # NoConvergence
    524: "#REF!",  # NoRef
    525: "#NAME?",  # NoName
    532: "#DIV/0!",  # DivisionByZero
    32767: "#N/A",  # NotAvailable
}

# Booleans are numbers with a BOOLEAN number format in LibreOffice (inferred for formulas
# like =A1="Có"). Checking each formula cell's format over the UNO bridge costs ~1 ms a call;
# this Basic function does it inside soffice (~0.05 s for a PAR workbook of ~950 formulas).
_BASIC_LIB = "ParxlCalc"
_BASIC_MODULE = "Reader"
_BASIC_SOURCE = """
Function ParxlBools(oDoc As Object) As String
    Dim oSheets As Object, oSheet As Object, oCell As Object, oFormats As Object
    Dim aAddr As Variant, a As Variant, s As String
    Dim i As Long, k As Long, r As Long, c As Long, v As Double
    oFormats = oDoc.getNumberFormats()
    oSheets = oDoc.getSheets()
    s = ""
    For i = 0 To oSheets.getCount() - 1
        oSheet = oSheets.getByIndex(i)
        aAddr = oSheet.queryFormulaCells(1).getRangeAddresses()
        For k = LBound(aAddr) To UBound(aAddr)
            a = aAddr(k)
            For r = a.StartRow To a.EndRow
                For c = a.StartColumn To a.EndColumn
                    oCell = oSheet.getCellByPosition(c, r)
                    v = oCell.getValue()
                    If v = 0 Or v = 1 Then
                        If (oFormats.getByKey(oCell.NumberFormat).Type And 1024) <> 0 Then
                            s = s & i & " " & c & " " & r & Chr(10)
                        End If
                    End If
                Next c
            Next r
        Next k
    Next i
    ParxlBools = s
End Function
"""


def _prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _col_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def _cells(addresses: Any) -> list[tuple[int, int]]:
    """(column, row) of every cell of a sequence of CellRangeAddress."""
    return [
        (col, row)
        for a in addresses
        for row in range(a.StartRow, a.EndRow + 1)
        for col in range(a.StartColumn, a.EndColumn + 1)
    ]


class Office:
    """One soffice process and the UNO connection to it."""

    def __init__(self, soffice: str, workdir: str) -> None:
        self.soffice = soffice
        self.workdir = workdir  # owned by the parent, which removes it even if we are killed
        self.proc: subprocess.Popen[bytes] | None = None
        self.profile = ""
        self.pipe = ""
        self.desktop: Any = None
        self.ctx: Any = None
        self.script: Any = None

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="profile-", dir=self.workdir)
        pipe = self.pipe = f"parxl_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        cmd = [
            self.soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "--nofirststartwizard",
            "-env:UserInstallation=" + Path(self.profile).as_uri(),
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True  # own process group: soffice + soffice.bin
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **kwargs,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                # soffice may restart itself once on a fresh profile: only give up on timeout
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"soffice did not accept a connection within {START_TIMEOUT:.0f} s"
                    ) from None
                time.sleep(0.05)
        self.ctx = ctx
        self.script = None
        self.desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx
        )

    def stop(self) -> None:
        if self.desktop is not None:
            with contextlib.suppress(Exception):  # the bridge closes while terminating
                self.desktop.terminate()
            self.desktop = None
        proc = self.proc
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=15)
            if os.name == "posix":
                # soffice.bin is a child of the soffice launcher: end the whole group
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
            elif proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=15)
            self.proc = None
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = ""
        if self.pipe:  # a killed soffice leaves its pipe's socket file behind
            for folder in {tempfile.gettempdir(), "/tmp"}:
                for stale in glob.glob(os.path.join(folder, f"OSL_PIPE_*_{self.pipe}")):
                    with contextlib.suppress(OSError):
                        os.unlink(stale)
            self.pipe = ""

    def alive(self) -> bool:
        if self.proc is None or self.proc.poll() is not None or self.desktop is None:
            return False
        try:
            self.desktop.getComponents()
        except Exception:
            return False
        return True

    # -- documents ------------------------------------------------------------------------
    def _load(self, path: str) -> Any:
        if self.desktop is None:
            self.start()
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        props = (
            _prop("Hidden", True),
            _prop("ReadOnly", True),  # never touch the source, no lock file
            _prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
            _prop("UpdateDocMode", 0),  # NO_UPDATE of links
        )
        doc = self.desktop.loadComponentFromURL(url, "_blank", 0, props)
        if doc is None:
            raise ValueError(f"LibreOffice could not open {path}")
        return doc

    def _bools_script(self) -> Any:
        """The Basic function ParxlBools, installed in this soffice's private profile."""
        if self.script is None:
            smgr = self.ctx.ServiceManager
            libs = smgr.createInstanceWithContext(
                "com.sun.star.script.ApplicationScriptLibraryContainer", self.ctx
            )
            if libs.hasByName(_BASIC_LIB):
                lib = libs.getByName(_BASIC_LIB)
            else:
                lib = libs.createLibrary(_BASIC_LIB)
            if lib.hasByName(_BASIC_MODULE):
                lib.replaceByName(_BASIC_MODULE, _BASIC_SOURCE)
            else:
                lib.insertByName(_BASIC_MODULE, _BASIC_SOURCE)
            factory = smgr.createInstanceWithContext(
                "com.sun.star.script.provider.MasterScriptProviderFactory", self.ctx
            )
            self.script = factory.createScriptProvider("").getScript(
                f"vnd.sun.star.script:{_BASIC_LIB}.{_BASIC_MODULE}.ParxlBools"
                "?language=Basic&location=application"
            )
        return self.script

    def _booleans(self, doc: Any) -> dict[int, set[tuple[int, int]]] | None:
        """{sheet index: {(col, row)}} of formula cells with a boolean result, or None."""
        if os.environ.get("PARXL_LO_NO_BASIC"):  # escape hatch, and tests of the fallback
            return None
        try:
            text = self._bools_script().invoke((doc,), (), ())[0]
        except Exception as exc:  # no Basic runtime: read formats over UNO instead (slower)
            print(f"lo_worker: Basic unavailable ({_describe(exc)})", file=sys.stderr)
            self.script = None
            return None
        out: dict[int, set[tuple[int, int]]] = {}
        for line in str(text).splitlines():
            i, c, r = (int(x) for x in line.split())
            out.setdefault(i, set()).add((c, r))
        return out

    def values(self, path: str) -> dict[str, dict[str, list[Any]]]:
        doc = self._load(path)
        try:
            doc.calculateAll()
            booleans = self._booleans(doc)
            formats = doc.getNumberFormats()
            logical: dict[int, bool] = {}
            out: dict[str, dict[str, list[Any]]] = {}
            sheets = doc.getSheets()
            for i in range(sheets.getCount()):
                sheet = sheets.getByIndex(i)
                if booleans is not None:
                    is_bool = _in_set(booleans.get(i, set()))
                else:
                    is_bool = _in_areas(_bool_areas(sheet, formats, logical))
                out[sheet.getName()] = _sheet_values(sheet, is_bool)
            return out
        finally:
            doc.close(True)

    def store(self, path: str, dst: str) -> None:
        doc = self._load(path)
        try:
            doc.calculateAll()
            url = uno.systemPathToFileUrl(os.path.abspath(dst))
            doc.storeToURL(url, (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        finally:
            doc.close(True)


def _in_set(cells: set[tuple[int, int]]) -> Callable[[int, int], bool]:
    return lambda col, row: (col, row) in cells


def _in_areas(areas: list[tuple[int, int, int, int]]) -> Callable[[int, int], bool]:
    return lambda col, row: any(a <= col <= c and b <= row <= d for a, b, c, d in areas)


def _bool_areas(sheet: Any, formats: Any, logical: dict[int, bool]) -> list[Any]:
    """Rectangles of ``sheet`` with a BOOLEAN number format (one UNO call per format)."""
    areas = []
    for ranges in sheet.getUniqueCellFormatRanges():
        addresses = ranges.getRangeAddresses()
        if not addresses:
            continue
        first = sheet.getCellByPosition(addresses[0].StartColumn, addresses[0].StartRow)
        key = int(first.NumberFormat)
        if key not in logical:
            logical[key] = bool(int(formats.getByKey(key).Type) & _LOGICAL)
        if logical[key]:
            areas += [(a.StartColumn, a.StartRow, a.EndColumn, a.EndRow) for a in addresses]
    return areas


def _sheet_values(sheet: Any, is_bool: Callable[[int, int], bool]) -> dict[str, list[Any]]:
    """Every formula cell of ``sheet``, with a handful of UNO calls (not one per cell)."""
    blocks = sheet.queryContentCells(_FORMULA).getRangeAddresses()
    if not blocks:
        return {}
    c0 = min(b.StartColumn for b in blocks)
    r0 = min(b.StartRow for b in blocks)
    c1 = max(b.EndColumn for b in blocks)
    r1 = max(b.EndRow for b in blocks)
    data = sheet.getCellRangeByPosition(c0, r0, c1, r1).getDataArray()
    strings = set(_cells(sheet.queryFormulaCells(_RESULT_STRING).getRangeAddresses()))
    errors = set(_cells(sheet.queryFormulaCells(_RESULT_ERROR).getRangeAddresses()))
    cells: dict[str, list[Any]] = {}
    for col, row in _cells(blocks):
        addr = f"{_col_name(col)}{row + 1}"
        val = data[row - r0][col - c0]
        if (col, row) in errors:
            cell = sheet.getCellByPosition(col, row)
            err = _ERRORS.get(int(cell.getError()))
            if err is None:
                text = cell.getString()
                err = text if text.startswith("#") else "#VALUE!"
            cells[addr] = ["e", err]
        elif (col, row) in strings:
            cells[addr] = ["s", val if isinstance(val, str) else ""]
        elif not isinstance(val, float):  # should not happen: ask the cell itself
            cells[addr] = ["n", float(sheet.getCellByPosition(col, row).getValue())]
        elif val in (0.0, 1.0) and is_bool(col, row):
            cells[addr] = ["b", val == 1.0]
        else:
            cells[addr] = ["n", val]
    return cells


def _handle(office: Office, req: dict[str, Any]) -> dict[str, Any]:
    op = req.get("op")
    if op == "values":
        return {"ok": True, "values": office.values(str(req["path"]))}
    if op == "store":
        office.store(str(req["path"]), str(req["dst"]))
        return {"ok": True}
    if op == "ping":
        if office.desktop is None:
            office.start()
        return {"ok": True, "pid": office.proc.pid if office.proc else None}
    return {"ok": False, "error": f"unknown op {op!r}", "fatal": False}


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: lo_worker.py /path/to/soffice /private/work/dir", file=sys.stderr)
        return 2
    # Keep a private handle on the real stdout for replies; anything else printed to fd 1
    # (by UNO libraries, say) goes to stderr instead of corrupting the protocol.
    reply = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
    os.dup2(2, 1)
    office = Office(sys.argv[1], sys.argv[2])
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                req = json.loads(line)
            except ValueError as exc:
                resp: dict[str, Any] = {"ok": False, "error": f"bad request: {exc}"}
                resp["fatal"] = False
            else:
                if req.get("op") == "quit":
                    reply.write(json.dumps({"ok": True}) + "\n")
                    reply.flush()
                    break
                resp = _serve(office, req)
            if office.proc is not None:
                resp["soffice_pid"] = office.proc.pid  # the parent cleans up if we die
            reply.write(json.dumps(resp, ensure_ascii=True, allow_nan=False) + "\n")
            reply.flush()
    finally:
        office.stop()
    return 0


def _serve(office: Office, req: dict[str, Any]) -> dict[str, Any]:
    try:
        return _handle(office, req)
    except Exception as first:
        if office.alive():  # soffice is fine: the document itself is the problem
            return {"ok": False, "error": _describe(first), "fatal": False}
        print(f"lo_worker: soffice lost ({_describe(first)}), restarting", file=sys.stderr)
        office.stop()
        try:
            office.start()
            return _handle(office, req)
        except Exception as second:
            fatal = not office.alive()
            return {"ok": False, "error": _describe(second), "fatal": fatal}


def _describe(exc: BaseException) -> str:
    msg = getattr(exc, "Message", "") or str(exc)
    return f"{type(exc).__name__}: {msg}".strip()


if __name__ == "__main__":
    sys.exit(main())
