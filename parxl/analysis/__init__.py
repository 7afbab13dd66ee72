"""Analysis of scored returns: pandas tables, no I/O.

Every function takes a :class:`~parxl.framework.model.Framework` and
:class:`~parxl.score.Scores` (or tables built from them), never files:

- :func:`items_frame` — one row per item with the tree, office, scorer and numbers;
- :func:`deductions`, :func:`deduction_summary`, :func:`domain_split` — deducted points and
  shares per item / criterion / domain / office, survey points separately and together;
- :func:`interim` — secured / lost / not due / undetermined / reachable (sơ kết);
- :func:`rank_bodies`, :func:`group_averages` — ranking peers, change from last year;
- :func:`compare_years` — items improved / persisted / new, domains up / down;
  :func:`same_items` — the items two years' frameworks share;
- :func:`task_progress` — plan-task tracking per domain;
- :func:`remedy_list`, :func:`remedy_by_office` — what each office must fix, by when.
"""

from parxl.analysis.deductions import DeductionSummary, deduction_summary, deductions, domain_split
from parxl.analysis.frames import (
    EXTERNAL_OFFICE,
    NO_OFFICE,
    SURVEY_OFFICE,
    UNASSIGNED,
    items_frame,
    office_label,
)
from parxl.analysis.interim import Interim, Position, interim
from parxl.analysis.ranking import competition_rank, group_averages, infer_group, rank_bodies
from parxl.analysis.remedy import add_working_days, remedy_by_office, remedy_list
from parxl.analysis.tasks import TASK_STATUSES, normalize_tasks, task_progress
from parxl.analysis.yoy import YearOverYear, compare_years, same_items

__all__ = [
    "EXTERNAL_OFFICE",
    "NO_OFFICE",
    "SURVEY_OFFICE",
    "TASK_STATUSES",
    "UNASSIGNED",
    "DeductionSummary",
    "Interim",
    "Position",
    "YearOverYear",
    "add_working_days",
    "compare_years",
    "competition_rank",
    "deduction_summary",
    "deductions",
    "domain_split",
    "group_averages",
    "infer_group",
    "interim",
    "items_frame",
    "normalize_tasks",
    "office_label",
    "rank_bodies",
    "remedy_by_office",
    "remedy_list",
    "same_items",
    "task_progress",
]
