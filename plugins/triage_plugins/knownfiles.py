"""Known-file hash sets: mark files found in a ``known`` set and alert on ``notable`` ones.

Design: the lookup runs in the same pass, in ``finish()``, after the ``hashes`` analyzer
(declared in ``requires``) has put the digests in ``ctx.results``. Each worker opens the
hash set database read-only once (``setup``); a lookup is one indexed probe per algorithm.
Every hit records the set's name, version and category in the file's ``hashsets``
attribute; ``known``/``notable`` attributes let views hide known files or list notable
ones, and a notable hit is an ``alert`` finding of kind ``hashset``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from triage.plugin import (
    Analyzer,
    AnalyzerContext,
    Option,
    default_hash_sets_path,
    hookimpl,
    open_hash_sets,
)


class KnownFilesAnalyzer(Analyzer):
    """Looks each file's SHA-256, SHA-1 and MD5 up in the imported hash sets."""

    name = "knownfiles"
    version = "1.0.0"
    api_version = "2.0"
    result_keys = ("hashsets", "known", "notable")
    description = "marks files found in known hash sets (NSRL, …) and alerts on notable ones"
    requires = ("hashes",)
    needs_content = False
    options = (
        Option("db", str, "", "hash set database (default: $TRIAGE_HASHSETS_DB or the user data folder)"),
        Option("known_findings", bool, False, "also record a finding for every known file (many!)"),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        """An explicitly named database must exist and open (the default one may be absent)."""
        if not options["db"]:
            return []
        path = Path(options["db"])
        if not path.is_file():
            return [f"{path}: knownfiles.db: no such hash set database"]
        try:
            open_hash_sets(path).close()
        except Exception as exc:
            return [f"{path}: knownfiles.db: cannot open the hash set database: {exc}"]
        return []

    def setup(self) -> None:
        path = Path(self.config["db"]) if self.config["db"] else default_hash_sets_path()
        # An explicitly named database must exist; the default one may not (nothing imported yet).
        self._db = open_hash_sets(path) if (self.config["db"] or path.is_file()) else None
        self._empty = self._db is None or not self._db.sets()

    def start(self, ctx: AnalyzerContext) -> None:
        self._ctx = ctx

    def finish(self) -> None:
        if self._db is None or self._empty:
            return
        ctx = self._ctx
        digests = {a: ctx.results.get(a) for a in ("md5", "sha1", "sha256")}
        if not any(digests.values()):
            ctx.warning("no MD5, SHA-1 or SHA-256 was computed; hash sets not consulted")
            return
        hits = self._db.lookup(**digests)
        if not hits:
            return
        ctx.set_result("hashsets", [h.to_json() for h in hits])
        if any(h.category == "known" for h in hits):
            ctx.set_result("known", True)
        if any(h.category == "notable" for h in hits):
            ctx.set_result("notable", True)
        for h in hits:
            if h.category == "notable" or self.config["known_findings"]:
                algo = h.algorithms[0]
                ctx.add_finding(
                    "hashset",
                    h.set,
                    "alert" if h.category == "notable" else "info",
                    {**h.to_json(), "hash": digests[algo]},
                )

    def teardown(self) -> None:
        if self._db is not None:
            self._db.close()


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [KnownFilesAnalyzer]
