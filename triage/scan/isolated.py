"""Post-scan work in a child process (:meth:`triage.plugin.PostScanContext.run_isolated`).

The hook ``triage_scan_finished`` runs in the process that ran the scan: in the GUI, the GUI
itself. Work that touches evidence (libtsk, image reads) or native rule engines runs here
instead, in a spawned child, so a native crash costs that work, recorded as an error, not the
application. The child opens the case read-only; what it records (problems, findings, audit
events) travels back as :class:`Write` messages and is written by the parent as it arrives, so
what was recorded before a crash is kept.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.plugin import IsolatedError
from triage.sandbox import case_policy

_CTX = mp.get_context("spawn")
WRITES = frozenset({"add_error", "add_warning", "add_finding", "audit", "add_text", "clear_text", "add_gap"})
"""What the child's case may record; the parent makes each call on the real case."""
READS = frozenset({"scans", "evidence", "partitions", "files_ranked_by", "file", "file_record", "iter_files"})
"""What the child's case may read (the read-only case in the child answers)."""


@dataclass(frozen=True)
class Write:
    """The child recorded something: the parent calls ``case.<method>(*args, **kwargs)``."""

    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class Done:
    """The child's function returned ``result``."""

    result: Any


@dataclass(frozen=True)
class Failed:
    """The child's function raised: one line, ``Type: message``."""

    reason: str


class ChildCase:
    """The case as the child sees it: reads from the case opened read-only, writes sent to the parent."""

    def __init__(self, case: Any, conn: Any) -> None:
        self._case = case
        self._conn = conn

    @property
    def path(self) -> Path:
        return Path(self._case.path)

    def __getattr__(self, name: str) -> Any:
        if name in WRITES:
            return lambda *args, **kwargs: self._conn.send(Write(name, args, kwargs))
        if name in READS:
            return getattr(self._case, name)
        raise AttributeError(f"{name} is not offered to isolated post-scan work")


@dataclass(frozen=True)
class FunctionRef:
    """A module-level function by name, and the file of its module: a ``--plugin-dir`` plugin's
    module (``triage_userplugin_*``) is not importable by name in the child, so it is loaded from there."""

    module: str
    qualname: str
    file: str | None

    @classmethod
    def of(cls, fn: Callable[..., Any]) -> FunctionRef:
        module = getattr(fn, "__module__", None)
        qualname = getattr(fn, "__qualname__", "")
        if not module or "<" in qualname:
            raise IsolatedError(f"{fn!r} is not a module-level function: it cannot run in a child process")
        return cls(module, qualname, getattr(sys.modules.get(module), "__file__", None))

    def resolve(self) -> Callable[..., Any]:
        try:
            module = importlib.import_module(self.module)
        except ImportError:
            if not (self.file and self.module.startswith(USER_PREFIX) and "." not in self.module):
                raise
            from triage.scan.registry import _import_path

            path = Path(self.file)
            module = _import_path(path.parent if path.name == "__init__.py" else path)
        target: Any = module
        for part in self.qualname.split("."):
            target = getattr(target, part)
        return target  # type: ignore[no-any-return]


USER_PREFIX = "triage_userplugin_"


def child_main(
    conn: Any, case_path: str, ref: FunctionRef, args: Sequence[Any], parent_pid: int, policy: Any = None
) -> None:
    """The child: open the case read-only, run ``fn(case, *args)``, send its result or why it failed.
    ``policy`` (:class:`triage.sandbox.Policy`) confines it once the plugin and the case are open."""
    from triage.case.store import Case
    from triage.sandbox import confine
    from triage.scan.worker import init_process

    init_process(parent_pid)
    try:
        fn = ref.resolve()
        with Case.open(case_path, readonly=True) as case:
            confine(policy)
            result = fn(ChildCase(case, conn), *args)
        conn.send(Done(result))
    except BaseException as exc:
        text = str(exc).strip().splitlines()
        conn.send(Failed(f"{type(exc).__name__}: {text[-1].strip() if text else ''}".rstrip(": ")))
    conn.close()
    os._exit(0)  # skip interpreter teardown (libtsk/yara destructors): the parent has what it needs


def run_isolated(
    case: Any, fn: Callable[..., Any], args: Sequence[Any] = (), *, timeout: float | None = None
) -> Any:
    """Run ``fn(child_case, *args)`` in a spawned child; make its writes on ``case``; return its result.

    Raises :class:`triage.plugin.IsolatedError` when the child raised, died (the exit code, or the
    signal, is named) or ran over ``timeout`` seconds (it is then killed).
    """
    ref = FunctionRef.of(fn)
    label = f"{ref.module.removeprefix(USER_PREFIX)}.{ref.qualname}"
    parent, child = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(
        target=child_main,
        args=(child, str(case.path), ref, tuple(args), os.getpid(), case_policy(case, args, ref.file)),
        daemon=True,
        name="triage-post-scan",
    )
    proc.start()
    child.close()
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not parent.poll(left):
                proc.kill()
                raise IsolatedError(f"{label} ran over its {timeout:g} s and was stopped")
            try:
                msg = parent.recv()
            except EOFError:
                proc.join(5)
                code = proc.exitcode
                how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                raise IsolatedError(f"{label} ended without a result ({how})") from None
            if isinstance(msg, Write) and msg.method in WRITES:
                getattr(case, msg.method)(*msg.args, **msg.kwargs)
            elif isinstance(msg, Done):
                return msg.result
            elif isinstance(msg, Failed):
                raise IsolatedError(f"{label} failed: {msg.reason}")
    finally:
        parent.close()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
