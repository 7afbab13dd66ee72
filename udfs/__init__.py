"""parxl in Excel: xlwings UDFs, macros and the xlwings Server / Lite module.

* :mod:`udfs.core` — the ``PAR_*`` computations, runtime-neutral (plain Python, Pyodide-safe),
  and their registration with the ``formulas`` engine (:func:`udfs.core.register_formulas`);
* :mod:`udfs.functions` — the ``@xw.func`` UDFs for desktop Excel (UDF Modules = ``udfs.functions``);
* :mod:`udfs.macros` — the jobs behind the buttons of ``workbooks/parxl_excel.xlsm``;
* :mod:`udfs.server` — the same functions and jobs for xlwings Server / Lite (Office.js);
* :mod:`udfs.make_xlsm` — rebuilds ``workbooks/`` (``python -m udfs.make_xlsm``).
"""
