"""`extract status --html`: one self-contained page — countries × sections coloured by freshness.

Each cell takes the colour of its worst field and links to its section's fields further down the
page, each field with its value, freshness and history (merges from the ledger, decisions from the
decision log). No script, no external file: the page opens from disk, mails, and archives as is.
Every text is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from html import escape

from extract.fieldpath import section_rank, section_spec, split_path
from extract.health import (
    FRESHNESS_ORDER,
    Contradiction,
    FieldHealth,
    HistoryEvent,
    Side,
    StatusReport,
    field_history,
)
from extract.models import Decision, LedgerEntry, Proposal

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; } h2 { margin-top: 2rem; font-size: 1.15rem; }
.meta { color: #555; }
table { border-collapse: collapse; }
.grid th, .grid td { border: 1px solid #fff; padding: 0; text-align: center; }
.grid th { background: #f3f3f3; padding: .3rem .5rem; font-weight: 600; }
.grid th.country { text-align: left; }
.grid td a { display: block; padding: .35rem .5rem; color: inherit; text-decoration: none;
  min-width: 4.2rem; }
.grid td a:hover { outline: 2px solid #333; }
.fresh { background: #bfe3c0; } .stale { background: #f7dc8f; } .expired { background: #f2a097; }
.unknown { background: #dcdcdc; } .none { background: #fafafa; }
.legend span { display: inline-block; padding: .1rem .5rem; margin-right: .3rem; border-radius: 3px; }
.fields td, .fields th { border-bottom: 1px solid #ddd; padding: .3rem .5rem; vertical-align: top;
  text-align: left; }
.fields td.state { font-weight: 600; }
.history { margin: .2rem 0 0 1rem; padding: 0; } .history li { margin: .15rem 0; }
q { color: #333; } .pending { color: #8a4b00; }
.sides { display: flex; gap: 1rem; flex-wrap: wrap; }
.side { flex: 1 1 18rem; border: 1px solid #ccc; border-radius: 6px; padding: .5rem .75rem; }
.side.suggested { border: 2px solid #2b7a2b; }
section.cell { border-top: 1px solid #ccc; margin-top: 1rem; }
section.cell:target { background: #fffbe6; }
"""


def render_status_page(
    report: StatusReport,
    ledger: Iterable[LedgerEntry],
    decisions: Iterable[Decision],
    proposals: Sequence[Proposal],
) -> str:
    """The page for `report`; `ledger`, `decisions` and `proposals` give each field's history."""
    cells: dict[tuple[str, str], list[FieldHealth]] = defaultdict(list)
    for row in report.fields:
        cells[(row.country, section_of(row.field))].append(row)
    countries = sorted({country for country, _ in cells})
    sections = sorted({section for _, section in cells}, key=_section_order)
    histories = _histories(report.fields, ledger, decisions, proposals)
    counts = {name: sum(f.freshness == name for f in report.fields) for name in FRESHNESS_ORDER}
    parts = [
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>Record health on {escape(report.as_of)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        f"<h1>Record health on {escape(report.as_of)}</h1>\n",
        f'<p class="meta">{len(report.fields)} fields of {len(countries)} records; stale after '
        f"{report.window_months} months without a source. ",
        '<span class="legend">'
        + "".join(f'<span class="{name}">{name} {counts[name]}</span>' for name in reversed(FRESHNESS_ORDER))
        + "</span></p>\n",
        _grid(countries, sections, cells),
        _contradictions(report.contradictions),
        _upcoming(report),
        '<h2 id="history">Fields and their history</h2>\n',
    ]
    for country in countries:
        for section in sections:
            rows = cells.get((country, section))
            if rows:
                parts.append(_cell_section(country, section, rows, histories))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def section_of(path: str) -> str:
    section, name = split_path(path)
    return section or name


def anchor(country: str, section: str) -> str:
    return f"h-{country}-{section}"


def worst(rows: Iterable[FieldHealth]) -> str:
    states = {row.freshness for row in rows}
    return next(name for name in FRESHNESS_ORDER if name in states)


def _section_order(section: str) -> tuple[int, str]:
    rank = -1 if section == "summary" else section_rank(section)  # the summary opens a record
    return (rank if rank is not None else 10_000, section)


def _title(section: str) -> str:
    return section_spec(section).title if section != "summary" else "Summary"


def _grid(countries: list[str], sections: list[str], cells: dict[tuple[str, str], list[FieldHealth]]) -> str:
    head = "".join(f'<th scope="col">{escape(_title(s))}</th>' for s in sections)
    rows = []
    for country in countries:
        tds = []
        for section in sections:
            found = cells.get((country, section))
            if not found:
                tds.append('<td class="none"></td>')
                continue
            state = worst(found)
            pending = sum(len(row.pending) for row in found)
            label = f"{len(found)}" + (f" · {pending}✎" if pending else "")
            tip = f"{country} {_title(section)}: {state}; {len(found)} fields, {pending} pending proposals"
            tds.append(
                f'<td class="{state}"><a href="#{anchor(country, section)}" title="{escape(tip)}">'
                f"{escape(label)}</a></td>"
            )
        rows.append(f'<tr><th class="country" scope="row">{escape(country)}</th>{"".join(tds)}</tr>')
    return (
        f'<table class="grid" aria-label="Freshness by country and section"><thead><tr><th></th>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>\n"
        '<p class="meta">Each cell: its fields, · pending proposals ✎; colour of its stalest field. '
        "Click a cell for its fields' history.</p>\n"
    )


def _contradictions(items: Sequence[Contradiction]) -> str:
    if not items:
        return '<h2 id="contradictions">Contradictions</h2>\n<p>None.</p>\n'
    blocks = []
    for item in items:
        sides = "".join(_side(side, index == 0) for index, side in enumerate(item.sides))
        link = anchor(item.country, section_of(item.field))
        blocks.append(
            f'<div class="contradiction"><h3><a href="#{link}">{escape(item.country)} '
            f"{escape(item.field)}</a></h3><p>Suggested: <strong>"
            f"{escape(item.sides[0].proposal or 'the record value')}</strong> — {escape(item.reason)}"
            f'</p><div class="sides">{sides}</div></div>'
        )
    return f'<h2 id="contradictions">Contradictions ({len(items)})</h2>\n' + "\n".join(blocks) + "\n"


def _side(side: Side, suggested: bool) -> str:
    facts = [side.stage or "stage unknown", f"published {side.published or 'undated'}"]
    if side.effective:
        facts.append(f"effective {side.effective}")
    facts.append(f"{side.outlets} outlet{'s' * (side.outlets != 1)}")
    evidence = "".join(
        f'<li><q>{escape(e.quote)}</q> <span class="meta">{escape(e.url or e.article)} · '
        f"{escape(e.published or 'date unknown')}</span></li>"
        for e in side.evidence[:3]
    )
    return (
        f'<div class="side{" suggested" if suggested else ""}"><p><strong>{escape(side.value)}</strong></p>'
        f'<p class="meta">{escape(side.proposal or "record")} · {escape(" · ".join(facts))}</p>'
        f"<ul>{evidence}</ul></div>"
    )


def _upcoming(report: StatusReport) -> str:
    if not report.upcoming:
        return '<h2 id="upcoming">Upcoming changes</h2>\n<p>None.</p>\n'
    rows = "".join(
        f'<tr><td>{escape(u.date)}</td><td><a href="#{anchor(u.country, section_of(u.field))}">'
        f"{escape(u.country)} {escape(u.field)}</a></td><td>{escape(u.status)}</td>"
        f"<td>{escape(u.value)}</td></tr>"
        for u in report.upcoming
    )
    return (
        f'<h2 id="upcoming">Upcoming changes ({len(report.upcoming)})</h2>\n<table class="fields">'
        f"<tr><th>from</th><th>field</th><th>status</th><th>value</th></tr>{rows}</table>\n"
    )


def _cell_section(
    country: str, section: str, rows: list[FieldHealth], histories: dict[tuple[str, str], list[HistoryEvent]]
) -> str:
    body = []
    for row in rows:
        events = histories.get((row.record, row.field), [])
        history = (
            "".join(f"<li>{_event(event)}</li>" for event in events)
            or "<li>no change or confirmation on record since the ledger began</li>"
        )
        pending = (
            f'<div class="pending">{len(row.pending)} pending: {escape(", ".join(row.pending))}</div>'
            if row.pending
            else ""
        )
        body.append(
            f'<tr id="f-{escape(country)}-{escape(row.field)}"><td><code>{escape(row.field)}</code></td>'
            f"<td>{escape(row.value if row.value is not None else '(not in the record)')}{pending}"
            f'<ul class="history">{history}</ul></td>'
            f'<td class="state {row.freshness}">{row.freshness}</td><td>{escape(row.confirmed or "-")}</td>'
            f"<td>{row.outlets}</td><td>{escape(row.reason)}</td></tr>"
        )
    return (
        f'<section class="cell" id="{anchor(country, section)}"><h3>{escape(country)} · '
        f'{escape(_title(section))}</h3><table class="fields"><tr><th>field</th><th>value and history</th>'
        f"<th>state</th><th>confirmed</th><th>outlets</th><th>why</th></tr>{''.join(body)}</table>"
        '<p><a href="#">back to the grid</a></p></section>\n'
    )


def _event(event: HistoryEvent) -> str:
    what = event.action or (f"merged {event.op}" if event.kind == "merged" else event.kind)
    by = f" by {event.who}" if event.who else ""
    source = ""
    if event.kind == "merged" and event.evidence:
        item = event.evidence[0]
        source = (
            f' — <q>{escape(item.quote)}</q> <span class="meta">{escape(item.url or item.article)}</span>'
        )
    note = f" <em>({escape(event.note)})</em>" if event.note else ""
    return (
        f'<span class="meta">{escape(event.when[:10])}</span> {escape(what)}{escape(by)}: '
        f"{escape(event.value or '')}{note}{source}"
    )


def _histories(
    rows: Sequence[FieldHealth],
    ledger: Iterable[LedgerEntry],
    decisions: Iterable[Decision],
    proposals: Sequence[Proposal],
) -> dict[tuple[str, str], list[HistoryEvent]]:
    """Each field's history, grouped once (the ledger may hold many thousand entries)."""
    merged: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
    for entry in ledger:
        merged[(entry.record, entry.field)].append(entry)
    by_proposal: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_proposal[decision.proposal].append(decision)
    proposed: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        proposed[(proposal.record, proposal.field)].append(proposal)
    histories = {}
    for row in rows:
        key = (row.record, row.field)
        entries, mine = merged.get(key, []), proposed.get(key, [])
        ids = {p.id for p in mine} | {e.proposal for e in entries}
        logged = [d for i in sorted(ids) for d in by_proposal.get(i, [])]
        histories[key] = field_history(row.record, row.field, entries, logged, mine)
    return histories
