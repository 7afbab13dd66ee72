"""parxl for xlwings Lite: PAR functions and scripts in Excel with no Python installed.

xlwings Lite runs Python inside Excel through Pyodide (WebAssembly). This package is its
plugin: the custom functions and scripts are in :mod:`parxl_lite.plugin`; the pure parts
(reading the open workbook, a JSON entry point for tests) import neither xlwings nor any
compiled package.
"""
