"""File carving from unallocated space (``triage scan --carve``; docs/carving.md).

:mod:`triage.carve.signatures` holds the structure-aware carvers, :mod:`triage.carve.carver` reads
a partition's unallocated blocks as one stream and turns what they recover into inventory rows
(``origin='carved'`` with their ``extent``), which the content pass then reads like any file.
"""
