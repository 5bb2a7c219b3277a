"""Gold vs output: precision, recall and F1 per kind or field, with the misses and false positives.

Mentions: a gold line hits an output mention of the same article and kind whose span overlaps and whose
value equals the gold's on every key the gold gives. Gold has no offsets, so with the article's text the
n-th gold line of a text is placed on the n-th occurrence of that text and the spans must overlap;
without the text, the texts must overlap (one contains the other, as whole words). Only the gold's
articles are scored, and only the kinds and entity types the gold has, so a gold that labels regulators
does not count every PERSON as a false positive.

Proposals: a gold line hits a proposal for its country and field, citing its article, whose new value
contains every listed string, case- and number-format-insensitively ("10 billion" = "10,000,000,000").
A proposal counts once per gold article it cites; `absent` lines mark the distractors.

Pairing is one-to-one: each gold line takes its best free output in gold order (so repeated texts pair
in order), then augmenting paths give the largest matching.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from extract.errors import InputError
from extract.jsonl import iter_lines, read_models
from extract.models import (
    Article,
    Contract,
    EntityValue,
    GoldScalar,
    Mention,
    MentionGold,
    Proposal,
    ProposalGold,
    Span,
)
from extract.normalize.numbers import NUMBER_PATTERN, SCALE_PATTERN, parse_decimal, scale_factor

# --- the report -------------------------------------------------------------------------------


class Score(Contract):
    """Counts and rates for one group (a kind, `entity:TYPE`, a field) or for all of them."""

    group: str
    gold: int = Field(description="Gold lines expected (absent lines excluded).")
    output: int = Field(description="Output items in scope: mentions, or (proposal, gold article) pairs.")
    hits: int = Field(description="Gold lines paired with an output item.")
    precision: float | None = Field(description="hits / output; null when there is no output.")
    recall: float | None = Field(description="hits / gold; null when there is no gold.")
    f1: float | None


class Finding(Contract):
    """One miss or false positive, as listed under the table."""

    article: str
    group: str
    country: str | None = None
    text: str = Field(description="Gold or output text; for proposals the expected strings or the new value.")
    value: str | None = Field(description="Mention value as JSON, or the proposal op.")
    note: str | None = Field(None, description="Where it is, what came closest, which rule produced it.")


class Report(Contract):
    """The result of one evaluation."""

    kind: Literal["mentions", "proposals"]
    groups: list[Score]
    overall: Score
    misses: list[Finding]
    false_positives: list[Finding]
    unscored: int = Field(description="Output items outside the gold's scope (articles, kinds, types).")
    matched_by_text: list[str] = Field(
        default_factory=list, description="Gold articles whose text was not given: matched by text overlap."
    )


def _score(group: str, gold: int, output: int, hits: int) -> Score:
    precision = hits / output if output else None
    recall = hits / gold if gold else None
    f1 = 2 * hits / (gold + output) if gold + output else None  # = 2PR / (P + R), defined whenever either is
    return Score(group=group, gold=gold, output=output, hits=hits, precision=precision, recall=recall, f1=f1)


def _scores(gold: Counter[str], output: Counter[str], hits: Counter[str]) -> tuple[list[Score], Score]:
    groups = sorted(set(gold) | set(output))
    per_group = [_score(group, gold[group], output[group], hits[group]) for group in groups]
    overall = _score("all", gold.total(), output.total(), hits.total())
    return per_group, overall


def _match(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """Largest one-to-one pairing gold → output; `candidates[g]` lists gold g's outputs, best first."""
    owner: dict[int, int] = {}
    for gold, outputs in enumerate(candidates):
        free = next((output for output in outputs if output not in owner), None)
        if free is not None:
            owner[free] = gold
    paired = set(owner.values())

    def augment(gold: int, seen: set[int]) -> bool:
        for output in candidates[gold]:
            if output not in seen:
                seen.add(output)
                if output not in owner or augment(owner[output], seen):
                    owner[output] = gold
                    return True
        return False

    for gold in range(len(candidates)):
        if gold not in paired:
            augment(gold, set())
    return {gold: output for output, gold in owner.items()}


def _collapse(text: str) -> str:
    return " ".join(text.casefold().split())


# --- mentions ---------------------------------------------------------------------------------


def evaluate_mentions(
    gold: Sequence[MentionGold], output: Sequence[Mention], *, articles: Mapping[str, str] | None = None
) -> Report:
    """Score mentions against gold; `articles` (id → text) places gold spans exactly where given."""
    articles = articles or {}
    scope = {_gold_group(line) for line in gold}
    gold_articles = {line.article for line in gold}
    gold_by_bucket: dict[tuple[str, str], list[tuple[MentionGold, Span | None]]] = defaultdict(list)
    for line, span in zip(gold, _locate(gold, articles), strict=True):
        gold_by_bucket[(line.article, line.kind)].append((line, span))
    output_by_bucket: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in output:
        if mention.article in gold_articles:
            output_by_bucket[(mention.article, mention.kind)].append(mention)
    scored = [mention for mentions in output_by_bucket.values() for mention in mentions
              if _output_group(mention) in scope]

    hits: Counter[str] = Counter()
    misses: list[Finding] = []
    false_positives: list[Finding] = []
    for bucket in sorted(set(gold_by_bucket) | set(output_by_bucket)):
        lines = gold_by_bucket.get(bucket, [])
        mentions = sorted(output_by_bucket.get(bucket, []), key=lambda mention: (mention.start, mention.end))
        overlapping = [[j for j, mention in enumerate(mentions) if _overlaps(line, span, mention)]
                       for line, span in lines]
        pairs = _match([_candidates(line, span, mentions, near)
                        for (line, span), near in zip(lines, overlapping, strict=True)])
        taken = set(pairs.values())
        for position, (line, span) in enumerate(lines):
            if position in pairs:
                hits[_gold_group(line)] += 1
            else:
                near = [mentions[j] for j in overlapping[position] if j not in taken]
                misses.append(_mention_miss(line, span, near))
        false_positives.extend(_mention_false_positive(mention) for j, mention in enumerate(mentions)
                               if j not in taken and _output_group(mention) in scope)

    groups, overall = _scores(Counter(_gold_group(line) for line in gold),
                              Counter(_output_group(mention) for mention in scored), hits)
    return Report(kind="mentions", groups=groups, overall=overall, misses=misses,
                  false_positives=false_positives, unscored=len(output) - len(scored),
                  matched_by_text=sorted(gold_articles - set(articles)))


def _candidates(
    line: MentionGold, span: Span | None, mentions: Sequence[Mention], near: list[int]
) -> list[int]:
    """The overlapping mentions with the gold value, exact span (or text) first, then in text order."""
    same = [j for j in near if _same_value(line.value, mentions[j].value)]
    exact = [j for j in same if _exact(line, span, mentions[j])]
    return exact + [j for j in same if j not in exact]


def _gold_group(line: MentionGold) -> str:
    return f"entity:{line.value['type']}" if line.kind == "entity" else line.kind


def _output_group(mention: Mention) -> str:
    return f"entity:{mention.value.type}" if isinstance(mention.value, EntityValue) else mention.kind


def _locate(gold: Sequence[MentionGold], articles: Mapping[str, str]) -> list[Span | None]:
    """Each gold line's span: the n-th line of a text in an article is the text's n-th occurrence."""
    occurrences: dict[tuple[str, str], list[Span]] = {}
    seen: Counter[tuple[str, str]] = Counter()
    spans: list[Span | None] = []
    for line in gold:
        text = articles.get(line.article)
        if text is None:
            spans.append(None)
            continue
        key = (line.article, _collapse(line.text))
        if key not in occurrences:
            occurrences[key] = _occurrences(text, line.text)
        if seen[key] >= len(occurrences[key]):
            raise InputError(
                f'the gold lists "{line.text}" more often than the article has it '
                f"({len(occurrences[key])} times)", where=f"gold for {line.article}",
                fix="correct the gold text: the n-th gold line of a text stands for its n-th occurrence",
            )
        spans.append(occurrences[key][seen[key]])
        seen[key] += 1
    return spans


def _occurrences(text: str, needle: str) -> list[Span]:
    """Where `needle` occurs in `text`: case- and whitespace-insensitive, whole words at its edges
    ("NBK" is not inside "NBKR")."""
    pattern = r"\s+".join(re.escape(word) for word in needle.split())
    if re.match(r"\w", needle.strip()):
        pattern = r"(?<!\w)" + pattern
    if re.search(r"\w$", needle.strip()):
        pattern += r"(?!\w)"
    return [match.span() for match in re.finditer(pattern, text, re.IGNORECASE)]


def _overlaps(line: MentionGold, span: Span | None, mention: Mention) -> bool:
    if span is not None:
        return mention.start < span[1] and span[0] < mention.end
    return bool(_occurrences(mention.text, line.text) or _occurrences(line.text, mention.text))


def _exact(line: MentionGold, span: Span | None, mention: Mention) -> bool:
    if span is not None:
        return (mention.start, mention.end) == span
    return _collapse(line.text) == _collapse(mention.text)


def _same_value(expected: Mapping[str, GoldScalar], value: BaseModel) -> bool:
    actual = value.model_dump()
    return all(_same_scalar(item, actual.get(key)) for key, item in expected.items())


def _same_scalar(expected: GoldScalar, actual: object) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, str) or isinstance(actual, str):
        both = isinstance(expected, str) and isinstance(actual, str)
        return both and _collapse(str(expected)) == _collapse(str(actual))
    return isinstance(actual, int | float) and math.isclose(expected, actual, rel_tol=1e-9)


def _value_json(value: Mapping[str, GoldScalar] | BaseModel) -> str:
    data = value.model_dump(exclude_none=True) if isinstance(value, BaseModel) else dict(value)
    return json.dumps(data, ensure_ascii=False)


def _mention_miss(line: MentionGold, span: Span | None, near: Sequence[Mention]) -> Finding:
    notes = [f"at {span[0]}-{span[1]}"] if span is not None else []
    if near:
        notes.append(f'output has "{near[0].text}" {_value_json(near[0].value)}')
    return Finding(article=line.article, group=_gold_group(line), text=line.text,
                   value=_value_json(line.value), note="; ".join(notes) or None)


def _mention_false_positive(mention: Mention) -> Finding:
    return Finding(article=mention.article, group=_output_group(mention), text=mention.text,
                   value=_value_json(mention.value),
                   note=f"{mention.source} at {mention.start}-{mention.end}")


# --- proposals --------------------------------------------------------------------------------


def evaluate_proposals(gold: Sequence[ProposalGold], output: Sequence[Proposal]) -> Report:
    """Score proposals against gold; a proposal counts once per gold article its evidence cites."""
    _check_gold_consistent(gold)
    gold_articles = {line.article for line in gold}
    cited = [sorted({item.article for item in proposal.evidence} & gold_articles) for proposal in output]
    claims = [(proposal, article)
              for proposal, articles in zip(output, cited, strict=True) for article in articles]
    unscored = sum(1 for articles in cited if not articles)
    expected = [line for line in gold if not line.absent and not line.optional]
    distractors = {_proposal_key(line.article, line.country, line.field) for line in gold if line.absent}
    acceptable = {_proposal_key(line.article, line.country, line.field) for line in gold if line.optional}

    candidates = [[j for j, claim in enumerate(claims) if _satisfies(line, *claim)] for line in expected]
    pairs = _match(candidates)
    taken = set(pairs.values())
    # what an optional line allows is neither a hit nor a false positive: it is not scored
    excused = {
        j for j, (proposal, article) in enumerate(claims)
        if j not in taken and _proposal_key(article, proposal.country, proposal.field) in acceptable
    }
    claims_scored = [claim for j, claim in enumerate(claims) if j not in excused]

    gold_count = Counter(line.field for line in expected)
    gold_count.update({line.field: 0 for line in gold})  # absent- and optional-only fields get a row too
    output_count = Counter(proposal.field for proposal, _ in claims_scored)
    hit_count = Counter(expected[index].field for index in pairs)

    misses = []
    for index, line in enumerate(expected):
        if index in pairs:
            continue
        near = next((proposal for j, (proposal, article) in enumerate(claims) if j not in taken
                     and _proposal_key(article, proposal.country, proposal.field)
                     == _proposal_key(line.article, line.country, line.field)), None)
        misses.append(Finding(
            article=line.article, group=line.field, country=line.country,
            text="; ".join(line.value_contains) or "(any value)", value=line.op,
            note=f'{near.id} has {near.op} "{near.new_value}"' if near else None,
        ))
    false_positives = []
    for j, (proposal, article) in enumerate(claims):
        if j in taken or j in excused:
            continue
        note = f"{proposal.id} ({proposal.extractor})"
        if _proposal_key(article, proposal.country, proposal.field) in distractors:
            note += "; the gold marks this field absent"
        false_positives.append(Finding(article=article, group=proposal.field, country=proposal.country,
                                       text=proposal.new_value, value=proposal.op, note=note))

    groups, overall = _scores(gold_count, output_count, hit_count)
    return Report(kind="proposals", groups=groups, overall=overall,
                  misses=sorted(misses, key=lambda f: (f.article, f.group)),
                  false_positives=sorted(false_positives, key=lambda f: (f.article, f.group)),
                  unscored=unscored)


def _proposal_key(article: str, country: str, field: str) -> tuple[str, str, str]:
    return article, country.upper(), field


def _check_gold_consistent(gold: Sequence[ProposalGold]) -> None:
    expected = {_proposal_key(line.article, line.country, line.field) for line in gold if not line.absent}
    for line in gold:
        if line.absent and _proposal_key(line.article, line.country, line.field) in expected:
            raise InputError(f"{line.country} {line.field} is both expected and absent",
                             where=f"gold for {line.article}", fix="keep one of the two lines")


def _satisfies(line: ProposalGold, proposal: Proposal, article: str) -> bool:
    if _proposal_key(article, proposal.country, proposal.field) != _proposal_key(
            line.article, line.country, line.field):
        return False
    if line.op is not None and proposal.op != line.op:
        return False
    value = normalise_numbers(proposal.new_value)
    return all(_contains_text(value, normalise_numbers(needle)) for needle in line.value_contains)


# A written number with its scale ("10,000,000", "10 000 000", "10 billion", "$5m", "ten"), whole.
_NUMBER_IN_TEXT = re.compile(rf"(?<![\w.,])({NUMBER_PATTERN})({SCALE_PATTERN})?")


def normalise_numbers(text: str) -> str:
    """Lower case, whitespace collapsed, every number written as plain digits with its scale applied.

    "KGS 10 billion" → "kgs 10000000000"; "$5,000.50" → "$5000.5"; "1.5m" → "1500000".
    """
    return _NUMBER_IN_TEXT.sub(_plain_number, _collapse(text))


def _plain_number(match: re.Match[str]) -> str:
    value = parse_decimal(match[1])
    factor = scale_factor(match[2]) if match[2] else 1
    if value is None or factor is None:
        return match[0]
    plain = format(value * factor, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def _contains_text(haystack: str, needle: str) -> bool:
    # A number must match whole: "5000" is not inside "15000" nor "5000.5".
    pattern = re.escape(needle)
    if needle[:1].isdigit():
        pattern = r"(?<![\d.])" + pattern
    if needle[-1:].isdigit():
        pattern += r"(?!\.?\d)"
    return re.search(pattern, haystack) is not None


# --- files and the table ----------------------------------------------------------------------


def evaluate_files(gold_path: Path, output_path: Path, *, articles_dir: Path | None = None) -> Report:
    """Read a gold file (its kind from the first line) and an output file, and score them."""
    first = next(iter_lines(gold_path), None)
    if first is None:
        raise InputError("the gold file is empty", where=str(gold_path),
                         fix="add gold lines (see contract.md, Gold files for evaluation)")
    try:
        head = json.loads(first[1])
    except json.JSONDecodeError:
        head = None
    if isinstance(head, dict) and "field" in head:
        return evaluate_proposals(read_models(gold_path, ProposalGold), read_models(output_path, Proposal))
    gold = read_models(gold_path, MentionGold)
    output = read_models(output_path, Mention)
    texts = read_article_texts(articles_dir, {line.article for line in gold}) if articles_dir else {}
    return evaluate_mentions(gold, output, articles=texts)


def read_article_texts(directory: Path, ids: set[str]) -> dict[str, str]:
    """Id → text of the articles in `directory` that `ids` names (read as `extract run` reads them)."""
    from extract.ingest import iter_articles

    return {item.id: item.text for item in iter_articles([directory])
            if isinstance(item, Article) and item.id in ids}


def render_report(report: Report) -> str:
    """The report as a plain-text table followed by the misses and false positives."""
    header = ("kind" if report.kind == "mentions" else "field", "gold", "output", "hits",
              "precision", "recall", "F1")
    rows = [header] + [
        (score.group, str(score.gold), str(score.output), str(score.hits),
         _rate(score.precision), _rate(score.recall), _rate(score.f1))
        for score in [*report.groups, report.overall]
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[0]) if column == 0 else cell.rjust(widths[column])
                       for column, cell in enumerate(row)).rstrip() for row in rows]
    if report.unscored:
        lines.append(f"({report.unscored} output item(s) outside the gold's articles, kinds or types: "
                     "not scored)")
    if report.matched_by_text:
        lines.append(f"(matched by text, article text not found: {', '.join(report.matched_by_text)})")
    for title, findings in (("misses", report.misses), ("false positives", report.false_positives)):
        lines.append("")
        lines.append(f"{title} ({len(findings)})" + (":" if findings else ""))
        lines.extend(_finding_line(finding) for finding in findings)
    return "\n".join(lines) + "\n"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _finding_line(finding: Finding) -> str:
    parts = [finding.article, f"{finding.country} {finding.group}" if finding.country else finding.group,
             json.dumps(finding.text, ensure_ascii=False)]
    if finding.value:
        parts.append(finding.value)
    line = "  " + "  ".join(parts)
    return f"{line}  — {finding.note}" if finding.note else line
