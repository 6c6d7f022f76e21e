"""The bundled demo image (``examples/demo.raw``), used by ``triage demo``, the GUI's demo case and benches."""

from __future__ import annotations

from pathlib import Path

from triage.errors import UsageError


def demo_image() -> Path:
    """``examples/demo.raw`` of a source checkout (the wheel does not ship it)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "demo.raw"
        if candidate.is_file():
            return candidate
    raise UsageError(
        "examples/demo.raw not found: run from a source checkout, or generate it with "
        "'python examples/make_demo.py'"
    )
