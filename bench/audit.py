"""Auditing stated figures: ``parxl audit`` against the floors around it.

On the five seed documents (as .txt, and as .docx written by python-docx from the same lines),
time
- regex floor: finding every number in the text with one regular expression (the least any
  figure finder does);
- python-docx floor: opening the .docx and reading every paragraph's text (what any .docx reader
  pays);
- audit .txt / audit .docx: parxl's whole audit (reading, outline, figures, all checks);
and print the ratios. Run: .venv/bin/python bench/audit.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import docx
from timing import timed

from parxl.audit import audit_file

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
_NUM = re.compile(r"\d[\d.,]*")


def main() -> None:
    seeds = sorted(SEEDS.glob("0*.txt"))
    if not seeds:
        sys.exit(f"no seeds in {SEEDS}")
    repeat = 7
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for s in seeds:
            text = s.read_text(encoding="utf-8")
            d = docx.Document()
            for line in text.splitlines():
                if line.strip():
                    d.add_paragraph(line)
            path = Path(tmp) / (s.stem + ".docx")
            d.save(str(path))
            floor_re = timed(lambda t=text: _NUM.findall(t), repeat)
            floor_docx = timed(lambda p=path: [q.text for q in docx.Document(str(p)).paragraphs], repeat)
            a_txt = timed(lambda p=s: audit_file(p), repeat)
            a_docx = timed(lambda p=path: audit_file(p), repeat)
            rows.append((s.name[:3], len(text), floor_re, floor_docx, a_txt, a_docx))
    print(f"{'seed':<5}{'KB':>6}{'regex ms':>10}{'docx ms':>10}{'audit txt':>11}{'audit docx':>12}"
          f"{'txt/regex':>11}{'docx/python-docx':>18}")
    for name, size, fr, fd, at, ad in rows:
        print(f"{name:<5}{size / 1024:>6.1f}{fr * 1e3:>10.2f}{fd * 1e3:>10.1f}{at * 1e3:>11.1f}{ad * 1e3:>12.1f}"
              f"{at / fr:>11.0f}{ad / fd:>18.2f}")
    total = [sum(r[i] for r in rows) for i in range(2, 6)]
    print(f"all five: audit .txt {total[2] * 1e3:.0f} ms ({total[2] / total[0]:.0f}× the regex floor); "
          f"audit .docx {total[3] * 1e3:.0f} ms ({total[3] / total[1]:.2f}× python-docx reading alone)")


if __name__ == "__main__":
    main()
