"""A self-contained HTML report of a cleaning run: highlighted documents and charts.

One page, no network: CSS, JavaScript and the SVG charts are inline. It shows the totals,
bar charts of removals per reason and per rule, a histogram of the share of characters removed
per document, and a sample of documents with every removed span highlighted (its reason, rule
and detail on hover; the number links the span to the list under the document).

Example:
    >>> from cleaner.batch import BatchStats
    >>> from cleaner.config import CleanerConfig
    >>> doc = ReportDocument("in.jsonl", 1, "a1", "Kept.\\nREAD MORE: x", "en",
    ...     [{"start": 6, "end": 18, "reason": "boilerplate", "rule_id": "en/read-more",
    ...       "detail": "promo", "text": "READ MORE: x", "line": 1, "method": "rule",
    ...       "unit": "line", "score": 100.0, "duplicate_of": None}])
    >>> page = render_report([doc], BatchStats(), CleanerConfig(), title="t")
    >>> page.count('<mark class="rm r-boilerplate"')
    1
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .batch import SHARE_BINS, BatchStats
from .config import CleanerConfig
from .io import AtomicFile

__all__ = ["ReportDocument", "render_report", "write_report"]

REASON_COLOURS = {
    "boilerplate": "#e4572e",
    "exact_duplicate": "#7b4fc9",
    "near_duplicate": "#e09f1f",
    "contained": "#17a398",
    "moved": "#3a7bd5",
}
_OTHER_COLOUR = "#888888"


@dataclass(frozen=True)
class ReportDocument:
    """One document shown in full: where it came from, its text and its removals (as dicts)."""

    source: str
    line: int
    doc_id: str | None
    original: str
    language: str | None
    removals: Sequence[dict[str, Any]]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _bar_chart(title: str, counts: dict[str, int], chart_id: str, colours: bool) -> str:
    """A horizontal SVG bar chart, largest first (at most 25 bars)."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
    if not items:
        return (
            f'<figure class="chart" id="{chart_id}"><figcaption>{_esc(title)}</figcaption>'
            '<p class="empty">No removals.</p></figure>'
        )
    label_w, bar_w, row_h = 190, 330, 22
    height = row_h * len(items) + 10
    peak = max(v for _, v in items)
    rows = []
    for i, (name, value) in enumerate(items):
        y = 5 + i * row_h
        width = max(2.0, bar_w * value / peak)
        reason = name if name in REASON_COLOURS else name.split("/")[0]
        colour = REASON_COLOURS.get(name, _OTHER_COLOUR) if colours else "#4a6fa5"
        label = name if len(name) <= 28 else name[:27] + "…"
        rows.append(
            f'<g class="bar" data-name="{_esc(name)}" data-reason="{_esc(reason)}">'
            f"<title>{_esc(name)}: {value:,}</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_esc(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" '
            f'fill="{colour}" rx="2"></rect>'
            f'<text x="{label_w + width + 5:.1f}" y="{y + 15}" class="value">{value:,}</text></g>'
        )
    return (
        f'<figure class="chart" id="{chart_id}"><figcaption>{_esc(title)}</figcaption>'
        f'<svg viewBox="0 0 {label_w + bar_w + 70} {height}" role="img" '
        f'aria-label="{_esc(title)}">{"".join(rows)}</svg></figure>'
    )


def _histogram(stats: BatchStats) -> str:
    """An SVG histogram of the share of characters removed per document."""
    counts = stats.share_histogram
    width, height, pad = 560, 180, 30
    peak = max(counts) if any(counts) else 1
    bin_w = (width - 2 * pad) / SHARE_BINS
    bars = []
    for i, count in enumerate(counts):
        h = (height - 2 * pad) * count / peak
        x = pad + i * bin_w
        lo, hi = 100 * i // SHARE_BINS, 100 * (i + 1) // SHARE_BINS
        bars.append(
            f'<rect class="bin" x="{x + 1:.1f}" y="{height - pad - h:.1f}" '
            f'width="{bin_w - 2:.1f}" height="{h:.1f}" fill="#4a6fa5">'
            f"<title>{lo}–{hi}% removed: {count:,} documents</title></rect>"
        )
    ticks = []
    for pct in (0, 25, 50, 75, 100):
        x = pad + (width - 2 * pad) * pct / 100
        ticks.append(
            f'<text x="{x:.1f}" y="{height - pad + 16}" text-anchor="middle">{pct}%</text>'
        )
    axis = (
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#999"></line>'
        f'<text x="{pad}" y="{pad - 12}" class="value">max {peak:,} documents per bin</text>'
    )
    return (
        '<figure class="chart" id="chart-share"><figcaption>Share of characters removed per '
        f"document ({stats.records_out:,} documents)</figcaption>"
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="share removed histogram">'
        f"{axis}{''.join(bars)}{''.join(ticks)}</svg></figure>"
    )


def _tip(number: int, removal: dict[str, Any]) -> str:
    parts = [f"[{number}] {removal.get('reason', '?')}"]
    if removal.get("rule_id"):
        parts.append(f"rule {removal['rule_id']}")
    elif removal.get("method"):
        parts.append(f"{removal['method']}, score {float(removal.get('score', 100)):.0f}")
    tip = ", ".join(parts)
    if removal.get("detail"):
        tip += f" — {removal['detail']}"
    dup = removal.get("duplicate_of")
    if dup:
        tip += f" — repeats: {str(dup.get('text', ''))[:160]}"
    return tip


def _highlight(original: str, removals: Sequence[dict[str, Any]]) -> str:
    pieces: list[str] = []
    position = 0
    for number, removal in enumerate(removals, 1):
        start = max(int(removal["start"]), position)  # overlaps: mark each character once
        end = int(removal["end"])
        if end <= start:
            continue
        reason = str(removal.get("reason", "other"))
        pieces.append(_esc(original[position:start]))
        pieces.append(
            f'<mark class="rm r-{_esc(reason)}" data-n="{number}" data-reason="{_esc(reason)}" '
            f'data-rule="{_esc(removal.get("rule_id") or "")}" '
            f'data-tip="{_esc(_tip(number, removal))}">'
            f'<sup class="n">{number}</sup>{_esc(original[start:end])}</mark>'
        )
        position = end
    pieces.append(_esc(original[position:]))
    return "".join(pieces)


def _document(index: int, doc: ReportDocument) -> str:
    removed = sum(int(r["end"]) - int(r["start"]) for r in doc.removals)
    share = removed / len(doc.original) if doc.original else 0.0
    ident = f" · id {_esc(doc.doc_id)}" if doc.doc_id else ""
    lang = f" · {_esc(doc.language)}" if doc.language else ""
    reasons = " ".join(
        f'<li><span class="key r-{_esc(r.get("reason", ""))}">{n}</span> '
        f"{_esc(_tip(n, r).split('] ', 1)[1])}</li>"
        for n, r in enumerate(doc.removals, 1)
    )
    listing = f'<ol class="reasons">{reasons}</ol>' if reasons else ""
    return (
        f'<article class="doc" id="doc-{index}" data-changed="{int(bool(doc.removals))}" '
        f'data-share="{share:.4f}">'
        f'<header><span class="where">{_esc(doc.source)}:{doc.line}{ident}{lang}</span>'
        f'<span class="badge">{len(doc.removals)} removal(s) · {100 * share:.1f}% removed</span>'
        f'</header><pre class="text">{_highlight(doc.original, doc.removals)}</pre>'
        f"{listing}</article>"
    )


_CSS = """
:root{--fg:#1d2430;--muted:#5b6575;--bg:#f6f7f9;--card:#fff;--line:#dde1e7}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;
color:var(--fg);background:var(--bg)}main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}.sub{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{background:var(--card);
border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:13px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0;padding:12px;
align-self:start}
.chart figcaption{font-weight:600;margin-bottom:6px}.chart svg{width:100%;height:auto;
font-size:12px;fill:var(--fg)}.chart .value{fill:var(--muted)}.empty{color:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0;font-size:13px}
.legend span{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;
vertical-align:-1px}.toolbar{display:flex;gap:10px;align-items:center;margin:8px 0 14px}
.toolbar input{padding:5px 8px;border:1px solid var(--line);border-radius:6px;min-width:260px}
.doc{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0 0 14px;
padding:10px 14px}.doc header{display:flex;justify-content:space-between;gap:10px;
color:var(--muted);font-size:13px}.badge{white-space:nowrap}
pre.text{white-space:pre-wrap;word-wrap:break-word;font:14px/1.55 ui-monospace,Menlo,Consolas,
monospace;margin:8px 0}mark.rm{border-radius:3px;padding:0 1px;text-decoration:line-through;
text-decoration-thickness:1px;cursor:help}mark.rm sup.n{font-size:10px;font-weight:700;
margin-right:2px;text-decoration:none;display:inline-block}mark.rm:hover,mark.rm.on{
outline:2px solid var(--fg)}ol.reasons{margin:4px 0 0;padding-left:0;list-style:none;
font-size:13px;color:var(--muted)}ol.reasons .key{display:inline-block;min-width:20px;
text-align:center;border-radius:3px;color:#fff;font-weight:700;margin-right:4px}
#tip{position:fixed;z-index:10;max-width:460px;background:#1d2430;color:#fff;font-size:13px;
padding:6px 9px;border-radius:6px;pointer-events:none;display:none}
details{margin:8px 0}details pre{background:var(--card);border:1px solid var(--line);
padding:8px;border-radius:6px;overflow:auto}.errors li{font-family:ui-monospace,monospace;
font-size:13px}
"""

_JS = """
(function(){
  var tip=document.getElementById('tip');
  document.addEventListener('mouseover',function(e){
    var m=e.target.closest&&e.target.closest('mark.rm');
    if(!m){tip.style.display='none';return;}
    tip.textContent=m.getAttribute('data-tip');tip.style.display='block';
  });
  document.addEventListener('mousemove',function(e){
    tip.style.left=Math.min(e.clientX+14,window.innerWidth-470)+'px';
    tip.style.top=(e.clientY+16)+'px';
  });
  var box=document.getElementById('filter'),only=document.getElementById('only-changed');
  function apply(){
    var q=box.value.toLowerCase(),docs=document.querySelectorAll('article.doc'),shown=0;
    for(var i=0;i<docs.length;i++){
      var d=docs[i],ok=(!only.checked||d.getAttribute('data-changed')==='1')&&
        (!q||d.textContent.toLowerCase().indexOf(q)>=0);
      d.style.display=ok?'':'none';if(ok){shown++;}
    }
    document.getElementById('shown').textContent=shown+' shown';
  }
  box.addEventListener('input',apply);only.addEventListener('change',apply);apply();
})();
"""


def render_report(
    documents: Sequence[ReportDocument],
    stats: BatchStats,
    config: CleanerConfig,
    *,
    title: str = "cleaner report",
) -> str:
    """The whole HTML page as a string."""
    reason_css = "".join(
        f"mark.r-{name}{{background:{colour}33;text-decoration-color:{colour}}}"
        f".key.r-{name}{{background:{colour}}}"
        for name, colour in REASON_COLOURS.items()
    )
    legend = "".join(
        f'<div><span style="background:{colour}"></span>{_esc(name)}</div>'
        for name, colour in REASON_COLOURS.items()
    )
    cards = [
        (f"{stats.records_in:,}", "records"),
        (f"{stats.changed:,}", "changed"),
        (f"{stats.rejected:,}", "rejected"),
        (f"{stats.removals:,}", "removals"),
        (f"{stats.chars_removed:,}", f"characters removed of {stats.chars_in:,}"),
        (f"{100 * stats.share_removed:.2f}%", "share removed"),
    ]
    cards_html = "".join(
        f'<div class="card"><b>{v}</b><span>{_esc(k)}</span></div>' for v, k in cards
    )
    errors = ""
    if stats.errors:
        items = "".join(f"<li>{_esc(e)}</li>" for e in stats.errors[:50])
        errors = f'<h2>Rejected records</h2><ul class="errors">{items}</ul>'
    docs_html = "".join(_document(i, d) for i, d in enumerate(documents))
    config_json = _esc(json.dumps(config.to_dict(), indent=2, ensure_ascii=False))
    shown = (
        f"all {len(documents):,} documents"
        if len(documents) == stats.records_out
        else f"a random sample of {len(documents):,} of {stats.records_out:,} documents"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{_CSS}{reason_css}</style></head><body><main>"
        f'<h1>{_esc(title)}</h1><div class="sub">cleaned in {stats.seconds:.1f} s · '
        f"{_esc(shown)}</div>"
        f'<div class="cards">{cards_html}</div>'
        '<h2>Removals</h2><div class="charts">'
        f"{_bar_chart('Removals per reason', dict(stats.by_reason), 'chart-reason', True)}"
        f"{_bar_chart('Removals per rule', dict(stats.by_rule), 'chart-rule', False)}"
        f"{_histogram(stats)}</div>"
        f"{errors}"
        f'<h2>Documents</h2><div class="legend">{legend}</div>'
        '<div class="toolbar"><input id="filter" type="search" placeholder="filter by text or id">'
        '<label><input id="only-changed" type="checkbox"> only changed</label>'
        '<span id="shown" class="sub"></span></div>'
        f'<section id="docs">{docs_html}</section>'
        f"<details><summary>Configuration</summary><pre>{config_json}</pre></details>"
        f'</main><div id="tip" role="tooltip"></div><script>{_JS}</script></body></html>\n'
    )


def write_report(
    path: str,
    documents: Sequence[ReportDocument],
    stats: BatchStats,
    config: CleanerConfig,
    *,
    title: str = "cleaner report",
) -> None:
    """Write the page to ``path`` (atomically: a temporary file renamed into place)."""
    page = render_report(documents, stats, config, title=title)
    out = AtomicFile(path)
    try:
        out.file.write(page.encode("utf-8", "surrogatepass"))
        out.commit()
    except BaseException:
        out.discard()
        raise
