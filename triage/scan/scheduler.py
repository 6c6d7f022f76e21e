"""The scan's planning, retry and culprit policy, written once for both back ends.

* **Planning**: which files (pending rows, ``select``ed, in ``priority`` order) in which batches
  (:func:`plan_batches`, bounded by file count and bytes).
* **Per-file work**: :func:`scan_rows` runs a worker's :class:`ContentScanner` over a batch; an
  exception costs one file (an internal error), never the batch.
* **Retry and culprit policy**: :class:`CrashPolicy` decides what follows a worker's death: the
  batch is split until the file that kills workers is alone, and that file is recorded as failed
  with the reason (a visible problem); every other file is scanned again.

The back ends carry tasks out: local worker processes (:class:`triage.scan.engine.ScanEngine` over
:class:`triage.scan.pool.WorkerPool`) and Dask (:class:`triage.batch.dask_driver.DaskDriver`).
Local workers say, through their shared slot, which file and analyzer were running when they
died, so the suspect is known at once; a Dask worker's death only fails its whole task
(``KilledWorker``), so the batch is split first and the suspect then tried alone with a traced
slot (:class:`triage.batch.tasks.TraceSlot`). One rule (:func:`_blame`) decides for both: see the
architecture notes (docs/architecture.md, "Scheduler").
"""

from __future__ import annotations

import traceback
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from triage.case.records import FileProblem
from triage.case.store import Case, FileResult

if TYPE_CHECKING:
    from triage.evidence.image import EvidenceSource
    from triage.scan.worker import ContentScanner

Row = dict[str, Any]
PAGE_ROWS = 2000
SPLIT_WAYS = 8
"""A killed task of more than ``2 * SPLIT_WAYS`` files is split in ``SPLIT_WAYS`` parts, a smaller one file by file."""
MAX_DEATHS = 2
"""A file named by the slot as the one being read dies this often before it is failed (or its analyzer left out)."""


# -- planning --------------------------------------------------------------------------------
def pending_rows(case: Case, evidence_id: int) -> Iterator[Row]:
    """Pending rows in id order, one keyset page at a time (the writer updates rows meanwhile)."""
    after = 0
    while True:
        page = case.pending_page(evidence_id, after, PAGE_ROWS)
        if not page:
            return
        yield from page
        after = int(page[-1]["id"])


def selected_rows(
    case: Case,
    evidence_id: int,
    select: Callable[[Row], bool] | None = None,
    priority: Callable[[Row], int] | None = None,
) -> Iterator[Row]:
    """Pending rows that pass ``select``, in ``priority`` order when one is given.

    With a priority, one pass keeps only ``rank -> file ids`` (8 bytes a file), then rows are
    fetched again by id, rank after rank.
    """
    rows = (r for r in pending_rows(case, evidence_id) if select is None or select(r))
    if priority is None:
        yield from rows
        return
    ranks: dict[int, array[int]] = {}
    for r in rows:
        ranks.setdefault(priority(r), array("q")).append(r["id"])
    for rank in sorted(ranks):
        ids = ranks.pop(rank)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500].tolist()
            found = case.pending_by_ids(evidence_id, chunk)
            yield from (found[i] for i in chunk if i in found)


def plan_batches(rows: Iterable[Row], max_files: int, max_bytes: int) -> Iterator[list[Row]]:
    """Batches of consecutive rows, at most ``max_files`` files and ``max_bytes`` bytes (a bigger
    file is a batch alone), built lazily."""
    cur: list[Row] = []
    size = 0
    for r in rows:
        if cur and (len(cur) >= max_files or size + r["size"] > max_bytes):
            yield cur
            cur, size = [], 0
        cur.append(r)
        size += r["size"]
    if cur:
        yield cur


# -- per-file work (in a worker) -------------------------------------------------------------
def scan_rows(
    scanner: ContentScanner,
    source: EvidenceSource,
    rows: Iterable[Row],
    before: Callable[[Row], None] | None = None,
    after: Callable[[Row], None] | None = None,
) -> Iterator[FileResult]:
    """Scan each row; an exception (engine bug or libtsk error) costs that one file, recorded."""
    from triage.scan.worker import _one_line

    for row in rows:
        if before is not None:
            before(row)
        try:
            res = scanner.scan_file(source, row)
        except Exception as exc:
            res = FileResult(
                file_id=row["id"],
                status="failed",
                error=f"internal error: {type(exc).__name__}: {_one_line(exc)}",
            )
            res.errors.append(FileProblem("engine", traceback.format_exc(limit=3)))
        if after is not None:
            after(row)
        yield res


def failed_result(file_id: int, error: str) -> FileResult:
    """The result of a file that killed workers: failed, with the reason as its error and a problem."""
    res = FileResult(file_id=file_id, status="failed", error=error)
    res.errors.append(FileProblem("engine", error))
    return res


# -- retry and culprit policy ----------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """What follows a worker's death: batches to run again first (in order), a file to try alone
    (a Dask suspect), and the result of a file now failed."""

    retry: list[list[Row]] = field(default_factory=list)
    isolate: list[Row] | None = None
    failed: FileResult | None = None


class CrashPolicy:
    """Decides, for one scan, what a worker's death costs. The back ends execute the decisions."""

    def __init__(self) -> None:
        self.deaths: dict[int, int] = {}

    def after_death(
        self,
        rows: list[Row],
        culprit: int | None,
        reason: str,
        activity: tuple[str, str] | None = None,
        hung: bool = False,
    ) -> Decision:
        """A local worker died (or hung) on ``culprit``, the file its slot names (None: unknown).

        The suspect is retried alone, the rest of the batch as another batch. When the slot says
        which analyzer method was running (``activity``), the analyzer costs only itself: after
        its file timeout (``hung``), or its second crash on the file, the file is retried without
        it and the analyzer's failure is recorded on the file. The file fails only when it kills
        a worker twice with no analyzer to blame (the engine's own reading) or with one already
        left out.
        """
        if not rows:
            return Decision()
        ids = [int(r["id"]) for r in rows]
        culprit = culprit if culprit in ids else ids[0]
        assert culprit is not None
        deaths = self.deaths[culprit] = self.deaths.get(culprit, 0) + 1
        suspect = next(r for r in rows if r["id"] == culprit)
        others = [r for r in rows if r["id"] != culprit]
        return _blame(suspect, others, reason, activity, hung, deaths, "(twice)")

    def after_killed_task(
        self, rows: list[Row], reason: str, alone: bool, activity: tuple[str, str] | None = None
    ) -> Decision:
        """A task failed because its workers died every time (Dask's ``KilledWorker``).

        Dask blames every task on a dying worker, innocent ones queued beside the culprit too:
        a batch is split (in :data:`SPLIT_WAYS` parts, or file by file when small); a single file
        is tried again alone on the cluster (``isolate``), traced: its task tells the scheduler
        which analyzer method runs, as a local worker's slot does (``activity``). A file that
        kills workers while alone (``alone``, each attempt killing several workers) is then
        treated as a local file that killed its worker twice: scanned again without the analyzer
        that was running, or failed when none was (the engine's own reading).
        """
        if len(rows) > 1:
            step = max(1, -(-len(rows) // SPLIT_WAYS)) if len(rows) > SPLIT_WAYS * 2 else 1
            return Decision(retry=[rows[i : i + step] for i in range(0, len(rows), step)])
        if not rows:
            return Decision()
        if not alone:
            return Decision(isolate=rows)
        return _blame(rows[0], [], reason, activity, False, MAX_DEATHS, "(alone on the cluster)")


def _blame(
    suspect: Row,
    others: list[Row],
    reason: str,
    activity: tuple[str, str] | None,
    hung: bool,
    deaths: int,
    how: str,
) -> Decision:
    """The one culprit rule of both back ends: the analyzer that was running costs only itself
    (:func:`leave_out`); with none to blame, a file fails once it has killed :data:`MAX_DEATHS`
    workers; before that it is retried alone. The rest of its batch is retried as another batch."""
    rest = [others] if others else []
    if activity is not None and leave_out(suspect, activity, reason, hung, deaths, how):
        return Decision(retry=[[suspect], *rest])
    if deaths >= MAX_DEATHS:
        running = f"; {activity[0]}.{activity[1]} was running" if activity is not None else ""
        failed = failed_result(int(suspect["id"]), f"{reason} while reading this file {how}{running}")
        return Decision(retry=rest, failed=failed)
    return Decision(retry=[[suspect], *rest])


def leave_out(
    row: Row, activity: tuple[str, str], reason: str, hung: bool, attempt: int, how: str = "(twice)"
) -> bool:
    """Mark ``row`` to be scanned again without the analyzer that hung or crashed on it (see
    :meth:`CrashPolicy.after_death`); False when that analyzer is left out already or it is too soon."""
    from triage.scan.worker import SKIP_KEY

    analyzer, method = activity
    skip = dict(row.get(SKIP_KEY) or {})
    if analyzer in skip or not (hung or attempt >= MAX_DEATHS):
        return False
    what = reason if hung else f"{reason} {how}"
    skip[analyzer] = (
        f"{analyzer}.{method} was running when the worker stopped: {what}; the file was scanned "
        f"again without {analyzer}, whose results for it are missing"
    )
    row[SKIP_KEY] = skip
    return True


__all__ = [
    "CrashPolicy",
    "Decision",
    "failed_result",
    "leave_out",
    "pending_rows",
    "plan_batches",
    "scan_rows",
    "selected_rows",
]
