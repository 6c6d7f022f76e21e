"""``triage.testing``: a pytest plugin for plugin authors (and triage itself).

Installed with triage through the ``pytest11`` entry point, so its fixtures are available
in any test suite of an environment where triage is installed:

``triage_registry``
    Factory for an isolated plugin registry: only the built-in analyzers (unless
    ``builtins=False``) and the plugins you name; no third-party entry points, no user
    plugin folder.
``make_image``
    Factory that builds a small ext4 (or FAT) image holding the files you give it, with
    some of them deleted, using the real file-system tools (skips when they are missing).
``ext4_image``, ``fat_image``, ``ntfs_image``
    Ready-made fixture images (:class:`triage.testing.images.BuiltImage`), built once per session.
``run_analyzer``
    Runs one analyzer in-process over some bytes, chunk by chunk, with the real context
    class, and returns the :class:`triage.case.store.FileResult` (results, findings, errors):
    a fast unit test without a disk image.
``scan_image``
    Runs a real scan (worker processes, the real engine) of an image into a fresh case and
    returns a :class:`ScanResult` with the case, the summary and easy accessors.

Example::

    def test_finds_greeting(make_image, scan_image):
        img = make_image({"/hello.txt": b"hello world"}, deleted=[])
        result = scan_image(img, plugins=["my_plugin"])
        assert [f["name"] for f in result.findings(plugin="my_plugin")] == ["hello"]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PluginSpec = str | ModuleType


def _module_names(plugins: Iterable[PluginSpec]) -> list[str]:
    out = []
    for p in plugins:
        if isinstance(p, ModuleType):
            out.append(f"{p.__name__.rsplit('.', 1)[-1]}={p.__name__}")
        elif isinstance(p, str):
            out.append(p)
        else:
            raise TypeError(f"give plugins as importable module names or modules, not {p!r}")
    return out


def isolated_config(
    plugins: Iterable[PluginSpec] = (),
    *,
    builtins: bool = True,
    entry_points: bool = False,
    plugin_dirs: Sequence[str | Path] = (),
    disabled: Sequence[str] = (),
) -> Any:
    """A :class:`triage.scan.registry.PluginConfig` that loads only what is asked for."""
    from triage.scan.registry import PluginConfig

    return PluginConfig(
        plugin_dirs=[str(Path(d).resolve()) for d in plugin_dirs],
        disabled=list(disabled),
        include_user_dir=False,
        entry_points=entry_points,
        builtins=builtins,
        modules=_module_names(plugins),
    )


@pytest.fixture
def triage_registry() -> Callable[..., Any]:
    """``triage_registry(*plugins, builtins=True, entry_points=False, plugin_dirs=(), disabled=())``.

    ``plugins`` are importable module names (``"pkg.mod"`` or ``"name=pkg.mod"``) or modules.
    Returns a :class:`triage.scan.registry.Registry`; check ``registry.records`` for load errors.
    """
    from triage.scan.registry import Registry

    def make(
        *plugins: PluginSpec,
        builtins: bool = True,
        entry_points: bool = False,
        plugin_dirs: Sequence[str | Path] = (),
        disabled: Sequence[str] = (),
    ) -> Registry:
        return Registry(
            isolated_config(
                plugins,
                builtins=builtins,
                entry_points=entry_points,
                plugin_dirs=plugin_dirs,
                disabled=disabled,
            )
        )

    return make


@dataclass
class ScanResult:
    """A finished scan: the (open) case, the summary and accessors for assertions."""

    case: Any
    summary: Any
    image: Path
    plugins: Any = None
    """The :class:`triage.scan.registry.PluginConfig` of the scan (plugin names resolve through it)."""

    def files(self) -> dict[str, dict[str, Any]]:
        """Regular files by path (``/dir/name``, data streams as ``/name:stream``), each exactly the
        record ``triage files --json`` prints (booleans, ISO times)."""
        from triage.case.public import file_record
        from triage.case.query import FileQuery

        return {f.path: file_record(f.as_row()) for f in self.case.each_file(FileQuery(types=("r",)))}

    def file(self, path: str) -> dict[str, Any]:
        """One file's record, as ``triage files --json`` prints it."""
        from triage.case.public import file_record
        from triage.case.query import FileQuery

        rows = list(self.case.each_file(FileQuery(path_glob=_glob_literal(path)), limit=1))
        if not rows:
            raise KeyError(f"{path} is not in the case")
        return file_record(rows[0].as_row())

    def findings(self, *, plugin: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """Findings exactly as ``triage findings --json`` prints them (same order), optionally of one
        analyzer (or every analyzer of a plugin so named) and/or kind."""
        from triage.case.public import finding_records

        names = None
        if plugin is not None:
            from triage.scan.registry import Registry

            names = Registry(self.plugins).analyzers_of(plugin) if self.plugins is not None else []
            names = names or [plugin]
        return [f for f in finding_records(self.case, names) if kind is None or f["kind"] == kind]

    def errors(self, source: str | None = None) -> list[dict[str, Any]]:
        """Recorded errors and warnings (``source`` is the analyzer, ``plugin:NAME`` or ``engine``)."""
        return [asdict(p) for p in self.case.problems() if source is None or p.source == source]

    def scan(self) -> dict[str, Any]:
        """The scan record: ``settings`` and ``versions`` of this run."""
        return dict(self.case.scans()[-1])


@pytest.fixture
def scan_image(tmp_path: Path) -> Iterable[Callable[..., ScanResult]]:
    """``scan_image(image, plugins=(), analyzers=None, options=None, builtins=True, entry_points=False,
    plugin_dirs=(), disabled=(), workers=1, case_dir=None) -> ScanResult``.

    ``image`` is a path or a :class:`~triage.testing.images.BuiltImage`; ``options`` maps
    analyzer name to ``{option: value}``; ``analyzers`` limits the run (their requirements are
    added). Cases go to ``tmp_path`` and are closed after the test.
    """
    from triage.case.store import Case
    from triage.scan.engine import ScanEngine, ScanOptions

    opened: list[Any] = []
    counter = itertools.count(1)

    def run(
        image: Any,
        *,
        plugins: Iterable[PluginSpec] = (),
        analyzers: Sequence[str] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        builtins: bool = True,
        entry_points: bool = False,
        plugin_dirs: Sequence[str | Path] = (),
        disabled: Sequence[str] = (),
        workers: int = 1,
        case_dir: str | Path | None = None,
    ) -> ScanResult:
        path = Path(getattr(image, "path", image))
        config = isolated_config(
            plugins, builtins=builtins, entry_points=entry_points, plugin_dirs=plugin_dirs, disabled=disabled
        )
        case = Case.create(Path(case_dir) if case_dir else tmp_path / f"case{next(counter)}")
        opened.append(case)
        opts = ScanOptions(
            analyzers=list(analyzers) if analyzers is not None else None,
            options={k: dict(v) for k, v in (options or {}).items()},
            workers=workers,
            plugins=config,
        )
        summary = ScanEngine(case, [path], opts).run()
        return ScanResult(case, summary, path, config)

    yield run
    for case in opened:
        case.close()


def run_analyzer_on(
    analyzer: Any,
    data: bytes,
    *,
    name: str = "sample.bin",
    path: str | None = None,
    options: Mapping[str, Any] | None = None,
    chunk_size: int = 1 << 20,
    deleted: bool = False,
    mime: str | None = None,
    results: Mapping[str, Any] | None = None,
) -> Any:
    """Feed ``data`` to one analyzer class the way a worker does; returns the ``FileResult``.

    ``options`` are checked as a scan checks them: an option the analyzer does not declare, or a value
    of the wrong type or outside its choices, is a ``ValueError``. Chunks stop when ``wants_more()``
    says so; ``ctx.read_at`` reads ``data``. ``results`` pre-fills what required analyzers would have
    set (``{"sha256": ...}``). Exceptions propagate, so a test sees the traceback.
    """
    from triage.case.store import FileResult
    from triage.plugin import FileInfo
    from triage.scan.context import FileContext, KeyOwners

    declared = {o.name: o for o in analyzer.options}
    unknown = sorted(set(options or {}) - set(declared))
    if unknown:
        raise ValueError(
            f"{analyzer.name} has no option {', '.join(map(repr, unknown))} "
            f"(options: {', '.join(declared) or 'none'})"
        )
    checked = {k: declared[k].check(v) for k, v in (options or {}).items()}  # ValueError, as a scan refuses
    inst = analyzer(checked)
    info = FileInfo(
        file_id=1,
        path=path or f"/{name}",
        name=name,
        size=len(data),
        deleted=deleted,
        partition=0,
        inode=1,
        mime=mime,
    )
    result = FileResult(file_id=1)
    result.columns.update(
        {k: v for k, v in (results or {}).items() if k in ("md5", "sha1", "sha256", "mime")}
    )
    result.attributes.update({k: v for k, v in (results or {}).items() if k not in result.columns})
    inst.setup()
    try:
        view = memoryview(data)
        ctx = FileContext(
            info,
            result,
            inst.name,
            inst.version,
            inst.config,
            None,
            KeyOwners([analyzer]),
            reader=lambda offset, n: bytes(view[offset : offset + n]),
        )
        if inst.filters.accepts_metadata(info) and inst.filters.accepts_type(info):
            inst.start(ctx)
            if inst.needs_content:
                for offset in range(0, max(len(data), 1), chunk_size):
                    inst.update(bytes(view[offset : offset + chunk_size]))
                    if not inst.wants_more():  # as the worker does: no more chunks, finish() still comes
                        break
            inst.finish()
    finally:
        inst.teardown()
    return result


@pytest.fixture
def run_analyzer() -> Callable[..., Any]:
    """:func:`run_analyzer_on` as a fixture: ``run_analyzer(MyAnalyzer, b"data", chunk_size=4)``."""
    return run_analyzer_on


def _built(builder: Callable[[], Any]) -> Any:
    from triage.testing.images import ToolMissing

    try:
        return builder()
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")


@pytest.fixture
def make_image(tmp_path: Path) -> Callable[..., Any]:
    """``make_image(files, deleted=(), fs="ext4", size=None) -> BuiltImage``.

    ``files`` maps in-image paths (``"/Users/a/x.txt"``) to bytes; paths in ``deleted`` are
    deleted after they are written (their content usually stays recoverable). ``fs`` is
    ``"ext4"`` or ``"fat"`` (FAT deletions need long names, see ``make_fat``).
    """
    from triage.testing import images

    counter = itertools.count(1)

    def make(
        files: Mapping[str, bytes], deleted: Sequence[str] = (), fs: str = "ext4", size: int | None = None
    ) -> Any:
        target = tmp_path / f"image{next(counter)}.{fs}.img"
        need = sum(len(v) for v in files.values())
        size = size or max(4 * images.MiB, (need * 2 // images.MiB + 2) * images.MiB)
        if fs == "ext4":
            return _built(lambda: images.make_ext4(target, dict(files), size=size, delete=list(deleted)))
        if fs == "fat":
            return _built(lambda: images.make_fat(target, dict(files), delete=list(deleted)))
        raise ValueError(f"fs must be 'ext4' or 'fat', not {fs!r}")

    return make


@pytest.fixture(scope="session")
def ext4_image(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """:func:`triage.testing.images.build_ext4`: nested folders, odd names, 2 deleted files."""
    from triage.testing.images import build_ext4

    return _built(lambda: build_ext4(tmp_path_factory.mktemp("triage-ext4")))


@pytest.fixture(scope="session")
def fat_image(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """:func:`triage.testing.images.build_fat` (FAT16)."""
    from triage.testing.images import build_fat

    return _built(lambda: build_fat(tmp_path_factory.mktemp("triage-fat")))


@pytest.fixture(scope="session")
def ntfs_image(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """:func:`triage.testing.images.build_ntfs`: NTFS with an alternate data stream."""
    from triage.testing.images import build_ntfs

    return _built(lambda: build_ntfs(tmp_path_factory.mktemp("triage-ntfs")))


def _glob_literal(text: str) -> str:
    """``text`` as a GLOB pattern that matches only itself (``*``, ``?`` and ``[`` bracketed)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
