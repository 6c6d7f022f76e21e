"""Plugin API 2.1 on real images: wants_more (header-only analyzers), read_at (random access through
the one content reader, checked against icat), PostScanContext and run_isolated (post-scan work in
a child process, crashes recorded), option flags of --plugin-dir plugins, one name per plugin, and the
testing kit's records equal to the CLI's."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_triage
from triage.case.store import Case
from triage.evidence.image import EvidenceSource
from triage.scan.registry import PluginConfig, Registry
from triage.scan.worker import ContentScanner, WorkerConfig

MiB = 1 << 20
BIG = hashlib.sha256(b"seed").digest() * (3 * MiB // 32 + 1001)  # 3 MiB + a bit: four chunks
SMALL = b"MAGIC123" + b"small file body " * 100

PLUGIN = textwrap.dedent(
    '''
    """API 2.1 test plugin: a header-only analyzer, a random-access one and a post-scan hook."""
    import os
    import signal
    import sys

    from triage.plugin import Analyzer, IsolatedError, Option, hookimpl

    __version__ = "2.1.0"


    class Header(Analyzer):
        name = "header"
        version = "1.0.0"
        api_version = "2.1"
        options = (Option("bytes", int, 8, "header bytes kept"),)

        def start(self, ctx):
            self.ctx, self.chunks = ctx, []

        def update(self, chunk):
            self.chunks.append(len(chunk))

        def wants_more(self):
            return False

        def finish(self):
            head = self.ctx.read_at(0, self.config["bytes"])
            self.ctx.set_result("header_chunks", self.chunks)
            self.ctx.add_finding("header", head.hex(), "info", {"bytes": len(head)})


    class Seek(Analyzer):
        name = "seek"
        version = "1.0.0"
        api_version = "2.1"
        needs_content = False

        def start(self, ctx):
            self.ctx = ctx

        def finish(self):
            size = self.ctx.file.size
            self.ctx.set_result("seek_size", size)
            self.ctx.set_result("seek_tail", self.ctx.read_at(max(0, size - 100), 100).hex())
            self.ctx.set_result("seek_mid", self.ctx.read_at(size // 2, 4097).hex())
            self.ctx.set_result("seek_past", self.ctx.read_at(size + 10, 5).hex())


    @hookimpl
    def triage_analyzers():
        return [Header, Seek]


    @hookimpl
    def triage_scan_finished(context):
        context.case.audit(
            "api21.context",
            {
                "scan_id": context.scan_id,
                "analyzers": list(context.analyzers),
                "options": {k: dict(v) for k, v in context.options.items()},
                "evidence_ids": list(context.evidence_ids),
                "header_options": context.options_of("header", Header.options),
            },
        )
        child = context.run_isolated(child_work, list(context.evidence_ids))
        context.case.audit("api21.parent", {"pid": os.getpid(), "child": child})
        try:
            context.run_isolated(crash_work, context.scan_id)
        except IsolatedError as exc:
            context.case.add_warning("plugin:api21", f"crash: {exc}", scan_id=context.scan_id)


    def child_work(case, evidence_ids):
        parts = [p["idx"] for e in evidence_ids for p in case.partitions(e)]
        case.audit("api21.child", {"pid": os.getpid(), "partitions": parts})
        return os.getpid()


    def crash_work(case, scan_id):
        case.audit("api21.before_crash", {"scan_id": scan_id})
        os.kill(os.getpid(), signal.SIGSEGV)  # what a native crash looks like to the parent
    '''
)


def icat(image: Path, inode: int) -> bytes:
    return subprocess.run(["icat", str(image), str(inode)], capture_output=True, check=True).stdout


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("icat"):
        pytest.skip("icat (sleuthkit) is not installed")
    from triage.testing.images import MiB as IMG_MiB
    from triage.testing.images import ToolMissing, make_ext4

    try:
        built = make_ext4(
            tmp_path_factory.mktemp("api21") / "api21.img",
            {"/big.bin": BIG, "/small.txt": SMALL},
            size=12 * IMG_MiB,
        )
    except ToolMissing as exc:
        pytest.skip(str(exc))
    return Path(built.path)


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("api21plugins")
    (d / "api21plug.py").write_text(PLUGIN)
    return d


@pytest.fixture(scope="module")
def scanned(image: Path, plugin_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    before = sha256(image)
    case = tmp_path_factory.mktemp("api21case") / "case"
    proc = run_triage(
        "scan", str(image), "--case", str(case), "--workers", "1", "--plugin-dir", str(plugin_dir),
        "--header-bytes", "12",
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    assert sha256(image) == before  # evidence is read-only
    return case, before


def rows_by_path(case: Path) -> dict[str, dict]:
    proc = run_triage("files", str(case), "--json", check=True)
    return {r["path"]: r for r in map(json.loads, proc.stdout.splitlines())}


def test_header_only_analyzer_gets_one_chunk_and_hashes_stay_complete(scanned, image: Path) -> None:
    case, _ = scanned
    rows = rows_by_path(case)
    big, small = rows["/big.bin"], rows["/small.txt"]
    assert big["attributes"]["header_chunks"] == [MiB]  # 4 chunks exist; it asked for one
    assert small["attributes"]["header_chunks"] == [len(SMALL)]
    # the hashes analyzer wants the whole file: its digest is icat's
    assert big["sha256"] == hashlib.sha256(icat(image, big["inode"])).hexdigest()
    assert big["md5"] == hashlib.md5(BIG).hexdigest()


def test_read_at_equals_icat_slices(scanned, image: Path) -> None:
    case, _ = scanned
    for path in ("/big.bin", "/small.txt"):
        row = rows_by_path(case)[path]
        data = icat(image, row["inode"])
        size = len(data)
        attrs = row["attributes"]
        assert bytes.fromhex(attrs["seek_tail"]) == data[max(0, size - 100) :]
        assert bytes.fromhex(attrs["seek_mid"]) == data[size // 2 : size // 2 + 4097]
        assert attrs["seek_past"] == ""


def test_option_flag_of_a_plugin_dir_plugin(scanned) -> None:
    case, _ = scanned
    with Case.open(case, readonly=True) as c:
        settings = c.scans()[-1]["settings"]
    assert settings["options"] == {"header": {"bytes": 12}}
    proc = run_triage("findings", str(case), "--plugin", "header", "--json", check=True)
    heads = {r["path"]: r["name"] for r in map(json.loads, proc.stdout.splitlines())}
    assert heads["/small.txt"] == SMALL[:12].hex()
    assert heads["/big.bin"] == BIG[:12].hex()


def test_post_scan_context_and_isolated_work(scanned) -> None:
    case, _ = scanned
    with Case.open(case, readonly=True) as c:
        audit = {a.action: a.details for a in c.audit_log()}
        scan = c.scans()[-1]
        ev = [e["id"] for e in c.evidence()]
        parts = [p["idx"] for p in c.partitions()]
        problems = [p for p in c.problems() if p.source == "plugin:api21"]
    ctx = audit["api21.context"]
    assert ctx["scan_id"] == scan["id"] and ctx["evidence_ids"] == ev
    assert "header" in ctx["analyzers"] and "seek" in ctx["analyzers"]
    assert ctx["options"] == {"header": {"bytes": 12}} and ctx["header_options"] == {"bytes": 12}
    # the child ran elsewhere, read the case (its writes reached the case through the parent)
    assert audit["api21.child"]["pid"] == audit["api21.parent"]["child"] != audit["api21.parent"]["pid"]
    assert audit["api21.child"]["partitions"] == parts
    # a native crash costs that work only, as a recorded problem; what it wrote before is kept
    assert "api21.before_crash" in audit
    [crash] = problems
    assert "crash_work ended without a result (signal 11)" in crash.message


def test_files_ranked_by_is_the_typed_case_query(scanned) -> None:
    case, _ = scanned
    rows = [r for r in rows_by_path(case).values() if "seek_size" in r["attributes"]]
    with Case.open(case, readonly=True) as c:
        ev = [e["id"] for e in c.evidence()]
        ranked = c.files_ranked_by("seek_size", ev, limit=1)
        none = c.files_ranked_by("seek_size", [ev[0] + 99])
        with pytest.raises(ValueError, match="not a result key name"):
            c.files_ranked_by("x') IS NULL OR ('1", ev)
    assert [f.path for f in ranked.files] == ["/big.bin"] and ranked.files[0].value == len(BIG)
    assert ranked.count == len(rows) >= 2 and ranked.total == sum(r["size"] for r in rows)
    assert (none.files, none.count, none.total) == ((), 0, 0.0)


def test_one_name_per_plugin(scanned, plugin_dir: Path, image: Path, tmp_path: Path) -> None:
    case, _ = scanned
    by_analyzer = run_triage("findings", str(case), "--plugin", "header", "--json", check=True).stdout
    by_plugin = run_triage("findings", str(case), "--plugin", "api21plug", "--json", check=True).stdout
    assert by_plugin == by_analyzer and by_plugin.count("\n") == 2
    bad = run_triage("findings", str(case), "--plugin", "nope")
    assert bad.returncode == 2 and "header" in bad.stderr and "api21plug" in bad.stderr
    listed = run_triage("plugins", "list", "--plugin-dir", str(plugin_dir), check=True).stdout
    assert any(
        line.split()[:4] == ["api21plug", "2.1.0", "loaded", "header,seek"] for line in listed.splitlines()
    )
    for argv in (
        ["scan", str(image), "--case", str(tmp_path / "c"), "--plugin-dir", str(plugin_dir), "--disable-plugin", "nope"],
        ["plugins", "list", "--disable-plugin", "nope"],
        ["batch", str(image), "--out", str(tmp_path / "b"), "--disable-plugin", "nope"],
    ):  # fmt: skip
        proc = run_triage(*argv)
        assert proc.returncode == 2, proc.stderr
        [line] = proc.stderr.strip().splitlines()
        assert line.startswith(
            "triage: error: --disable-plugin nope: no plugin or analyzer of this name (valid: "
        )
        assert "hashes" in line
    assert not (tmp_path / "c").exists() and not (tmp_path / "b").exists()
    unknown = run_triage("scan", str(image), "--case", str(tmp_path / "c"), "--plugin-dir", str(plugin_dir), "--header-nope", "1")  # fmt: skip
    assert unknown.returncode == 2 and "--header-nope" in unknown.stderr


def test_disabling_the_plugin_by_name_removes_its_flags_and_analyzers(plugin_dir: Path, image: Path, tmp_path: Path) -> None:  # fmt: skip
    reg = Registry(
        PluginConfig(plugin_dirs=[str(plugin_dir)], include_user_dir=False, disabled=["api21plug"])
    )
    assert "header" not in [c.name for c in reg.analyzer_classes()]
    assert reg.unknown_disabled() == []


def test_engine_stops_reading_when_no_analyzer_wants_more(
    image: Path, plugin_dir: Path, tmp_path: Path
) -> None:
    """The real worker code on the real image: with only the header analyzer, one chunk of the big file
    is read; with hashes too, the whole file is."""
    case = Case.create(tmp_path / "case")
    from triage.scan.engine import ScanEngine, ScanOptions

    config = PluginConfig(plugin_dirs=[str(plugin_dir)], include_user_dir=False, entry_points=False)
    ScanEngine(case, [image], ScanOptions(analyzers=["filetype"], workers=1, plugins=config)).run()
    row = next(r for r in case.iter_files("f.path=?", ("/big.bin",)))
    source = EvidenceSource.from_json(case.evidence()[0])
    case.close()
    for analyzers, expected in ((["header"], MiB), (["header", "hashes"], len(BIG))):
        scanner = ContentScanner(WorkerConfig(plugins=config, analyzers=analyzers))
        served: list[int] = []
        scanner.cache.open_file = counting(scanner.cache.open_file, served)  # type: ignore[method-assign]
        res = scanner.scan_file(source, row)
        assert res.status != "failed", res.error
        chunks = [n for n in served if n == MiB or n == len(BIG) - 3 * MiB]
        assert sum(chunks) == expected, (analyzers, served)
        if "hashes" in analyzers:
            assert res.columns["sha256"] == hashlib.sha256(BIG).hexdigest()
        scanner.cache.close()


class Counted:
    """The real content reader, the sizes of its reads noted."""

    def __init__(self, content: object, served: list[int]) -> None:
        self._content, self._served = content, served

    def read(self, offset: int, n: int) -> bytes:
        self._served.append(n)
        return self._content.read(offset, n)  # type: ignore[attr-defined,no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self._content, name)


def counting(open_file, served: list[int]):  # noqa: ANN001, ANN201
    return lambda *args, **kwargs: Counted(open_file(*args, **kwargs), served)


def test_kit_records_equal_the_cli(image: Path, plugin_dir: Path, scan_image) -> None:
    res = scan_image(image, plugin_dirs=[plugin_dir], options={"header": {"bytes": 12}})
    case = str(res.case.path)
    cli_files = rows_by_path(Path(case))
    assert res.files() == {p: r for p, r in cli_files.items() if r["type"] == "r"}
    assert res.file("/big.bin") == cli_files["/big.bin"]
    assert isinstance(res.file("/big.bin")["deleted"], bool) and "T" in res.file("/big.bin")["mtime"]
    cli_findings = [
        json.loads(line) for line in run_triage("findings", case, "--json", check=True).stdout.splitlines()
    ]
    assert res.findings() == cli_findings
    header = [
        json.loads(line)
        for line in run_triage("findings", case, "--plugin", "header", "--json").stdout.splitlines()
    ]
    assert res.findings(plugin="header") == header == res.findings(plugin="api21plug")


def test_run_analyzer_rejects_unknown_options_and_follows_wants_more(plugin_dir: Path, run_analyzer) -> None:
    reg = Registry(PluginConfig(plugin_dirs=[str(plugin_dir)], include_user_dir=False, entry_points=False))
    header = next(c for c in reg.analyzer_classes() if c.name == "header")
    with pytest.raises(ValueError, match=r"header has no option 'byts' \(options: bytes\)"):
        run_analyzer(header, b"x", options={"byts": 3})
    with pytest.raises(ValueError, match="expected int"):
        run_analyzer(header, b"x", options={"bytes": "3"})
    res = run_analyzer(header, BIG[:100], options={"bytes": 5}, chunk_size=10)
    assert res.attributes["header_chunks"] == [10]
    assert res.findings[0]["name"] == BIG[:5].hex()


def test_entry_point_naming_a_class_is_refused(tmp_path: Path) -> None:
    """A real installed distribution (a .dist-info on sys.path) whose entry point names a class."""
    site = tmp_path / "site"
    (site / "epclass_plugin").mkdir(parents=True)
    (site / "epclass_plugin" / "__init__.py").write_text(
        "from triage.plugin import Analyzer, hookimpl\n"
        "class Thing(Analyzer):\n    name = 'thing'\n    api_version = '2.0'\n"
        "class Plugin:\n    @hookimpl\n    def triage_analyzers(self):\n        return [Thing]\n"
    )
    info = site / "epclass_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: epclass-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[triage.plugins]\nepclass = epclass_plugin:Plugin\n")
    code = (
        "import json; from triage.scan.registry import Registry, PluginConfig; "
        "r = Registry(PluginConfig(include_user_dir=False)); "
        "print(json.dumps([(x.name, x.status, x.error) for x in r.records if x.name == 'epclass']))"
    )
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    [(name, status, error)] = json.loads(out.stdout)
    assert status == "failed"
    assert "entry point epclass = 'epclass_plugin:Plugin' names a class, not a module" in error
