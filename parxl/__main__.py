"""``python -m parxl``: the command line, for machines where the ``parxl`` script is not on PATH."""

from parxl.cli import main

main()
