"""A document as one self-contained HTML page: inline CSS, images as ``data:`` URIs, ``lang`` and
``dir`` on the page and on every block in another language; it opens offline."""

from __future__ import annotations

import base64
from html import escape

from triage.i18n import direction

from .model import Block, Document, Heading, Image, KeyValues, PageBreak, Paragraph, Steps, Table

CSS = """
body{font-family:"Noto Sans","Noto Naskh Arabic","Noto Sans CJK SC","DejaVu Sans",sans-serif;
 font-size:11pt;line-height:1.4;max-width:60em;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:18pt;margin:0 0 .2em}h2{font-size:14pt;margin:1.4em 0 .4em;border-bottom:1px solid #888}
h3{font-size:12pt;margin:1em 0 .3em}.subtitle{color:#444;margin:0 0 1em}
.mono,code,td.mono{font-family:"DejaVu Sans Mono",monospace;font-size:9pt;direction:ltr;
 unicode-bidi:embed;word-break:break-all}
.small{font-size:9pt;color:#333}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
th,td{border:1px solid #bbb;padding:2px 4px;vertical-align:top;text-align:start}
th{background:#eee}td.right{text-align:end}td.center{text-align:center}
table.kv th{width:30%;background:#f4f4f4;font-weight:bold}
caption{caption-side:top;text-align:start;font-weight:bold;padding:.3em 0}
figure{margin:1em 0}figcaption{font-size:9pt;color:#333}
ol.steps li{margin:.3em 0}ol.steps pre{margin:.2em 0;white-space:pre-wrap}
footer{margin-top:2em;font-size:9pt;color:#555;border-top:1px solid #bbb}
@media print{.pagebreak{break-before:page}}
"""


def _lang_attrs(lang: str | None, doc: Document) -> str:
    if lang is None or lang == doc.lang:
        return ""
    return f' lang="{lang}" dir="{direction(lang)}"'


def _block(block: Block, doc: Document) -> str:
    match block:
        case Heading(text=text, level=level, lang=lang):
            n = min(max(level + 1, 2), 4)
            return f"<h{n}{_lang_attrs(lang, doc)}>{escape(text)}</h{n}>"
        case Paragraph(text=text, lang=lang, small=small, mono=mono):
            classes = " ".join(c for c, on in (("small", small), ("mono", mono)) if on)
            cls = f' class="{classes}"' if classes else ""
            body = escape(text).replace("\n", "<br>")
            return f"<p{cls}{_lang_attrs(lang, doc)}>{body}</p>"
        case KeyValues(rows=rows, mono_values=mono):
            cls = ' class="mono"' if mono else ""
            trs = "".join(
                f'<tr><th scope="row">{escape(k)}</th><td{cls}>{escape(v)}</td></tr>' for k, v in rows
            )
            return f'<table class="kv">{trs}</table>'
        case Table(columns=columns, rows=rows, caption=caption):
            cap = f"<caption>{escape(caption)}</caption>" if caption else ""
            head = "".join(f'<th scope="col">{escape(c.header)}</th>' for c in columns)
            trs_: list[str] = []
            for row in rows:
                cells = []
                for col, value in zip(columns, row, strict=True):
                    classes = " ".join(
                        c for c, on in (("mono", col.mono), (col.align, col.align != "left")) if on
                    )
                    cls = f' class="{classes}"' if classes else ""
                    cells.append(f"<td{cls}>{escape(value)}</td>")
                trs_.append("<tr>" + "".join(cells) + "</tr>")
            body = "".join(trs_)
            return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        case Steps(items=items, lang=lang):
            lis = "".join(
                f"<li>{escape(text)}"
                + (f'<pre class="mono">{escape(command)}</pre>' if command else "")
                + "</li>"
                for text, command in items
            )
            return f'<ol class="steps"{_lang_attrs(lang, doc)}>{lis}</ol>'
        case Image(png=png, caption=caption, width_mm=width):
            src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
            return (
                f'<figure><img src="{src}" alt="{escape(caption)}" style="width:{width:g}mm;'
                f'max-width:100%">{cap}</figure>'
            )
        case PageBreak():
            return '<div class="pagebreak"></div>'
    raise TypeError(f"not a document block: {block!r}")


def render_html(doc: Document) -> str:
    """The whole document as a string (UTF-8 when written)."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{doc.lang}" dir="{doc.direction}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{escape(doc.creator)}">',
        *([f'<meta name="author" content="{escape(doc.author)}">'] if doc.author else []),
        f"<title>{escape(doc.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(doc.title)}</h1>",
        *([f'<p class="subtitle">{escape(doc.subtitle)}</p>'] if doc.subtitle else []),
        *(_block(b, doc) for b in doc.blocks),
        *([f"<footer>{escape(doc.footer)}</footer>"] if doc.footer else []),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)
