"""Frameworks as data: the model, loaders and the built-in frameworks."""

from parxl.framework.load import builtin, builtin_ids, dump_yaml, from_dict, load_yaml, resolve
from parxl.framework.model import SCORERS, Criterion, Domain, Framework, Item, Rule

__all__ = [
    "SCORERS",
    "Criterion",
    "Domain",
    "Framework",
    "Item",
    "Rule",
    "builtin",
    "builtin_ids",
    "dump_yaml",
    "from_dict",
    "load_yaml",
    "resolve",
]
