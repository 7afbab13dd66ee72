"""Template workbooks: build, fill, read."""
