"""extract.evaluate and `extract evaluate`: pairing, scoping, value rules, the table and the errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.evaluate import Report, evaluate_mentions, evaluate_proposals, normalise_numbers
from extract.models import Evidence, Mention, MentionGold, Proposal, ProposalGold

ARTICLE = "ng-exchange-rules.txt"
TEXT = (
    "The Central Bank of Nigeria (CBN) said on 3 March 2025 that exchanges must hold ₦500 million in "
    "capital. The CBN will review the rule in 2026. SEC Nigeria expects a second review in 2026, "
    "chairman Emomotimi Agama said."
)


def mention(text: str, kind: str, value: dict[str, Any], *, start: int | None = None,
            article: str = ARTICLE) -> Mention:
    """A mention of `text`, by default at its first occurrence in TEXT."""
    if start is None:
        start = TEXT.index(text) if text in TEXT else 0
    end = start + len(text)
    return Mention(article=article, kind=kind, label=kind.upper(), start=start, end=end, text=text,
                   sentence=(start, end), value=value, countries=["NG"], source="rule:test")


def gold(text: str, kind: str, value: dict[str, Any], *, article: str = ARTICLE) -> MentionGold:
    return MentionGold(article=article, kind=kind, text=text, value=value)


def score(report: Report, group: str) -> tuple[int, int, int]:
    found = next(s for s in [*report.groups, report.overall] if s.group == group)
    return found.gold, found.output, found.hits


CBN = {"name": "Central Bank of Nigeria", "type": "regulator"}
NAIRA_500M = {"amount": 500_000_000, "currency": "NGN"}


# --- mentions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("articles", [None, {ARTICLE: TEXT}], ids=["by-text", "by-span"])
def test_hits_misses_and_false_positives(articles: dict[str, str] | None) -> None:
    report = evaluate_mentions(
        [gold("₦500 million", "money", NAIRA_500M), gold("3 March 2025", "date", {"iso": "2025-03-03"})],
        [mention("₦500 million", "money", {"amount": 5e8, "currency": "NGN"}),
         mention("capital", "money", {"amount": None, "currency": None})],
        articles=articles,
    )
    assert score(report, "money") == (1, 2, 1)
    assert score(report, "date") == (1, 0, 0)
    assert score(report, "all") == (2, 2, 1)
    assert report.overall.precision == report.overall.recall == report.overall.f1 == 0.5
    assert [(f.group, f.text) for f in report.misses] == [("date", "3 March 2025")]
    assert [(f.group, f.text) for f in report.false_positives] == [("money", "capital")]
    assert report.matched_by_text == ([] if articles else [ARTICLE])


def test_value_mismatch_is_a_miss_and_a_false_positive_with_the_output_shown() -> None:
    report = evaluate_mentions([gold("₦500 million", "money", NAIRA_500M)],
                               [mention("₦500 million", "money", {"amount": 500_000, "currency": "NGN"})])
    assert score(report, "money") == (1, 1, 0)
    assert report.misses[0].note is not None and '"amount": 500000' in report.misses[0].note
    assert report.false_positives[0].text == "₦500 million"


@pytest.mark.parametrize(("expected", "actual", "same"), [
    ({"amount": 10_000_000_000}, {"amount": 1e10}, True),                 # int vs float
    ({"amount": 10_000_000_000}, {"amount": 10_000_100_000}, False),      # beyond 1e-9 relative
    ({"amount": 0.1 + 0.2}, {"amount": 0.3}, True),
    ({"amount": 5, "currency": "usd"}, {"amount": 5, "currency": "USD"}, True),
    ({"amount": 5, "currency": None}, {"amount": 5, "currency": None}, True),
    ({"amount": 5, "currency": None}, {"amount": 5, "currency": "USD"}, False),
    ({"amount": None, "min": 5, "max": 10}, {"amount": None, "min": 5, "max": 10}, True),
    ({"amount": None, "min": 5}, {"amount": 5}, False),
    ({}, {"amount": 7, "currency": "EUR"}, True),                         # nothing asked, nothing checked
], ids=repr)
def test_value_rules_for_money(expected: dict[str, Any], actual: dict[str, Any], same: bool) -> None:
    actual = {"currency": None, **actual}
    report = evaluate_mentions([gold("₦500 million", "money", expected)],
                               [mention("₦500 million", "money", actual)])
    assert report.overall.hits == int(same)


def test_strings_compare_case_and_whitespace_insensitively() -> None:
    report = evaluate_mentions(
        [gold("CBN", "entity", {"name": "central  bank of\nNIGERIA", "type": "regulator"})],
        [mention("CBN", "entity", CBN)],
    )
    assert report.overall.hits == 1


@pytest.mark.parametrize(("gold_text", "output_text", "overlap"), [
    ("₦500 million", "₦500 million", True),
    ("₦500 million", "₦500 million in capital", True),   # output longer
    ("hold ₦500 million", "₦500 million", True),         # output shorter
    ("₦500  MILLION", "₦500 million", True),             # case, whitespace
    ("CBN", "CBN Act", True),
    ("CBN", "CBNX", False),                               # not as a whole word
    ("500 million", "₦500", False),                       # neither contains the other
], ids=repr)
def test_overlap_by_text(gold_text: str, output_text: str, overlap: bool) -> None:
    report = evaluate_mentions([gold(gold_text, "money", {})], [mention(output_text, "money", NAIRA_500M)])
    assert report.overall.hits == int(overlap)


@pytest.mark.parametrize(("output_start", "output_text", "overlap"), [
    (TEXT.index("₦500"), "₦500", True),                       # a part of the gold span
    (TEXT.index("hold"), "hold ₦500", True),                  # sticks out on the left
    (TEXT.index("million") + 4, "ion in capital", True),      # partial overlap, texts not nested
    (TEXT.index("in capital"), "in capital", False),          # adjacent, not overlapping
    (0, "₦500 million", False),                               # same text, elsewhere: spans rule
], ids=repr)
def test_overlap_by_span(output_start: int, output_text: str, overlap: bool) -> None:
    report = evaluate_mentions([gold("₦500 million", "money", {})],
                               [mention(output_text, "money", NAIRA_500M, start=output_start)],
                               articles={ARTICLE: TEXT})
    assert report.overall.hits == int(overlap)


def test_repeated_texts_pair_one_to_one_in_order() -> None:
    second = TEXT.index("2026", TEXT.index("2026") + 1)
    outputs = [mention("2026", "date", {"iso": "2026", "granularity": "year"}),
               mention("2026", "date", {"iso": "2026", "granularity": "year"}, start=second)]
    one = evaluate_mentions([gold("2026", "date", {"iso": "2026"})], outputs)
    assert score(one, "date") == (1, 2, 1)
    assert len(one.false_positives) == 1

    # With the text, gold line n of "2026" is occurrence n: here the second one has a different value.
    golds = [gold("2026", "date", {"iso": "2026"}), gold("2026", "date", {"iso": "2026-Q4"})]
    by_span = evaluate_mentions(golds, outputs, articles={ARTICLE: TEXT})
    assert score(by_span, "date") == (2, 2, 1)
    assert by_span.misses[0].note is not None and by_span.misses[0].note.startswith(f"at {second}-")
    assert by_span.false_positives[0].note == f"rule:test at {second}-{second + 4}"


def test_the_best_pairing_wins_over_the_first_come() -> None:
    # The first gold line could take either mention; the second only the first mention.
    golds = [gold("CBN", "entity", {"type": "regulator"}),
             gold("CBN", "entity", {"type": "regulator", "name": "Central Bank of Nigeria"})]
    outputs = [mention("CBN", "entity", CBN),
               mention("CBN", "entity", {"name": "CBN", "type": "regulator"}, start=TEXT.index("CBN will"))]
    assert evaluate_mentions(golds, outputs).overall.hits == 2


def test_only_gold_articles_and_entity_types_are_scored() -> None:
    report = evaluate_mentions(
        [gold("CBN", "entity", CBN)],
        [mention("CBN", "entity", CBN),
         mention("Emomotimi Agama", "entity", {"name": "Emomotimi Agama", "type": "person"}),
         mention("Nigeria", "entity", {"name": "Nigeria", "type": "country"}),
         mention("3 March 2025", "date", {"iso": "2025-03-03", "granularity": "day"}),
         mention("CBN", "entity", CBN, article="other.txt")],
    )
    assert [s.group for s in report.groups] == ["entity:regulator"]
    assert score(report, "all") == (1, 1, 1)
    assert report.unscored == 4
    assert report.false_positives == []


def test_a_gold_text_missing_from_the_article_is_an_error() -> None:
    from extract.errors import InputError

    with pytest.raises(InputError, match=r'lists "2026" more often than the article has it \(2 times\)'):
        evaluate_mentions([gold("2026", "date", {}) for _ in range(3)], [], articles={ARTICLE: TEXT})


@pytest.mark.parametrize(("line", "message"), [
    ({"kind": "entity", "text": "CBN", "value": {"name": "CBN"}}, "needs its type"),
    ({"kind": "money", "text": "$5", "value": {"ammount": 5}}, "no key 'ammount'"),
    ({"kind": "entity", "text": "CBN", "value": {"type": "regulater"}}, "value.type"),
    ({"kind": "date", "text": "", "value": {}}, "at least 1 character"),
], ids=repr)
def test_gold_lines_are_checked(line: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MentionGold.model_validate({"article": ARTICLE, **line})


# --- proposals --------------------------------------------------------------------------------


def proposal(field: str, new_value: str, *, country: str = "NG", op: str = "set",
             articles: tuple[str, ...] = (ARTICLE,)) -> Proposal:
    evidence = [Evidence(article=article, start=0, end=5, quote="quote", highlight=(0, 5))
                for article in articles]
    return Proposal(id=f"p-{field}-{op}", country=country,
                    record="country--nigeria.md", field=field, op=op, old_value=None, new_value=new_value,
                    evidence=evidence, extractor="rule:test", confidence=0.9)


def expect(field: str, *contains: str, country: str = "NG", op: str | None = None,
           article: str = ARTICLE) -> ProposalGold:
    return ProposalGold(article=article, country=country, field=field, op=op, value_contains=list(contains))


@pytest.mark.parametrize(("needle", "value", "hit"), [
    ("10,000,000,000", "KGS 10000000000", True),
    ("10000000000", "KGS 10 000 000 000", True),
    ("10 billion", "minimum capital KGS 10,000,000,000", True),
    ("KGS 10,000,000,000", "kgs 10bn", True),
    ("₦500 million", "₦500,000,000 from 2026", True),
    ("1.5m", "USD 1,500,000", True),
    ("$5,000.50", "$5000.5 per year", True),
    ("1 200,50 EUR", "1,200.50 EUR a year", True),   # a decimal comma
    ("ten million", "10,000,000", True),
    ("5000", "$15,000", False),            # a number matches whole
    ("5000", "5000.5", False),
    ("10 billion", "10 billionaires", False),
    ("Licensed", "licensed by the SEC", True),
    ("2026-01-01", "from 2026-01-01", True),
], ids=repr)
def test_value_contains_is_case_and_number_format_insensitive(needle: str, value: str, hit: bool) -> None:
    report = evaluate_proposals([expect("licensing.cost", needle)], [proposal("licensing.cost", value)])
    assert report.overall.hits == int(hit)


@pytest.mark.parametrize(("text", "normalised"), [
    ("KGS 10 billion", "kgs 10000000000"),
    ("$5,000.50", "$5000.5"),
    ("1.5m and 20k", "1500000 and 20000"),
    ("5 m of cable", "5 m of cable"),                 # a detached "m" may be metres
    ("in 2025, 100 firms", "in 2025, 100 firms"),      # a list is not a thousands group
    ("0.25 kWh", "0.25 kwh"),
])
def test_normalise_numbers(text: str, normalised: str) -> None:
    assert normalise_numbers(text) == normalised


def test_proposal_hits_misses_and_false_positives_per_field() -> None:
    report = evaluate_proposals(
        [expect("licensing.cost", "₦500 million"), expect("stablecoins.status", "regulated", op="set"),
         expect("tax.capital_gains_personal", "10%")],
        [proposal("licensing.cost", "₦500,000,000 minimum capital"),
         proposal("stablecoins.status", "regulated", op="append"),     # wrong op
         proposal("tax.capital_gains_personal", "10%", country="GH"),   # wrong country
         proposal("aml_kyc.fatf_status", "grey list")],
    )
    assert score(report, "licensing.cost") == (1, 1, 1)
    assert score(report, "stablecoins.status") == (1, 1, 0)
    assert score(report, "aml_kyc.fatf_status") == (0, 1, 0)
    assert score(report, "all") == (3, 4, 1)
    stablecoin_miss = next(f for f in report.misses if f.group == "stablecoins.status")
    assert stablecoin_miss.note is not None and 'append "regulated"' in stablecoin_miss.note
    assert {f.group for f in report.false_positives} == {
        "stablecoins.status", "tax.capital_gains_personal", "aml_kyc.fatf_status"}


def test_absent_lines_name_the_distractors() -> None:
    distractor = ProposalGold(article=ARTICLE, country="NG", field="tax.mining_electricity", absent=True)
    report = evaluate_proposals([expect("licensing.cost", "₦500 million"), distractor],
                                [proposal("tax.mining_electricity", "800 thousand kWh")])
    assert score(report, "tax.mining_electricity") == (0, 1, 0)
    assert report.overall.recall == 0.0
    assert report.false_positives[0].note is not None
    assert "the gold marks this field absent" in report.false_positives[0].note
    with pytest.raises(ValueError, match="absent line takes no"):
        ProposalGold(article=ARTICLE, country="NG", field="x.y", absent=True, value_contains=["1"])


def test_optional_lines_are_neither_hits_nor_false_positives() -> None:
    optional = ProposalGold(article=ARTICLE, country="NG", field="licensing.note", optional=True)
    report = evaluate_proposals(
        [expect("licensing.cost", "500 million"), optional],
        [proposal("licensing.cost", "₦500 million"), proposal("licensing.note", "Draft: a 1% levy")],
    )
    assert score(report, "all") == (1, 1, 1)  # gold, output, hits: the note is not scored
    assert not report.false_positives
    with pytest.raises(ValueError, match="either absent or optional"):
        ProposalGold(article=ARTICLE, country="NG", field="x.y", absent=True, optional=True)


def test_a_proposal_counts_once_per_gold_article_it_cites() -> None:
    both = proposal("licensing.cost", "₦500 million", articles=(ARTICLE, "ng-second.txt", "elsewhere.txt"))
    outside = proposal("licensing.regime", "licensing", articles=("elsewhere.txt",))
    report = evaluate_proposals(
        [expect("licensing.cost", "500 million"),
         expect("licensing.cost", "500 million", article="ng-second.txt")],
        [both, outside],
    )
    assert score(report, "all") == (2, 2, 2)
    assert report.unscored == 1


# --- the command ------------------------------------------------------------------------------


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """Models, dicts or raw strings, one a line."""
    def render(line: Any) -> str:
        if isinstance(line, str):
            return line
        return json.dumps(line, ensure_ascii=False) if isinstance(line, dict) else line.model_dump_json()

    path.write_text("".join(render(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def mention_files(tmp_path: Path) -> tuple[Path, Path]:
    gold_path = write_jsonl(tmp_path / "gold.jsonl", [gold("₦500 million", "money", NAIRA_500M),
                                                      gold("CBN", "entity", CBN)])
    output_path = write_jsonl(tmp_path / "mentions.jsonl", [
        mention("₦500 million", "money", {**NAIRA_500M}), mention("SEC Nigeria", "entity", {
            "name": "Securities and Exchange Commission", "type": "regulator"})])
    return gold_path, output_path


def test_cli_prints_the_table_then_misses_and_false_positives(mention_files: tuple[Path, Path]) -> None:
    gold_path, output_path = mention_files
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold_path), str(output_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["kind", "gold", "output", "hits", "precision", "recall", "F1"]
    assert lines[1].split() == ["entity:regulator", "1", "1", "0", "0.000", "0.000", "0.000"]
    assert lines[2].split() == ["money", "1", "1", "1", "1.000", "1.000", "1.000"]
    assert lines[3].split() == ["all", "2", "2", "1", "0.500", "0.500", "0.500"]
    assert f'  {ARTICLE}  entity:regulator  "CBN"' in result.output
    assert "false positives (1):" in result.output
    assert f'  {ARTICLE}  entity:regulator  "SEC Nigeria"' in result.output


def test_cli_json_and_the_articles_folder(mention_files: tuple[Path, Path], tmp_path: Path) -> None:
    gold_path, output_path = mention_files
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / ARTICLE).write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold_path), str(output_path), "--json",
                                      "--articles", str(articles)])
    assert result.exit_code == 0, result.output
    report = Report.model_validate_json(result.output)
    assert report.matched_by_text == []
    assert report.misses[0].note == f"at {TEXT.index('CBN')}-{TEXT.index('CBN') + 3}"


def test_cli_reads_proposal_gold_by_its_first_line(tmp_path: Path) -> None:
    gold_path = write_jsonl(tmp_path / "gold.jsonl", [expect("licensing.cost", "10 billion")])
    output_path = write_jsonl(tmp_path / "proposals.jsonl",
                              [proposal("licensing.cost", "KGS 10,000,000,000")])
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold_path), str(output_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["overall"]["hits"] == 1


@pytest.mark.parametrize(("bad_line", "message"), [
    ("{not json", "not valid JSON"),
    ({"article": ARTICLE, "kind": "money", "text": "$5", "value": {"ammount": 5}}, "no key 'ammount'"),
])
def test_cli_bad_gold_line_is_one_line_error(tmp_path: Path, bad_line: Any, message: str) -> None:
    good = {"article": ARTICLE, "kind": "money", "text": "$5", "value": {}}
    gold_path = write_jsonl(tmp_path / "gold.jsonl", [good, "", bad_line])
    output_path = write_jsonl(tmp_path / "mentions.jsonl", [])
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold_path), str(output_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"error: {gold_path}:3: ")
    assert message in result.output


def test_cli_bad_output_line_is_one_line_error(mention_files: tuple[Path, Path], tmp_path: Path) -> None:
    gold_path, _ = mention_files
    output_path = write_jsonl(tmp_path / "bad.jsonl", [{"article": ARTICLE, "kind": "money", "text": "$5"}])
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold_path), str(output_path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {output_path}:1: ")
    assert result.output.count("\n") == 1
