"""Distribute templates to offices and bodies; collect, check, consolidate and score returns.

Pure functions over paths, usable from the command line and from an xlwings macro::

    distribute(fw, "phat-hanh/")                  # one workbook per responsible office
    distribute(fw, "phat-hanh/", bodies=names)    # one workbook per body
    result = collect("tra-ve/", "tong-hop.xlsx")  # result.issues, result.scores
"""

from parxl.office.check import ERROR, WARNING, Issue
from parxl.office.collect import BodyScore, CollectResult, collect
from parxl.office.distribute import distribute, read_bodies, safe_file_name
from parxl.workbook.safety import Limits, ReturnRejected

__all__ = [
    "ERROR",
    "WARNING",
    "BodyScore",
    "CollectResult",
    "Issue",
    "Limits",
    "ReturnRejected",
    "collect",
    "distribute",
    "read_bodies",
    "safe_file_name",
]
