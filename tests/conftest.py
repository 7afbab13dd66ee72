"""Shared fixtures: the small test framework, temp outputs, LibreOffice presence policy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

# xlwings reads its licence key once, on first import: its noncommercial licence covers
# government bodies and unlocks xlwings.server (custom functions and scripts)
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from parxl.framework import Framework, load_yaml

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini() -> Framework:
    return load_yaml(DATA / "mini.yaml")


def require_libreoffice() -> None:
    """LibreOffice tests fail (not skip) on CI when it is missing; skip elsewhere."""
    if shutil.which("soffice") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "LibreOffice (soffice) không có trên máy CI: .ci/run phải cài libreoffice-calc-nogui"
            )
        pytest.skip("LibreOffice not installed")


def libreoffice_convert(src: Path, outdir: Path, to: str) -> Path:
    """``src`` converted by a headless LibreOffice (``to``: "pdf", "xlsx", or with a filter,
    "docx:MS Word 2007 XML") into ``outdir``, with a profile of its own; the converted file."""
    require_libreoffice()
    profile = (outdir.parent / f"lo-profile-{outdir.name}").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=600)
    return outdir / f"{src.stem}.{to.split(':')[0]}"


def saved_as_of(path: Path, stamp: str) -> Path:
    """The file as if last saved at ``stamp`` (docProps/core.xml, as Excel writes it)."""
    with zipfile.ZipFile(path) as src:
        data = {e.filename: (e, src.read(e)) for e in src.infolist()}
    core = data["docProps/core.xml"][1].decode()
    core = re.sub(r"(<dcterms:modified\b[^>]*>)[^<]*", lambda m: m[1] + stamp, core)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, (entry, raw) in data.items():
            z.writestr(entry, core.encode() if name == "docProps/core.xml" else raw)
    return path
