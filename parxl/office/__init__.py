"""Distribute templates to offices and bodies; collect, check, consolidate and score returns.

Pure functions over paths, usable from the command line and from an xlwings macro; the public
names are :func:`parxl.distribute` and :func:`parxl.collect`::

    parxl.distribute(fw, "phat-hanh/")                  # one workbook per responsible office
    parxl.distribute(fw, "phat-hanh/", bodies=names)    # one workbook per body
    result = parxl.collect("tra-ve/", "tong-hop.xlsx")  # result.issues, result.scores

This package file imports nothing, so ``parxl`` commands start without loading openpyxl; the
modules are :mod:`~parxl.office.distribute`, :mod:`~parxl.office.collect` and
:mod:`~parxl.office.check`.
"""
