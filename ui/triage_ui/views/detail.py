"""The detail pane of the selected file: metadata, hex (with matches), text, image, tags and notes.

Content is read from the evidence on demand and in bounded amounts: the hex view pages
64 KiB blocks, the text view reads at most ``TEXT_LIMIT`` bytes, the image preview at most
``IMAGE_LIMIT``.
"""

from __future__ import annotations

import codecs
import html
import json
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontDatabase, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from triage.case.integrity import damage_note, file_damage
from triage.case.store import deletion_label
from triage.errors import TriageError
from triage.evidence.names import name_escape_reason
from triage.timestomp import timestomp_signs
from triage_ui.i18n import scan_word
from triage_ui.models.findings import match_ranges
from triage_ui.models.format import kind_text, size_text, time_text
from triage_ui.session import CaseSession
from triage_ui.views.hexview import HexView

log = logging.getLogger("triage.ui.detail")
TEXT_LIMIT = 1 << 20
IMAGE_LIMIT = 32 << 20
ENCODINGS = ["auto", "utf-8", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]


def detect_encoding(data: bytes) -> str:
    """BOM first, then UTF-8, then UTF-16 by NUL pattern, then charset-normalizer's best guess."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return name
    sample = data[:65536]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:  # cut in the middle of a character
            return "utf-8"
    if len(sample) >= 4:
        odd_nuls = sample[1::2].count(0) / max(1, len(sample) // 2)
        even_nuls = sample[0::2].count(0) / max(1, len(sample) // 2)
        if odd_nuls > 0.3 and even_nuls < 0.05:
            return "utf-16-le"
        if even_nuls > 0.3 and odd_nuls < 0.05:
            return "utf-16-be"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None:
            enc = str(best.encoding)
            # Windows-1252 is what Western documents on seized Windows disks are; DOS and Mac
            # code pages are guessed for short samples that decode cleanly as 1252 as well.
            if enc.startswith(("cp437", "cp850", "cp858", "mac", "latin", "iso8859_1", "iso8859_15")):
                try:
                    sample.decode("cp1252")
                    return "cp1252"
                except UnicodeDecodeError:
                    pass
            return enc
    except ImportError:
        pass
    return "cp1252"


class DetailPane(QTabWidget):
    """Tabs for one file; ``show_file(id)`` loads it, ``show_hit`` jumps to a match."""

    tagsChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: CaseSession | None = None
        self.file_id: int | None = None
        self.row: dict[str, Any] | None = None
        self._content: Any = None
        self._exif_pool: Any = None  # a triage.media.pool.DecoderPool, started on the first picture
        self._build()

    def _build(self) -> None:
        self.meta = QTextBrowser()
        self.meta.setOpenLinks(False)
        self.addTab(self.meta, self.tr("Metadata"))
        # hex
        hexw = QWidget()
        lay = QVBoxLayout(hexw)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.prev_btn, self.next_btn = QToolButton(), QToolButton()
        self.prev_btn.setText(self.tr("◀ Previous match"))
        self.next_btn.setText(self.tr("Next match ▶"))
        self.prev_btn.setToolTip(self.tr("Previous match (Shift+F3)"))
        self.next_btn.setToolTip(self.tr("Next match (F3)"))
        self.match_label = QLabel(self.tr("no matches"))
        self.goto_edit = QLineEdit(placeholderText=self.tr("go to offset (0x… or decimal)"))
        self.goto_edit.setMaximumWidth(220)
        bar.addWidget(self.prev_btn)
        bar.addWidget(self.next_btn)
        bar.addWidget(self.match_label, 1)
        bar.addWidget(self.goto_edit)
        lay.addLayout(bar)
        self.hex = HexView()
        lay.addWidget(self.hex, 1)
        self.addTab(hexw, self.tr("Hex"))
        self.prev_btn.clicked.connect(self.hex.previous_match)
        self.next_btn.clicked.connect(self.hex.next_match)
        self.hex.currentMatchChanged.connect(self._on_match)
        self.goto_edit.returnPressed.connect(self._goto)
        # text
        textw = QWidget()
        tl = QVBoxLayout(textw)
        tl.setContentsMargins(0, 0, 0, 0)
        tbar = QHBoxLayout()
        self.encoding = QComboBox()
        self.encoding.addItems(ENCODINGS)
        self.text_label = QLabel("")
        tbar.addWidget(QLabel(self.tr("Encoding:")))
        tbar.addWidget(self.encoding)
        tbar.addWidget(self.text_label, 1)
        tl.addLayout(tbar)
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        tl.addWidget(self.text, 1)
        self.text_tab = self.addTab(textw, self.tr("Text"))
        self.encoding.currentTextChanged.connect(lambda _: self._load_text())
        # image
        self.image = QLabel(self.tr("No preview"))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.addTab(scroll, self.tr("Image"))
        # tags and notes
        tw = QWidget()
        v = QVBoxLayout(tw)
        row = QHBoxLayout()
        self.tag_edit = QLineEdit(placeholderText=self.tr("tag (e.g. relevant, privileged, export)"))
        self.tag_btn = QPushButton(self.tr("Add tag"))
        self.untag_btn = QPushButton(self.tr("Remove selected tag"))
        row.addWidget(self.tag_edit, 1)
        row.addWidget(self.tag_btn)
        row.addWidget(self.untag_btn)
        v.addLayout(row)
        self.tag_list = QListWidget()
        self.tag_list.setMaximumHeight(90)
        v.addWidget(self.tag_list)
        v.addWidget(QLabel(self.tr("Notes (stored in the case and in the audit log):")))
        self.notes_view = QTextBrowser()
        v.addWidget(self.notes_view, 1)
        self.note_edit = QPlainTextEdit(placeholderText=self.tr("write a note about this file"))
        self.note_edit.setMaximumHeight(70)
        v.addWidget(self.note_edit)
        self.note_btn = QPushButton(self.tr("Add note"))
        v.addWidget(self.note_btn, 0, Qt.AlignmentFlag.AlignRight)
        self.addTab(tw, self.tr("Tags && notes"))
        self.tag_btn.clicked.connect(lambda: self.add_tag(self.tag_edit.text()))
        self.tag_edit.returnPressed.connect(lambda: self.add_tag(self.tag_edit.text()))
        self.untag_btn.clicked.connect(self._remove_tag)
        self.note_btn.clicked.connect(lambda: self.add_note(self.note_edit.toPlainText()))

    # -- loading ---------------------------------------------------------------------------
    def set_session(self, session: CaseSession | None) -> None:
        self.session = session
        self.clear_file()
        self.note_edit.clear()  # a half-typed note belongs to the previous case
        if session is None and self._exif_pool is not None:
            self._exif_pool.close()
            self._exif_pool = None

    def clear_file(self) -> None:
        self.file_id, self.row, self._content = None, None, None
        self.meta.setHtml("<p>" + html.escape(self.tr("Select a file.")) + "</p>")
        self.hex.set_source(None)
        self.text.setPlainText("")
        self.image.setPixmap(QPixmap())
        self.image.setText(self.tr("No preview"))
        self.tag_list.clear()
        self.notes_view.clear()
        self.match_label.setText(self.tr("no matches"))

    def show_file(self, file_id: int) -> None:
        if self.session is None:
            return
        row = self.session.ro.file(file_id)
        if row is None:
            self.clear_file()
            return
        self.file_id, self.row = file_id, row
        findings = self.session.file_findings(file_id)
        ranges = sorted({(o, n) for f in findings for o, n, _, _ in match_ranges(f["details"] or {})})
        self._content = None
        error = None
        if row["type"] == "r" and row["inode"] is not None and row["size"] > 0:
            try:
                self._content = self.session.content(file_id)
            except TriageError as exc:
                error = str(exc)
                log.warning("content of file %s unavailable: %s", file_id, exc)
        self.meta.setHtml(self._metadata_html(row, findings, error))
        self.hex.set_source(self._content, ranges)
        self._on_match(-1)
        self._load_text()
        self._load_image()
        self._load_tags()

    def show_hit(self, file_id: int, offset: int | None, length: int) -> None:
        """Show a file in the hex view and highlight one match (the first when offset is None)."""
        if file_id != self.file_id:
            self.show_file(file_id)
        self.setCurrentIndex(1)
        if offset is not None:
            self.hex.select_range(offset, max(1, length))
        elif self.hex.matches:
            self.hex.goto_match(0)

    def show_extracted_text(
        self, text: str, whole: bool, offset: int, length: int, member: str | None
    ) -> None:
        """Show the text the index extracted from the file (a document's words, not its bytes) in
        the Text view, with the characters ``offset .. offset + length`` selected."""
        self.setCurrentIndex(self.text_tab)
        self.text.setPlainText(text)
        cursor = self.text.textCursor()
        cursor.setPosition(min(offset, len(text)))
        cursor.setPosition(min(offset + length, len(text)), cursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.centerCursor()
        where = (
            self.tr("extracted text of {member}").format(member=member)
            if member
            else self.tr("extracted text")
        )
        note = "" if whole else self.tr(" (pieces missing: indexed in part)")
        self.text_label.setText(
            self.tr("{where}, character {offset}{note}; choose an encoding for the file's bytes").format(
                where=where, offset=f"{offset:,}", note=note
            )
        )

    def show_text_match(self, text: str) -> bool:
        """Show the Text view with the first occurrence of ``text`` selected (False: not in the
        text shown, which is the file's own bytes decoded, not a document's extracted text)."""
        self.setCurrentIndex(self.text_tab)
        if not text:
            return False
        cursor = self.text.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.text.setTextCursor(cursor)
        found = bool(self.text.find(text))
        if not found:
            self.text_label.setText(
                self.tr("{text!r} is in the document's extracted text only").format(text=text)
            )
        return found

    def _metadata_html(self, row: dict[str, Any], findings: list[dict[str, Any]], error: str | None) -> str:
        def table_row(k: str, v: Any) -> str:
            return f"<tr><th align=left valign=top>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"

        yes, no = self.tr("yes"), self.tr("no")
        created = self.tr("Created (UTC)")
        items = [
            (self.tr("Name"), row["name"]),
            (self.tr("Path"), row["path"]),
            (self.tr("Kind"), kind_text(row["type"])),
            (self.tr("Size"), size_text(row["size"])),
            (self.tr("Deleted"), _deleted_text(row)),
            (self.tr("Orphan"), yes if row["orphan"] else no),
            (self.tr("Modified (UTC)"), time_text(row["mtime"])),
            (self.tr("Accessed (UTC)"), time_text(row["atime"])),
            (self.tr("Changed (UTC)"), time_text(row["ctime"])),
            (created, time_text(row["crtime"])),
            (self.tr("Content type"), row["mime"] or ""),
            (self.tr("Description"), row["description"] or ""),
            (
                self.tr("Extension contradicts content"),
                {None: "", 0: no, 1: self.tr("YES")}.get(row["ext_mismatch"], ""),
            ),
            ("MD5", row["md5"] or ""),
            ("SHA-1", row["sha1"] or ""),
            ("SHA-256", row["sha256"] or ""),
            (self.tr("Scan status"), scan_word(row["status"])),
            (self.tr("Inode"), row["inode"]),
            (self.tr("Stream"), row["stream"] or ""),
            (self.tr("File id"), row["id"]),
        ]
        if row.get("name_raw") is not None and name_escape_reason(row["name_raw"]):
            items.insert(
                1,
                (
                    self.tr("Name bytes (hex)"),
                    self.tr(
                        "{hex} ({reason}: the name shows them escaped, \\xHH per byte, \\\\ per backslash)"
                    ).format(hex=bytes(row["name_raw"]).hex(), reason=name_escape_reason(row["name_raw"])),
                ),
            )
        if row.get("fn_attr_id") is not None:  # NTFS: the $FILE_NAME times, next to the $SI ones above
            at = 1 + next(i for i, (k, _v) in enumerate(items) if k == created)
            items[at:at] = [
                (label, time_text(row[f"fn_{c}"]))
                for label, c in (
                    (self.tr("$FN modified (UTC)"), "mtime"),
                    (self.tr("$FN accessed (UTC)"), "atime"),
                    (self.tr("$FN changed (UTC)"), "ctime"),
                    (self.tr("$FN created (UTC)"), "crtime"),
                )
            ]
            items += [(self.tr("Timestomping sign"), s.text) for s in timestomp_signs(row)]
        if row.get("error"):
            items.append((self.tr("Error"), row["error"]))
        damage = row.get("damage") or (
            file_damage(self.session.ro, row["id"]) if self.session is not None else None
        )
        if damage:
            items.append((self.tr("Damage"), damage_note(damage)))
        if error:
            items.append((self.tr("Content"), self.tr("unavailable: {error}").format(error=error)))
        if row.get("attributes"):
            items.append((self.tr("Analyzer results"), json.dumps(row["attributes"], sort_keys=True)[:2000]))
        items += self._picture_items(row)
        body = "".join(table_row(k, v) for k, v in items)
        fl = "".join(
            f"<li>[{html.escape(f['plugin'])}] {html.escape(f['kind'])}: {html.escape(f['name'])} "
            f"({html.escape(f['severity'])})</li>"
            for f in findings
        )
        return f"<table cellspacing=4>{body}</table>" + (
            f"<h4>{html.escape(self.tr('Findings'))}</h4><ul>{fl}</ul>" if fl else ""
        )

    def _picture_items(self, row: dict[str, Any]) -> list[tuple[str, Any]]:
        """A picture's EXIF camera, original time and GPS position, parsed in a decoder child
        process (:mod:`triage.media.pool`), never in the GUI process."""
        if self._content is None or not str(row.get("mime") or "").startswith("image/"):
            return []
        from triage.media.pool import DecodeFailed, DecoderPool
        from triage.media.thumbnails import picture_exif

        if self._exif_pool is None:
            self._exif_pool = DecoderPool(size=1, timeout=10)
        try:
            exif = picture_exif(self._content, self._exif_pool, IMAGE_LIMIT)
        except (TriageError, DecodeFailed) as exc:
            return [(self.tr("EXIF"), self.tr("unreadable: {reason}").format(reason=exc))]
        if exif.empty:
            return [(self.tr("EXIF"), self.tr("no camera, time or position recorded"))]
        items: list[tuple[str, Any]] = [
            (self.tr("Camera make (EXIF)"), exif.make or ""),
            (self.tr("Camera model (EXIF)"), exif.model or ""),
            (self.tr("Taken (EXIF, camera's clock)"), exif.taken or ""),
        ]
        if exif.latitude is not None and exif.longitude is not None:
            items.append((self.tr("GPS position (EXIF)"), f"{exif.latitude:.6f}, {exif.longitude:.6f}"))
        return items

    def _load_text(self) -> None:
        if self._content is None:
            self.text.setPlainText("")
            self.text_label.setText(self.tr("no content"))
            return
        try:
            data = self._content.read(0, TEXT_LIMIT)
        except TriageError as exc:
            self.text.setPlainText("")
            self.text_label.setText(str(exc))
            return
        choice = self.encoding.currentText()
        enc = detect_encoding(data) if choice == "auto" else choice
        self.text.setPlainText(data.decode(enc, errors="replace").replace("\x00", "\u2400"))
        more = (
            self.tr(" (first {n} of {size} bytes)").format(n=f"{len(data):,}", size=f"{self._content.size:,}")
            if self._content.size > len(data)
            else ""
        )
        self.text_label.setText(f"{enc}{self.tr(' (detected)') if choice == 'auto' else ''}{more}")
        self.text_encoding = enc

    def _load_image(self) -> None:
        self.image.setPixmap(QPixmap())
        row = self.row or {}
        if self._content is None or not str(row.get("mime") or "").startswith("image/"):
            self.image.setText(
                self.tr("No preview (not an image)") if self._content is not None else self.tr("No preview")
            )
            return
        if self._content.size > IMAGE_LIMIT:
            self.image.setText(self.tr("No preview: larger than {n} MiB").format(n=IMAGE_LIMIT >> 20))
            return
        img = QImage.fromData(self._content.read(0, self._content.size))
        if img.isNull():
            self.image.setText(self.tr("No preview: the image cannot be decoded"))
            return
        self.image.setText("")
        self.image.setPixmap(QPixmap.fromImage(img))

    # -- tags and notes --------------------------------------------------------------------
    def _load_tags(self) -> None:
        self.tag_list.clear()
        self.notes_view.clear()
        if self.session is None or self.file_id is None:
            return
        self.tag_list.addItems([t["tag"] for t in self.session.ro.tags(self.file_id)])
        notes = self.session.ro.notes(self.file_id)
        self.notes_view.setHtml(
            "".join(f"<p><b>{html.escape(n['created'])}</b><br>{html.escape(n['text'])}</p>" for n in notes)
            or "<p><i>" + html.escape(self.tr("No notes.")) + "</i></p>"
        )

    def add_tag(self, tag: str) -> None:
        tag = tag.strip()
        if not tag or self.session is None or self.file_id is None:
            return
        self.session.tag([self.file_id], tag)
        self.tag_edit.clear()
        self._load_tags()
        self.tagsChanged.emit()

    def _remove_tag(self) -> None:
        item = self.tag_list.currentItem()
        if item is None or self.session is None or self.file_id is None:
            return
        self.session.rw.remove_tag(self.file_id, item.text())
        self._load_tags()
        self.tagsChanged.emit()

    def add_note(self, text: str) -> None:
        text = text.strip()
        if not text or self.session is None or self.file_id is None:
            return
        self.session.rw.add_note(self.file_id, text)
        self.note_edit.clear()
        self._load_tags()

    # -- hex helpers -----------------------------------------------------------------------
    def _on_match(self, i: int) -> None:
        n = len(self.hex.matches)
        cur = self.hex.current_match()
        if not n:
            self.match_label.setText(self.tr("no matches"))
        elif cur is None:
            self.match_label.setText(self.tr("1 match") if n == 1 else self.tr("{n} matches").format(n=n))
        else:
            self.match_label.setText(
                self.tr("match {i} of {n} at offset {hex} ({offset}), {length} bytes").format(
                    i=i + 1, n=n, hex=f"{cur[0]:#x}", offset=cur[0], length=cur[1]
                )
            )
        self.prev_btn.setEnabled(n > 0)
        self.next_btn.setEnabled(n > 0)

    def _goto(self) -> None:
        text = self.goto_edit.text().strip()
        try:
            off = int(text, 0)
        except ValueError:
            return
        self.hex.goto(max(0, min(off, max(0, self.hex.size_bytes - 1))))


def _deleted_text(row: dict[str, Any]) -> str:
    label = deletion_label(row)
    if label == "deleted-realloc":
        return QCoreApplication.translate(
            "DetailPane",
            "yes, and its metadata is allocated again (deleted-realloc): times and content may be another file's",
        )
    return QCoreApplication.translate("DetailPane", "yes" if label else "no")
