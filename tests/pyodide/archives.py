"""Collect the pure-Python packages that parxl's xlwings Lite path needs, for Pyodide offline.

Pyodide's package CDN is not reachable here, so the packages are taken from this machine:
parxl itself (``parxl``, ``udfs``, ``parxl_lite`` from the repository) and the installed
pure-Python dependencies (PyYAML without its optional C extension, openpyxl, et_xmlfile,
xlwings without its optional Rust extension). Each becomes one zip that
``tests/pyodide/run.mjs`` unpacks into Pyodide's site-packages. Compiled files are refused:
what runs in WebAssembly is only Python.

    python tests/pyodide/archives.py OUT_DIR
"""

from __future__ import annotations

import importlib
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPO_PACKAGES = ("parxl", "udfs", "parxl_lite")
# import name -> why the Lite path needs it (in xlwings Lite, Pyodide provides them)
SITE_PACKAGES = {
    "yaml": "parxl.framework.load (built-in frameworks)",
    "openpyxl": "parxl.inputs / parxl.workbook.build (fill and build scripts)",
    "et_xmlfile": "openpyxl",
    "xlwings": "the @func/@script decorators and xw.Book of the scripts",
}
COMPILED = (".so", ".pyd", ".dll", ".dylib")
SKIP_SUFFIXES = (".pyc", ".xlsm", ".xlam")  # xlwings' desktop workbooks are not needed


def _zip(dest: Path, root: Path, packages: tuple[str, ...]) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for pkg in packages:
            base = root / pkg
            if not base.is_dir():
                raise FileNotFoundError(f"{base} not found")
            for p in sorted(base.rglob("*")):
                if not p.is_file() or "__pycache__" in p.parts or p.suffix in SKIP_SUFFIXES:
                    continue
                if p.name.endswith(COMPILED) or ".cpython-" in p.name:
                    continue  # optional accelerators (PyYAML's _yaml, xlwings' xlwingslib)
                info = zipfile.ZipInfo(str(p.relative_to(root)), (2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, p.read_bytes())
    return dest


def collect(out: Path, site: tuple[str, ...] = tuple(SITE_PACKAGES)) -> list[Path]:
    """Write ``parxl.zip`` and one zip per site package into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [_zip(out / "parxl.zip", ROOT, REPO_PACKAGES)]
    for name in site:
        mod = importlib.import_module(name)
        where = Path(mod.__file__ or "").parent
        paths.append(_zip(out / f"{name}.zip", where.parent, (where.name,)))
    return paths


if __name__ == "__main__":
    for path in collect(Path(sys.argv[1])):
        print(path, path.stat().st_size)
