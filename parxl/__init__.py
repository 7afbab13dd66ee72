"""parxl: the PAR index (Chỉ số cải cách hành chính) in Excel.

Frameworks are data; parxl turns them into self-scoring template workbooks, reads the filled
returns back by item code, scores them with one Python evaluator that mirrors the workbook
formulas, and recalculates workbooks with real engines to prove they agree.
"""

__version__ = "0.1.0"
