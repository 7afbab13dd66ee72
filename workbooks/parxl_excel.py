"""Called by the buttons of parxl_excel.xlsm: RunPython "import parxl_excel; parxl_excel.main()".

Keep this file beside parxl_excel.xlsm; the work is done by parxl (pip install . in its source folder), see
udfs/macros.py.
"""

from udfs.macros import main

__all__ = ["main"]
