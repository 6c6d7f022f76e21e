"""Hostile evidence stays contained (issue 22).

A hostile plugin (tests/hostile_plugin/escape.py) tries, on one file of the demo image, to open a
socket to 127.0.0.1, write to the user's home, read another case's database and run /bin/sh: in a
scan and in a batch on a real Dask cluster reached over tls:// with test certificates. Every attempt
fails and is recorded as that plugin's error while every other result is complete; with
--no-sandbox every attempt succeeds (the test can fail). Also: a plain tcp:// scheduler off this
machine is refused before any connection (inside ``unshare -n``), and what triage creates is
private under ``umask 000``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from triage import sandbox
from triage.case.store import Case

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo.raw"
PLUGIN_DIR = REPO / "tests" / "hostile_plugin"
TARGET = "IMG_0001.JPG"
ATTEMPTS = ("socket", "home", "other-case", "shell")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the sandbox confines on Linux only"
)


class Listener:
    """A loopback TCP server that keeps what each connection sent (for 15 minutes at most)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = int(self.sock.getsockname()[1])
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        deadline = time.monotonic() + 900  # bounded: it stops by itself
        while time.monotonic() < deadline:
            if self._stop.is_set():
                return
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                self.received.append(conn.recv(64))

    def since(self, before: int, expect: bool) -> list[bytes]:
        """What arrived after the first ``before`` connections (waiting up to 10 s when one is expected)."""
        end = time.monotonic() + (10 if expect else 0.5)
        while time.monotonic() < end and not (expect and len(self.received) > before):
            time.sleep(0.1)
        return self.received[before:]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """What the plugin attacks: a temporary HOME, another case's database, a loopback listener."""
    work = tmp_path_factory.mktemp("hostile")
    other = work / "other-case"
    Case.create(other).close()
    listener = Listener()
    env = {
        "ESCAPE_PORT": str(listener.port),
        "ESCAPE_OTHER_DB": str(other / "case.sqlite"),
        "ESCAPE_TARGET": TARGET,
    }
    try:
        yield {"work": work, "env": env, "listener": listener}
    finally:
        listener.close()


def triage(
    *args: str, env: dict[str, str] | None = None, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC", **(env or {})},
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,  # noqa: PLW1509
    )


def errors(case: Path) -> list[dict[str, Any]]:
    with Case.open(case, readonly=True) as c:
        return [
            {"source": p.source, "message": p.message, "severity": str(p.severity), "path": p.path or ""}
            for p in c.problems()
        ]


def files(case: Path) -> dict[str, tuple[str, str]]:
    with Case.open(case, readonly=True) as c:
        return {r["path"]: (r["sha256"], r["status"]) for r in c.iter_files("f.type='r'")}


def findings(case: Path) -> set[tuple[str, str, str, str]]:
    """(plugin, name, path, kind) of every finding."""
    with Case.open(case, readonly=True) as c:
        return {(f["plugin"], f["name"], f["path"], f["kind"]) for f in c.findings()}


def fresh_home(hostile: dict[str, Any], name: str) -> dict[str, str]:
    home = hostile["work"] / name
    home.mkdir()
    return {**hostile["env"], "HOME": str(home)}


def assert_contained(case: Path, home: Path, received: list[bytes]) -> None:
    """Each attempt failed, recorded as the plugin's error on the target file; nothing escaped."""
    mine = [e for e in errors(case) if e["source"] == "escape"]
    assert sorted(e["message"].split(":")[0] for e in mine) == sorted(ATTEMPTS), mine
    assert all(e["path"].endswith(TARGET) and e["severity"] == "error" for e in mine)
    assert not any(f[0] == "escape" for f in findings(case))
    assert list(home.iterdir()) == [] and received == []


def assert_escaped(case: Path, home: Path, received: list[bytes]) -> None:
    """--no-sandbox: the same attempts succeed (the test above can fail)."""
    assert not [e for e in errors(case) if e["source"] == "escape"]
    assert {f[1] for f in findings(case) if f[0] == "escape"} == set(ATTEMPTS)
    assert sorted(p.name for p in home.iterdir()) == ["escaped.txt", "shell.txt"]
    assert received == [b"escaped\n"]


@pytest.fixture(scope="module")
def scans(hostile: dict[str, Any]) -> dict[str, Any]:
    """The demo image scanned with the hostile plugin, sandboxed (under ``umask 000``, for the
    permission test too) and with --no-sandbox."""
    work = hostile["work"]
    done: dict[str, Any] = {"logs": work / "logs"}
    for mode in ("sandbox", "no-sandbox"):
        env = {**fresh_home(hostile, f"home-scan-{mode}"), "TRIAGE_LOG_DIR": str(done["logs"])}
        case = work / f"case-{mode}"
        before = len(hostile["listener"].received)
        extra = ["--no-sandbox"] if mode == "no-sandbox" else []
        out = triage(
            "scan", str(DEMO), "--case", str(case), "--plugin-dir", str(PLUGIN_DIR), "--json", *extra,
            env=env, umask=0 if mode == "sandbox" else None,
        )  # fmt: skip
        assert out.returncode == (1 if mode == "sandbox" else 0), out.stderr  # 1: the plugin's errors
        done[mode] = {
            "case": case,
            "home": Path(env["HOME"]),
            "received": hostile["listener"].since(before, expect=mode == "no-sandbox"),
            "summary": json.loads(out.stdout),
        }
    return done


def test_escape_from_a_scan_fails_and_is_recorded(hostile: dict[str, Any], scans: dict[str, Any]) -> None:
    boxed, free = scans["sandbox"], scans["no-sandbox"]
    for run in (boxed, free):
        assert run["summary"]["status"] == "completed" and run["summary"]["failed_files"] == 0
    assert boxed["summary"]["sandbox"].startswith("sandbox: on"), boxed["summary"]
    assert_contained(boxed["case"], boxed["home"], boxed["received"])
    assert "disabled (--no-sandbox)" in free["summary"]["sandbox"]
    assert any(e["source"] == "sandbox" and e["severity"] == "warning" for e in errors(free["case"]))
    assert_escaped(free["case"], free["home"], free["received"])
    # the scan's other results are complete: every file read and hashed, the same other findings
    others = {
        mode: {f for f in findings(scans[mode]["case"]) if f[0] != "escape"}
        for mode in ("sandbox", "no-sandbox")
    }
    assert files(boxed["case"]) == files(free["case"]) and others["sandbox"] == others["no-sandbox"]
    assert all(status == "done" for _, status in files(boxed["case"]).values()) and others["sandbox"]


# -- a Dask cluster on loopback, over tls:// with test certificates ----------------------------------
def _certificates(folder: Path) -> dict[str, str]:
    """A CA, and one certificate each for the scheduler/workers and the client, signed by it."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def write(stem: str, key: Any, cert: x509.Certificate) -> tuple[str, str]:
        kp, cp = folder / f"{stem}.key", folder / f"{stem}.pem"
        kp.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        cp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return str(kp), str(cp)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("triage test CA"))
        .issuer_name(name("triage test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"ca": write("ca", ca_key, ca)[1]}
    for stem in ("node", "client"):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(f"triage test {stem}"))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [
                        x509.DNSName("localhost"),
                        x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1")),
                    ]
                ),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        paths[f"{stem}_key"], paths[f"{stem}_cert"] = write(stem, key, cert)
    return paths


@contextmanager
def tls_cluster(certs: dict[str, str], env: dict[str, str]) -> Iterator[str]:
    """``dask scheduler`` and one ``dask worker`` on 127.0.0.1, speaking tls:// only."""
    from test_batch_support import free_port, stop_process

    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip("the dask command is not installed")
    from distributed import Client
    from distributed.security import Security

    port = free_port()
    address = f"tls://127.0.0.1:{port}"
    tls = ["--tls-ca-file", certs["ca"], "--tls-cert", certs["node_cert"], "--tls-key", certs["node_key"]]
    quiet: dict[str, Any] = {
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "env": {**os.environ, "TZ": "UTC", **env},
        "start_new_session": True,
    }
    procs = [
        subprocess.Popen(
            [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", *tls],
            **quiet,
        )
    ]
    try:
        procs.append(
            subprocess.Popen(
                [
                    str(dask),
                    "worker",
                    address,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                    *tls,
                ],
                **quiet,
            )
        )
        security = Security(
            tls_ca_file=certs["ca"],
            tls_client_cert=certs["client_cert"],
            tls_client_key=certs["client_key"],
            require_encryption=True,
        )
        with Client(address, security=security, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=90)
        yield address
    finally:
        for p in reversed(procs):
            stop_process(p)


def test_escape_from_a_tls_batch_fails_and_equals_a_local_scan(
    hostile: dict[str, Any], scans: dict[str, Any]
) -> None:
    pytest.importorskip("distributed")
    work = hostile["work"]
    certs = _certificates(Path(work))
    env = fresh_home(hostile, "home-batch")  # the Dask worker's HOME: the batch's own process has another
    home = Path(env["HOME"])
    tls = ["--tls-ca-file", certs["ca"], "--tls-cert", certs["client_cert"], "--tls-key", certs["client_key"]]
    with tls_cluster(certs, env) as address:
        for mode in ("sandbox", "no-sandbox"):
            for p in home.iterdir():
                p.unlink()
            out_dir = work / f"batch-{mode}"
            before = len(hostile["listener"].received)
            extra = ["--no-sandbox"] if mode == "no-sandbox" else []
            out = triage(
                "batch", str(DEMO), "--out", str(out_dir), "--cluster", address, "--plugin-dir", str(PLUGIN_DIR),
                "--progress", "none", "--json", *tls, *extra,
                env={**env, "HOME": str(work)},
            )  # fmt: skip
            assert out.returncode in (0, 1), out.stderr
            summary = json.loads(out.stdout)
            assert summary["batch"]["cluster_security"] == "tls"
            case = out_dir / "cases" / DEMO.stem
            received = hostile["listener"].since(before, expect=mode == "no-sandbox")
            if mode == "sandbox":
                assert_contained(case, home, received)
                batch_case = case
            else:
                assert_escaped(case, home, received)
    # the cluster's results equal a single-machine scan's (the scan test's case, same plugin, sandboxed)
    local = scans["sandbox"]["case"]
    assert files(batch_case) == files(local) and findings(batch_case) == findings(local)


# -- clusters: plain tcp:// off this machine is refused ---------------------------------------------
def test_remote_tcp_cluster_refused_before_any_connection(tmp_path: Path) -> None:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("unshare -n (a network namespace) is not available")
    out = tmp_path / "batch"
    proc = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "-m",
            "triage",
            "batch",
            str(DEMO),
            "--out",
            str(out),
            "--cluster",
            "tcp://10.1.2.3:8786",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TZ": "UTC"},
    )
    assert proc.returncode == 2, proc.stderr
    assert "tcp://10.1.2.3:8786: refused" in proc.stderr and "tls://" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not out.exists()  # nothing scanned, nothing created
    tls = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "-m",
            "triage",
            "batch",
            str(DEMO),
            "--out",
            str(out),
            "--cluster",
            "tls://10.1.2.3:8786",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tls.returncode == 2 and "needs --tls-ca-file" in tls.stderr and not out.exists()


def test_cluster_rules() -> None:
    from triage.batch.security import cluster_security, is_loopback

    assert (
        is_loopback("tcp://127.0.0.1:8786")
        and is_loopback("tcp://[::1]:8786")
        and is_loopback("tcp://localhost:1")
    )
    assert not is_loopback("tcp://10.1.2.3:8786") and not is_loopback("tcp://scheduler.lab:8786")
    assert cluster_security("tcp://10.1.2.3:1", insecure=True) == "insecure"
    assert cluster_security("tls://10.1.2.3:1", insecure=False) == "tls"


# -- private by default --------------------------------------------------------------------------------
def _modes(root: Path) -> dict[str, int]:
    out = {}
    for current, dirs, names in os.walk(root):
        for n in [".", *dirs, *names]:
            p = Path(current) / n
            out[str(p.relative_to(root))] = stat.S_IMODE(p.lstat().st_mode)
    return out


def test_private_under_umask_000(scans: dict[str, Any], tmp_path: Path) -> None:
    case, logs, bag = scans["sandbox"]["case"], scans["logs"], tmp_path / "bag"
    request = [
        "--reference",
        "R-1",
        "--legal-basis",
        "test",
        "--requesting-authority",
        "A",
        "--examiner",
        "T",
    ]
    out = triage(
        "export",
        str(case),
        "--out",
        str(bag),
        "--select",
        "ids:2-6",
        *request,
        env={"TRIAGE_LOG_DIR": str(logs)},
        umask=0,
    )
    assert out.returncode == 0, out.stderr
    for root in (case, logs, bag):
        modes = _modes(root)
        wrong = {p: oct(m) for p, m in modes.items() if m & 0o077}
        assert not wrong, f"{root}: readable by others: {wrong}"
        assert modes["."] == 0o700 and all(m == 0o600 for p, m in modes.items() if (root / p).is_file())
    assert "case.sqlite" in _modes(case) and "triage.log" in _modes(
        logs
    )  # (-wal/-shm: SQLite copies the mode)
    # a case that others can read (as older versions made them): doctor warns, `triage case protect` fixes it
    os.chmod(case, 0o755)
    os.chmod(case / "case.sqlite", 0o644)
    from triage.cli.doctor import privacy  # what `triage doctor` prints under "Privacy"

    assert [(e["case"], e["exposed"]) for e in privacy([str(case)])] == [(str(case), 2)]
    fixed = triage("case", "protect", str(case))
    assert fixed.returncode == 0 and "made private" in fixed.stdout, (
        fixed.stderr
    )  # the -wal/-shm it opened too
    assert privacy([str(case)]) == []
    assert not any(m & 0o077 for m in _modes(case).values())


def test_support_names_this_kernel() -> None:
    s = sandbox.support()
    assert s.landlock_abi == (sandbox.landlock_abi()) and s.complete == (not s.missing)
    assert sandbox.describe(False).startswith("sandbox: disabled")


def _frozen_layout(root: Path) -> dict[str, Path]:
    """A PyInstaller one-folder layout: ``app/triage`` (the executable with its archive) and
    ``app/_internal`` (``sys._MEIPASS``: data such as libmagic's database), plus a file beside it."""
    internal = root / "app" / "_internal"
    (internal / "magic").mkdir(parents=True)
    (internal / "magic" / "magic.mgc").write_bytes(b"bundled database")
    exe = root / "app" / "triage"
    exe.write_bytes(b"\x7fELF bootloader and archive")
    other = root / "app" / "notes.txt"
    other.write_text("not part of the bundle")
    return {"exe": exe, "internal": internal, "mgc": internal / "magic" / "magic.mgc", "other": other}


def test_frozen_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not frozen: nothing. Frozen: the executable, the bundle folder and a separate PYZ, by real path."""
    assert sandbox.frozen_paths() == []
    layout = _frozen_layout(tmp_path)
    pyz = layout["internal"] / "triage.pyz"
    pyz.write_bytes(b"PYZ")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(layout["internal"]), raising=False)
    monkeypatch.setattr(sys, "executable", str(layout["exe"]))
    monkeypatch.setattr(sys, "_pyinstaller_pyz", f"{layout['exe']}?4096", raising=False)
    assert sandbox.frozen_paths() == sorted([str(layout["exe"]), str(layout["internal"])])
    monkeypatch.setattr(sys, "_pyinstaller_pyz", str(pyz), raising=False)
    assert sandbox.frozen_paths() == sorted([str(layout["exe"]), str(layout["internal"]), str(pyz)])
    assert {str(layout["exe"]), str(layout["internal"])} <= set(sandbox.runtime_paths())


@pytest.mark.skipif(sandbox.landlock_abi() == 0, reason="no Landlock in this kernel")
def test_frozen_process_confined_reads_its_bundle(tmp_path: Path) -> None:
    """A process that looks frozen, confined like a worker: it still reads its executable and bundle,
    not the file beside them; it cannot execute the bundle's executable or open a socket."""
    layout = _frozen_layout(tmp_path)
    code = f"""
import os, socket, sys
sys.frozen = True
sys._MEIPASS = {str(layout["internal"])!r}
sys.executable = {str(layout["exe"])!r}
from triage import sandbox
print(sandbox.confine(sandbox.evidence_policy([])).missing)
def attempt(fn):
    try:
        fn()
        return "ok"
    except OSError as exc:
        return exc.errno
print(attempt(lambda: open({str(layout["exe"])!r}, "rb").read()))
print(attempt(lambda: open({str(layout["mgc"])!r}, "rb").read()))
print(attempt(lambda: open({str(layout["other"])!r}, "rb").read()))
print(attempt(lambda: socket.socket()))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:5] == ["()", "ok", "ok", "13", "1"], out


# -- secrets never leak ----------------------------------------------------------------------------------
SECRETS = {
    "signing key passphrase": "sign-Passphrase-7f3a9c",
    "export passphrase": "export-Passphrase-52d18e",
    "wrong signing key passphrase": "wrong-Passphrase-0b6e44",
}


def _grep(roots: list[Path], needles: dict[str, bytes]) -> list[str]:
    found = []
    for root in roots:
        for p in [root] if root.is_file() else sorted(q for q in root.rglob("*") if q.is_file()):
            data = p.read_bytes()
            found += [f"{what} in {p}" for what, needle in needles.items() if needle in data]
    return found


def test_secrets_never_reach_a_log_a_case_a_bundle_or_the_output(
    scans: dict[str, Any], tmp_path: Path
) -> None:
    pytest.importorskip("pyrage")
    case, logs = scans["sandbox"]["case"], scans["logs"]
    sbom = tmp_path / "sbom.cdx.json"  # what `make sbom` ships; the bundle records its SHA-256
    sbom.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}\n')
    env = {"TRIAGE_LOG_DIR": str(logs), "TRIAGE_SBOM": str(sbom)}
    outputs: list[str] = []

    def run(*args: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        proc = triage("--verbose", *args, env={**env, **extra})
        outputs.extend([proc.stdout, proc.stderr])
        return proc

    keys = tmp_path / "keys"
    made = run("keys", "new", "--out", str(keys), "--cn", "T. Examiner", "--encrypt",
               extra={"TRIAGE_KEY_PASSWORD": SECRETS["signing key passphrase"]})  # fmt: skip
    assert made.returncode == 0, made.stderr
    pf = tmp_path / "passphrase.txt"
    pf.write_text(SECRETS["export passphrase"] + "\n")
    request = [
        "--reference",
        "R-2",
        "--legal-basis",
        "test",
        "--requesting-authority",
        "A",
        "--examiner",
        "T",
    ]
    sign = ["--sign-key", str(keys / "examiner.key.pem"), "--sign-cert", str(keys / "examiner.cert.pem")]
    bag = tmp_path / "bundle"
    wrong = run("export", str(case), "--out", str(bag), "--select", "ids:2-6", *request, *sign,
                extra={"TRIAGE_KEY_PASSWORD": SECRETS["wrong signing key passphrase"], "TRIAGE_PASSPHRASE_FILE": str(pf)})  # fmt: skip
    assert wrong.returncode != 0 and wrong.stderr.strip()  # refused, saying why (without the passphrase)
    done = run("export", str(case), "--out", str(bag), "--select", "ids:2-6", *request, *sign,
               extra={"TRIAGE_KEY_PASSWORD": SECRETS["signing key passphrase"], "TRIAGE_PASSPHRASE_FILE": str(pf)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    archive = Path(f"{bag}.tar.age")
    assert archive.is_file() and not bag.exists()  # encrypted by default: a passphrase is configured
    unpacked = tmp_path / "unpacked"
    opened = run("unpack", str(archive), "--out", str(unpacked), "--passphrase-file", str(pf), extra={})
    assert opened.returncode == 0, opened.stderr
    [tool] = list(unpacked.rglob("tool.json"))
    recorded = json.loads(tool.read_text())["sbom_sha256"]
    assert (
        recorded == subprocess.run(["sha256sum", str(sbom)], capture_output=True, text=True).stdout.split()[0]
    )
    needles = {what: text.encode() for what, text in SECRETS.items()}
    key_body = (keys / "examiner.key.pem").read_text().splitlines()[1].encode()  # a line of the private key
    assert _grep([case, logs, unpacked, archive], {**needles, "private key": key_body}) == []
    assert [w for w, s in SECRETS.items() if any(s in out for out in outputs)] == []
    assert (logs / "triage.log").is_file()  # every command opened it (it logs tracebacks of failures)
