"""The case database schema and its migrations.

``MIGRATIONS[i]`` upgrades a case from schema version ``i`` to ``i + 1``.
"""

from __future__ import annotations

SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    segments TEXT NOT NULL,            -- JSON list of segment paths
    size INTEGER NOT NULL,
    md5 TEXT, sha1 TEXT, sha256 TEXT,  -- acquisition hashes, when the container stores them
    metadata TEXT NOT NULL DEFAULT '{}',
    volume_system TEXT,
    added TEXT NOT NULL,
    inventory_done INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE partitions (
    id INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    idx INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    description TEXT NOT NULL,
    slot TEXT, fs_type TEXT, block_size INTEGER, error TEXT,
    UNIQUE (evidence_id, idx)
);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    partition_id INTEGER NOT NULL REFERENCES partitions(id),
    parent_path TEXT NOT NULL,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    inode INTEGER, attr_type INTEGER, attr_id INTEGER, stream TEXT,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    orphan INTEGER NOT NULL DEFAULT 0,
    mtime INTEGER, atime INTEGER, ctime INTEGER, crtime INTEGER,
    mode INTEGER, uid INTEGER, gid INTEGER,   -- permission bits and owner as libtsk reports them
    name_type TEXT, link TEXT,                -- directory-entry type (fls's first letter); symlink target
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | done | failed | skipped
    md5 TEXT, sha1 TEXT, sha256 TEXT,
    mime TEXT, description TEXT, ext_mismatch INTEGER,
    attributes TEXT,                          -- JSON object from analyzers
    error TEXT
);
CREATE INDEX files_parent ON files(partition_id, parent_path);
CREATE INDEX files_status ON files(evidence_id, status);
CREATE INDEX files_sha256 ON files(sha256);
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,                     -- running | completed | cancelled | failed
    settings TEXT NOT NULL,
    versions TEXT NOT NULL,
    stats TEXT
);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    file_id INTEGER REFERENCES files(id),
    evidence_id INTEGER REFERENCES evidence(id),
    scan_id INTEGER REFERENCES scans(id),
    plugin TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    severity TEXT NOT NULL DEFAULT 'info',
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX findings_file ON findings(file_id);
CREATE INDEX findings_kind ON findings(kind, name);
CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER REFERENCES scans(id),
    evidence_id INTEGER REFERENCES evidence(id),
    partition_id INTEGER REFERENCES partitions(id),
    file_id INTEGER REFERENCES files(id),
    source TEXT NOT NULL,                     -- engine | inventory | plugin name
    message TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX errors_file ON errors(file_id);
CREATE TABLE tags (
    file_id INTEGER NOT NULL REFERENCES files(id),
    tag TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (file_id, tag)
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    text TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""

# Version 2: integrity (evidence hashes, damaged media, lossless names, $FILE_NAME times).
# Each block belongs to one subsystem; keep comments on their own lines (see _split_sql).
SCHEMA_V2 = """
-- evidence hashes: the whole evidence stream as triage read it (computed), next to the
-- stored acquisition hashes in evidence.md5/sha1/sha256
CREATE TABLE evidence_hashes (
    evidence_id INTEGER PRIMARY KEY REFERENCES evidence(id),
    md5 TEXT, sha1 TEXT, sha256 TEXT,
    bytes_hashed INTEGER NOT NULL DEFAULT 0,
    state BLOB,
    verified TEXT,
    finished TEXT
);

-- damaged media: byte ranges of the evidence stream that could not be read correctly
CREATE TABLE damage (
    id INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    start INTEGER NOT NULL,
    length INTEGER NOT NULL,
    reason TEXT NOT NULL
);
ALTER TABLE files ADD COLUMN damage TEXT;

-- lossless names: the entry's own name bytes exactly as the file system stores them
ALTER TABLE files ADD COLUMN name_raw BLOB;

-- NTFS $FILE_NAME times (the second MACB set fls -m prints), and fls's deleted-realloc
ALTER TABLE files ADD COLUMN fn_mtime INTEGER;
ALTER TABLE files ADD COLUMN fn_atime INTEGER;
ALTER TABLE files ADD COLUMN fn_ctime INTEGER;
ALTER TABLE files ADD COLUMN fn_crtime INTEGER;
ALTER TABLE files ADD COLUMN realloc INTEGER NOT NULL DEFAULT 0;

-- timeline: which $FILE_NAME attribute fls -m prints (id, content size), and the creation
-- times' sub-second parts in nanoseconds for the timestomping signs (triage/timestomp.py)
ALTER TABLE files ADD COLUMN fn_attr_id INTEGER;
ALTER TABLE files ADD COLUMN fn_size INTEGER;
ALTER TABLE files ADD COLUMN crtime_ns INTEGER;
ALTER TABLE files ADD COLUMN fn_crtime_ns INTEGER;
"""

# Version 3: typed problems (a severity column instead of a message prefix), picture
# thumbnails for the gallery, and the case's own metadata (in meta: case_number, examiner,
# organisation; no table needed).
SCHEMA_V3 = """
-- problems: severity is a column; rows written by schema 2 that began with the old
-- "warning" prefix become warnings without it
ALTER TABLE errors ADD COLUMN severity TEXT NOT NULL DEFAULT 'error' CHECK (severity IN ('error', 'warning'));
UPDATE errors SET severity = 'warning', message = ltrim(substr(message, 9)) WHERE substr(message, 1, 8) = 'warning:';
CREATE INDEX errors_severity ON errors(severity);

-- gallery: one decoded thumbnail per picture file (PNG bytes), or why none could be made
CREATE TABLE thumbnails (
    file_id INTEGER PRIMARY KEY REFERENCES files(id),
    width INTEGER, height INTEGER,
    data BLOB,
    error TEXT,
    created TEXT NOT NULL
);
"""

# Version 4: the completeness ledger's explicit entries (triage/case/completeness.py): what was
# not fully examined and no other table says so (an encrypted volume without its key, a
# container member past a limit, text extraction cut off, unallocated space not scanned).
SCHEMA_V4 = """
CREATE TABLE gaps (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER REFERENCES scans(id),
    evidence_id INTEGER REFERENCES evidence(id),
    partition_id INTEGER REFERENCES partitions(id),
    file_id INTEGER REFERENCES files(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    size INTEGER,
    source TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX gaps_evidence ON gaps(evidence_id);
"""

# Version 5: the ledger's unallocated space (triage/case/completeness.py): bytes in each file
# system's unallocated blocks, counted at inventory time (blkls -A), or why they are unknown; and
# the volume chain of a partition (triage/evidence/fve.py): the encrypted volume the file system
# lies in (scheme, description, cipher, protectors, the protector type that unlocked it, declared
# and present size of the decrypted stream), as JSON; never a key.
SCHEMA_V5 = """
ALTER TABLE partitions ADD COLUMN unallocated INTEGER;
ALTER TABLE partitions ADD COLUMN unallocated_error TEXT;
ALTER TABLE partitions ADD COLUMN volume TEXT;
"""

# Version 6: the full-text index (triage/case/textindex.py, docs/search.md). text_pieces holds
# the extracted text and raw strings (with their byte spans); text_fts is an FTS5 index over it
# (external content, kept in step by triggers); saved_searches keeps keyword lists by name.
SCHEMA_V6 = """
CREATE TABLE text_pieces (
    id INTEGER PRIMARY KEY,
    file_id INTEGER REFERENCES files(id),
    evidence_id INTEGER REFERENCES evidence(id),
    partition_id INTEGER REFERENCES partitions(id),
    source TEXT NOT NULL CHECK (source IN ('text', 'strings', 'slack', 'unallocated')),
    member TEXT,
    base INTEGER NOT NULL DEFAULT 0,
    spans BLOB,
    text TEXT NOT NULL
);
CREATE INDEX text_pieces_file ON text_pieces(file_id);
CREATE INDEX text_pieces_partition ON text_pieces(partition_id, source);
CREATE VIRTUAL TABLE text_fts USING fts5(
    text, content='text_pieces', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE text_vocab USING fts5vocab(text_fts, row);
CREATE TRIGGER text_pieces_ai AFTER INSERT ON text_pieces BEGIN
    INSERT INTO text_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER text_pieces_ad AFTER DELETE ON text_pieces BEGIN
    INSERT INTO text_fts(text_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE saved_searches (
    name TEXT PRIMARY KEY,
    terms TEXT NOT NULL,
    created TEXT NOT NULL
);
"""

# Version 7: entries that no file system lists directly (docs/architecture.md, "Derived
# entries"). origin is 'fs' for a file-system entry, 'member' for a file found inside a container
# (archive, e-mail, document attachment) and 'carved' for a file recovered from unallocated space.
# container_id is the files row the member was read from (the archive, the mail), member_path the
# member's path inside it; the entry's own path is ``ARCHIVE//member/path``. extent is the byte
# range a carved file was read from, as JSON [[offset, length], ...] runs
# relative to its partition.
SCHEMA_V7 = """
ALTER TABLE files ADD COLUMN origin TEXT NOT NULL DEFAULT 'fs';
ALTER TABLE files ADD COLUMN container_id INTEGER REFERENCES files(id);
ALTER TABLE files ADD COLUMN member_path TEXT;
ALTER TABLE files ADD COLUMN extent TEXT;
CREATE INDEX files_container ON files(container_id);
CREATE INDEX files_origin ON files(origin);
"""

SCHEMA_VERSION = 7
MIGRATIONS: list[str] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7]
