"""Run a plugin script on a workbook given as xlwings' JSON, as xlwings Lite does.

xlwings Lite builds ``xw.Book(json=...)`` from what Excel sends, calls the script through
``xlwings.server.custom_scripts_call`` and sends the book's queued actions back to Excel.
:func:`run_script` does the same in-process (CPython or Pyodide), for tests and for trying a
script on a file without Excel.
"""

from __future__ import annotations

import copy
from collections.abc import Coroutine
from typing import Any


def drive(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never waits on anything (a sync script) without an event loop:
    Pyodide's loop cannot be blocked on, and CPython needs none here."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    coro.close()
    raise RuntimeError("the script waited on something; run it with asyncio")


def run_script(name: str, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The actions (``setValues``, ``addSheet``, ``alert``, …) the script sends back to Excel."""
    import xlwings as xw
    import xlwings.server as s

    from parxl_lite import plugin

    if name not in plugin.__all__ or name in plugin.FUNCTIONS:
        raise ValueError(f"unknown script {name!r}")
    book = xw.Book(json=copy.deepcopy(payload))  # xlwings updates the payload it is given
    drive(s.custom_scripts_call(plugin, name, typehint_to_value={xw.Book: book}))
    actions: list[dict[str, Any]] = book.json()["actions"]
    return actions


def call_function(data: dict[str, Any]) -> Any:
    """A custom function call as Excel sends it (``func_name``, 2-D ``args``, …) -> its result;
    an error (what Excel shows as ``#VALUE!`` with this message) -> ``{"error": message}``."""
    import xlwings.server as s

    from parxl_lite import plugin

    try:
        return drive(s.custom_functions_call(data, plugin))
    except Exception as exc:
        return {"error": str(exc)}
