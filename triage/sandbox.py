"""Confinement of the processes that parse evidence (Linux; see docs/security.md).

A process calls :func:`confine` once, before it touches evidence bytes. It keeps what it already
holds (its pipe to the parent, open files, loaded libraries) and loses, in this order:

- resource limits: address space (``RLIMIT_AS``), open files, core dumps;
- as root, every capability but ``CAP_DAC_READ_SEARCH`` (it still reads evidence that only its
  owner may read; it keeps uid 0 so it can still open root-owned evidence and write its scratch);
- ``no_new_privs``;
- Landlock: read-only access to the evidence, the plugin folders and the interpreter's and
  libraries' folders; write access to its scratch folders only; nothing may be executed;
- seccomp (libseccomp through ``pyseccomp``): creating or connecting sockets, ``execve``,
  ``ptrace``, ``io_uring``, mounts and namespaces fail with ``EPERM``.

What the kernel lacks is skipped and named (:func:`support`), so the scan proceeds and says so.
``Policy.whole_process=False`` confines the calling thread only (seccomp without thread sync,
Landlock and credentials are per thread): a Dask task thread, whose worker process must keep its
network. Elsewhere than Linux nothing is confined.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

DENIED_SYSCALLS = (
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "execve",
    "execveat",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "io_uring_setup",
    "mount",
    "umount2",
    "pivot_root",
    "unshare",
    "setns",
    "bpf",
    "perf_event_open",
    "keyctl",
    "add_key",
    "request_key",
)
"""Fail with ``EPERM`` once confined (sockets already open, such as the pipe to the parent, still work)."""
OPEN_FILES = 4096
SYSTEM_READ = (
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/magic",
    "/etc/mime.types",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/group",
    "/proc/self",
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/sys/devices/system/cpu",
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
)
"""Read-only for everyone confined: the interpreter, shared libraries, libmagic's database, time zones."""
DEVICES_RW = ("/dev/null",)
_CAP_DAC_READ_SEARCH = 2
_PR_CAPBSET_DROP = 24
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_PR_GET_SECCOMP = 21
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


@dataclass(frozen=True)
class Policy:
    """What one confined process may still do; picklable (it travels in a worker's config)."""

    read: tuple[str, ...] = ()
    """Files or folders it reads: the evidence segments, plugin folders, rule files."""
    write: tuple[str, ...] = ()
    """Folders it writes: its scratch (extra files of analyzers)."""
    memory: int | None = None
    """``RLIMIT_AS`` bytes (None: half the machine's memory, at least 2 GiB)."""
    open_files: int = OPEN_FILES
    whole_process: bool = True
    """False: the calling thread only, and no process-wide resource limit (a Dask task thread)."""
    execute: tuple[str, ...] = ()
    """Programs it may run (Landlock's only ``EXECUTE`` rights; ``execve`` is then not denied by
    seccomp): Sleuth Kit's tools for isolated post-scan work. They run confined as well."""
    scratch: str | None = None
    """A folder in which :func:`confine` makes this process's own temporary folder (``tempfile``
    then writes there); the caller removes it when the work is done."""


@dataclass(frozen=True)
class Support:
    """What this machine can confine."""

    platform: str
    landlock_abi: int
    """0: no Landlock."""
    seccomp: bool
    missing: tuple[str, ...] = ()
    """One line per layer that cannot be applied here, with why."""

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_json(self) -> dict[str, object]:
        return {
            "platform": self.platform,
            "landlock_abi": self.landlock_abi,
            "seccomp": self.seccomp,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Confined:
    """What :func:`confine` applied, and what it could not (one line each)."""

    applied: tuple[str, ...] = ()
    missing: tuple[str, ...] = field(default_factory=tuple)


def _libc() -> Any:
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _import_pyseccomp() -> Any:
    """``pyseccomp``, loading libseccomp and libc by their stable sonames: its own
    ``ctypes.util.find_library`` runs ``ldconfig`` (and ``gcc``) in a child, 70 ms per worker."""
    if "pyseccomp" in sys.modules:
        return sys.modules["pyseccomp"]
    import ctypes.util

    find = ctypes.util.find_library
    known = {"seccomp": "libseccomp.so.2", "c": "libc.so.6"}

    def quick(name: str) -> str | None:
        import ctypes

        soname = known.get(name)
        if soname is not None:
            try:
                ctypes.CDLL(soname)
                return soname
            except OSError:
                pass
        return find(name)

    ctypes.util.find_library = quick
    try:
        import pyseccomp
    finally:
        ctypes.util.find_library = find
    return pyseccomp


def _seccomp_missing() -> str | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        _import_pyseccomp()  # libseccomp, loaded through ctypes
    except Exception as exc:
        return f"seccomp: libseccomp or pyseccomp unavailable ({type(exc).__name__}: {exc})"
    libc = _libc()
    if libc.prctl(_PR_GET_SECCOMP, 0, 0, 0, 0) < 0:
        return "seccomp: the kernel has no seccomp filter support"
    return None


@functools.lru_cache(maxsize=1)
def support() -> Support:
    """What :func:`confine` can do on this machine; ``missing`` names each layer it cannot (asked once
    per process: the kernel does not change under it)."""
    if not sys.platform.startswith("linux"):
        return Support(sys.platform, 0, False, (f"{sys.platform}: nothing is confined (Linux only)",))
    missing: list[str] = []
    abi = landlock_abi()
    if abi == 0:
        missing.append(f"Landlock: not available in kernel {os.uname().release} (file system not confined)")
    seccomp_problem = _seccomp_missing()
    if seccomp_problem:
        missing.append(seccomp_problem)
    return Support("linux", abi, seccomp_problem is None, tuple(missing))


def frozen_paths() -> list[str]:
    """What a frozen (PyInstaller) app reads besides :func:`runtime_paths`' folders (empty when not
    frozen): the executable, whose appended archive holds the Python modules imported after
    confinement; the bundle folder (``sys._MEIPASS``: libraries, data, libmagic's database); the
    PYZ archive when it is a file of its own (``sys._pyinstaller_pyz``, ``PATH`` or ``PATH?OFFSET``).
    Read rights only: nothing of the bundle may be executed by a confined process."""
    if not getattr(sys, "frozen", False):
        return []
    found = [sys.executable, getattr(sys, "_MEIPASS", None)]
    pyz = getattr(sys, "_pyinstaller_pyz", None)
    if isinstance(pyz, str):
        found.append(pyz.rsplit("?", 1)[0] if "?" in pyz and not os.path.exists(pyz) else pyz)
    return sorted({os.path.realpath(p) for p in found if isinstance(p, str) and p and os.path.exists(p)})


def runtime_paths() -> list[str]:
    """What any confined Python process reads: its interpreter, ``sys.path`` (not the current folder)
    and the folders of the modules it loaded, the frozen app's bundle (:func:`frozen_paths`), plus
    :data:`SYSTEM_READ`."""
    cwd = os.path.realpath(os.getcwd())
    roots: set[str] = set()
    for entry in (sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path):
        if not entry:
            continue
        real = os.path.realpath(entry)
        if real not in (cwd, "/", os.path.realpath(Path.home())) and os.path.exists(real):
            roots.add(real)
    kept = [os.path.abspath(e) for e in sys.path if e and os.path.realpath(e) in roots]
    given = tuple(e + os.sep for e in kept) + tuple(r + os.sep for r in roots)
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file or (os.path.isabs(file) and file.startswith(given)):
            continue  # under a root as it is spelled: no realpath needed (most modules)
        real = os.path.realpath(file)
        if any(real.startswith(r + os.sep) for r in roots):
            continue
        top = module.__name__.split(".")[0]
        parts = Path(real).parts
        if top in parts:  # a package imported from the current folder: that package only
            roots.add(str(Path(*parts[: len(parts) - parts[::-1].index(top)])))
        else:
            roots.add(real)
    roots.update(frozen_paths())
    return sorted(roots) + [p for p in SYSTEM_READ if os.path.exists(p)]


def policy_for(read: Iterable[str | Path] = (), write: Iterable[str | Path] = (), **kw: object) -> Policy:
    """A :class:`Policy` with absolute paths (the runtime's own folders are added by :func:`confine`)."""
    return Policy(
        read=tuple(sorted({os.path.realpath(p) for p in read})),
        write=tuple(sorted({os.path.realpath(p) for p in write})),
        **kw,  # type: ignore[arg-type]
    )


def confine(policy: Policy | None) -> Confined:
    """Confine this process (or thread: ``policy.whole_process``) as :mod:`triage.sandbox` says;
    None confines nothing (``--no-sandbox``). Layers the kernel lacks are skipped and named."""
    if policy is None:
        return Confined(missing=("sandbox disabled (--no-sandbox)",))
    if not sys.platform.startswith("linux"):
        return Confined(missing=(f"{sys.platform}: nothing is confined (Linux only)",))
    applied: list[str] = []
    missing: list[str] = []
    write = list(policy.write)
    if policy.scratch is not None:
        import tempfile

        os.makedirs(policy.scratch, mode=0o700, exist_ok=True)
        own = tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=policy.scratch)
        if policy.whole_process:
            tempfile.tempdir = own
            os.environ["TMPDIR"] = own
        write.append(own)
    policy = replace(policy, write=tuple(write), scratch=None)
    try:  # loaded before anything is denied (ctypes.util.find_library runs ldconfig)
        pyseccomp = _import_pyseccomp()
    except Exception as exc:
        pyseccomp = None
        missing.append(f"seccomp: {type(exc).__name__}: {exc}")
    if policy.whole_process:
        applied += _limits(policy)
    applied += _drop_capabilities()
    if _libc().prctl(38, 1, 0, 0, 0) == 0:  # PR_SET_NO_NEW_PRIVS
        applied.append("no_new_privs")
    else:
        missing.append("no_new_privs: prctl failed")
    try:
        applied.append(_landlock(policy))
    except Exception as exc:
        missing.append(f"Landlock: {type(exc).__name__}: {exc}")
    if pyseccomp is not None:
        try:
            applied.append(_seccomp(pyseccomp, policy.whole_process, bool(policy.execute)))
        except Exception as exc:
            missing.append(f"seccomp: {type(exc).__name__}: {exc}")
    return Confined(tuple(applied), tuple(missing))


def _limits(policy: Policy) -> list[str]:
    import resource

    memory = policy.memory
    if memory is None:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError):
            total = 8 << 30
        memory = max(2 << 30, total // 2)
    done = []
    for name, limit in (("AS", memory), ("NOFILE", policy.open_files), ("CORE", 0)):
        which = getattr(resource, f"RLIMIT_{name}")
        soft, hard = resource.getrlimit(which)
        value = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft < value:
            value = soft
        try:
            resource.setrlimit(which, (value, value))
            done.append(f"RLIMIT_{name}={value}")
        except (ValueError, OSError):
            pass
    return done


def _drop_capabilities() -> list[str]:
    """As root: the bounding set, the ambient set and every capability but ``CAP_DAC_READ_SEARCH``."""
    if os.geteuid() != 0:
        return []
    import ctypes

    libc = _libc()
    cap = 0
    while cap < 64:
        if cap != _CAP_DAC_READ_SEARCH and libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            if ctypes.get_errno() == errno.EINVAL:  # past the last capability this kernel knows
                break
        cap += 1
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [
            ("effective", ctypes.c_uint32),
            ("permitted", ctypes.c_uint32),
            ("inheritable", ctypes.c_uint32),
        ]

    keep = 1 << _CAP_DAC_READ_SEARCH
    header = Header(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (Data * 2)(Data(keep, keep, 0), Data(0, 0, 0))
    if libc.capset(ctypes.byref(header), data) != 0:
        return []
    return ["capabilities dropped (CAP_DAC_READ_SEARCH kept)"]


# Landlock through its three system calls (ctypes): the PyPI binding ``landlock`` 1.0.0.dev5 judges
# a call by ``errno`` instead of its return value, so a stale errno made a successful
# ``landlock_create_ruleset`` raise here (docs/security.md).
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_REMOVE_DIR, _REMOVE_FILE, _MAKE_CHAR, _MAKE_DIR, _MAKE_REG = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8
_MAKE_SOCK, _MAKE_FIFO, _MAKE_BLOCK, _MAKE_SYM = 1 << 9, 1 << 10, 1 << 11, 1 << 12
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_RIGHTS = _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE | _IOCTL_DEV


def _landlock_call(number: int, *args: object) -> int:
    import ctypes

    libc = _libc()
    fn = libc.syscall
    fn.restype = ctypes.c_long
    result = int(fn(ctypes.c_long(number), *args))
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when it has none (or it is disabled)."""
    if not sys.platform.startswith("linux"):
        return 0
    import ctypes

    try:
        return _landlock_call(
            _SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION)
        )
    except OSError:
        return 0


def _handled(abi: int) -> int:
    rights = (1 << 13) - 1  # ABI 1: execute .. make_sym
    if abi >= 2:
        rights |= _REFER
    if abi >= 3:
        rights |= _TRUNCATE
    if abi >= 5:
        rights |= _IOCTL_DEV
    return rights


def _landlock(policy: Policy) -> str:
    import ctypes

    abi = landlock_abi()
    if abi == 0:
        raise OSError(errno.ENOSYS, "not available in this kernel")
    handled = _handled(abi)

    class RulesetAttr(ctypes.Structure):
        _fields_ = [("handled_access_fs", ctypes.c_uint64)]

    class PathBeneath(ctypes.Structure):
        _pack_ = 1  # the kernel's struct is packed
        _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    read_dir = _READ_FILE | _READ_DIR
    write_dir = read_dir | _WRITE_FILE | _MAKE_REG | _MAKE_DIR | _REMOVE_FILE | _REMOVE_DIR
    write_dir |= (_REFER | _TRUNCATE) & handled
    attr = RulesetAttr(handled)
    ruleset = _landlock_call(
        _SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), ctypes.c_uint32(0)
    )

    def allow(path: str, rights: int) -> None:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        try:
            if not os.path.isdir(path):
                rights &= _FILE_RIGHTS
            rule = PathBeneath(rights & handled, fd)
            _landlock_call(
                _SYS_ADD_RULE,
                ctypes.c_int(ruleset),
                ctypes.c_int(_RULE_PATH_BENEATH),
                ctypes.byref(rule),
                ctypes.c_uint32(0),
            )
        finally:
            os.close(fd)

    try:
        for path in runtime_paths() + list(policy.read):
            if os.path.exists(path):
                allow(path, read_dir)
        for path in policy.write:
            if os.path.isdir(path):
                allow(path, write_dir)
        for path in DEVICES_RW:
            if os.path.exists(path):
                allow(path, _READ_FILE | _WRITE_FILE)
        if policy.execute:  # the programs, and the dynamic loader the kernel opens to run them
            for path in {*policy.execute, *_loaders()}:
                allow(path, _READ_FILE | _EXECUTE)
        _landlock_call(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return f"Landlock ABI {abi}"


def _loaders() -> list[str]:
    import glob

    found = []
    for pattern in (
        "/lib64/ld-linux*.so*",
        "/lib/ld-linux*.so*",
        "/lib/*-linux-gnu/ld-linux*.so*",
        "/lib/ld-musl*",
    ):
        found += [os.path.realpath(p) for p in glob.glob(pattern)]
    return sorted(set(found))


TOOLS = ("blkls", "blkcat", "icat", "fls", "istat", "fsstat", "mmls", "img_stat")
"""Sleuth Kit's command-line tools, which isolated post-scan work may run (confined too)."""


def tools() -> tuple[str, ...]:
    """:data:`TOOLS` found on ``PATH`` (real paths)."""
    import shutil

    return tuple(sorted({os.path.realpath(p) for t in TOOLS if (p := shutil.which(t))}))


def _seccomp(pyseccomp: object, whole_process: bool, execute: bool = False) -> str:
    sc = pyseccomp
    filt = sc.SyscallFilter(sc.ALLOW)  # type: ignore[attr-defined]
    for name in DENIED_SYSCALLS:
        if execute and name in ("execve", "execveat"):
            continue
        try:
            filt.add_rule(sc.ERRNO(errno.EPERM), name)  # type: ignore[attr-defined]
        except Exception:  # not a system call of this architecture
            continue
    if whole_process:
        filt.set_attr(sc.Attr.CTL_TSYNC, 1)  # type: ignore[attr-defined]
    filt.load()
    return "seccomp (no sockets" + (", execve only of the allowed tools)" if execute else ", no execve)")


def describe(enabled: bool, where: Support | None = None) -> str:
    """One line for the scan summary and the case: what is confined here."""
    if not enabled:
        return "sandbox: disabled (--no-sandbox): parsers run with the examiner's full rights"
    s = where or support()
    if s.complete:
        return f"sandbox: on (Landlock ABI {s.landlock_abi}, seccomp, no_new_privs, resource limits)"
    return "sandbox: partial — " + "; ".join(s.missing)


READ_ENV = ("TRIAGE_YARA_CACHE",)
"""Environment variables naming what analyzers read in a worker (never TRIAGE_CASES_DIR, the log
folder or a passphrase file)."""


def _paths_in(value: object) -> list[str]:
    """Existing paths among an analyzer option's values (rule files, hash set databases)."""
    if isinstance(value, str | Path):
        text = str(value)
        return [text] if text and os.path.isabs(os.path.expanduser(text)) and os.path.exists(text) else []
    if isinstance(value, dict):
        return [p for v in value.values() for p in _paths_in(v)]
    if isinstance(value, list | tuple | set):
        return [p for v in value for p in _paths_in(v)]
    return []


def evidence_policy(
    evidence: Iterable[str | Path],
    plugin_dirs: Iterable[str | Path] = (),
    options: object = None,
    write: Iterable[str | Path] = (),
    scratch: str | Path | None = None,
    whole_process: bool = True,
) -> Policy:
    """The policy of a process that scans ``evidence`` (every segment file): it also reads the
    plugin folders, the paths named in analyzer options, the default hash set database, triage's
    cache folder (compiled rules) and the paths of :data:`READ_ENV`; it writes ``write``.
    Not the user data folder: the default cases folder lies in it."""
    import platformdirs

    from triage.hashsets import default_db_path

    read = [*map(str, evidence), *map(str, plugin_dirs), *_paths_in(options)]
    hashsets = str(default_db_path())  # not the whole data folder: the default cases folder is there
    read += [hashsets, f"{hashsets}-wal", f"{hashsets}-shm", platformdirs.user_cache_dir("triage")]
    read += [v for k in READ_ENV if os.path.isabs(v := os.environ.get(k, ""))]
    return policy_for(
        [p for p in read if os.path.exists(p)],
        write,
        scratch=str(scratch) if scratch is not None else None,
        whole_process=whole_process,
    )


def recorded(enabled: bool) -> dict[str, object]:
    """What a scan's settings record of the sandbox (the case keeps it with the scan)."""
    return {"enabled": enabled, "summary": describe(enabled), **support().to_json()}


class _Warns(Protocol):
    def add_warning(self, source: str, message: str, **where: Any) -> None: ...


def record(case: _Warns, enabled: bool, scan_id: int | None = None) -> None:
    """A warning problem in the case when the parsers are not fully confined (disabled, or a layer
    this kernel lacks): results are complete, but the examiner should know."""
    s = support()
    if not enabled or not s.complete:
        case.add_warning("sandbox", describe(enabled, s), scan_id=scan_id)


def case_policy(case: Any, args: object = (), module_file: str | None = None) -> Policy | None:
    """The policy of post-scan work in a child (:mod:`triage.scan.isolated`): it reads the case
    (opened before it is confined), every evidence item of the case, the paths among its
    arguments and its plugin's folder; None when the case's last scan ran with ``--no-sandbox``."""
    scans = case.scans()
    if scans and not (scans[-1].get("settings") or {}).get("sandbox", {}).get("enabled", True):
        return None
    import json

    evidence: list[str] = [str(case.path)]
    for row in case.evidence():  # the segments as the case recorded them (no image library loaded here)
        segments = row.get("segments") or []
        evidence += [
            str(row["path"]),
            *map(str, json.loads(segments) if isinstance(segments, str) else segments),
        ]
    dirs = [os.path.dirname(module_file)] if module_file else []
    policy = evidence_policy(evidence, dirs, list(args) if isinstance(args, list | tuple) else args)
    return replace(policy, execute=tools())
