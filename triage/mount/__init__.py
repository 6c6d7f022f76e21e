"""Mount evidence read-only through FUSE, so any program can read what is inside an image.

Public API (Qt-free; the GUI uses the background form)::

    from triage.mount import mount, unmount, start_mount, fuse_problem

    problem = fuse_problem()          # None, or a one-line reason with what to install
    handle = mount("disk.E01", "/mnt/disk", foreground=False)   # returns once ready
    ...                               # handle.mountpoint, handle.pid, handle.alive()
    handle.unmount()                  # or unmount("/mnt/disk") from anywhere

See ``docs/mount.md`` for the layout and the guarantees.
"""

from __future__ import annotations

import os
from typing import Any

from triage.mount.fuse import FuseUnavailable, check_mountpoint, fuse_problem, mounted_fuse, unmount
from triage.mount.serve import MountProcess, serve, start_mount
from triage.mount.tree import DELETED_DIR, IMAGE_NAME, Node, PartitionSpec, Tree

__all__ = [
    "DELETED_DIR",
    "IMAGE_NAME",
    "FuseUnavailable",
    "MountProcess",
    "Node",
    "PartitionSpec",
    "Tree",
    "check_mountpoint",
    "fuse_problem",
    "mount",
    "mounted_fuse",
    "serve",
    "start_mount",
    "unmount",
]


def mount(
    evidence: str | os.PathLike[str],
    mountpoint: str | os.PathLike[str],
    partition: int | None = None,
    raw: bool = False,
    case: str | os.PathLike[str] | None = None,
    foreground: bool = True,
    **kwargs: Any,
) -> MountProcess | dict[str, Any]:
    """Mount ``evidence`` read-only at ``mountpoint``.

    ``foreground=True`` serves in this process until unmounted and returns the summary;
    ``foreground=False`` starts a child process, waits until the mount is ready and returns
    its :class:`MountProcess`.
    """
    if foreground:
        return serve(evidence, mountpoint, partition=partition, raw=raw, case=case, **kwargs)
    return start_mount(evidence, mountpoint, partition=partition, raw=raw, case=case, **kwargs)
