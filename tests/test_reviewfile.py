"""Loading and checking a review file: one problem per line with its line number, warnings apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from proposal_fixtures import CORPUS, KG, KZ_STATUS, by_field, copy_corpus, make_proposals, write_review_file

from extract.errors import InputError, MergeError
from extract.models import Proposal
from extract.reviewfile import check_review, load_review, read_review, record_path, save_changes

RECORDS = CORPUS / "countries"


def problems_of(path: Path, articles: Path = CORPUS / "articles") -> list[str]:
    check = check_review(load_review(path), records_dir=RECORDS, articles_dir=articles)
    return [str(problem) for problem in check.errors]


def one(tmp_path: Path, proposal: Proposal) -> Path:
    return write_review_file(tmp_path / "proposals.jsonl", [proposal])


def test_the_handmade_file_has_no_problem(tmp_path: Path) -> None:
    review = write_review_file(tmp_path / "proposals.jsonl")
    check = check_review(load_review(review), records_dir=RECORDS, articles_dir=CORPUS / "articles")
    assert (check.errors, check.warnings) == ([], [])


@pytest.mark.parametrize(("field", "op", "known"), [
    ("licensing.cost", "set", True),  # the record has it
    ("tax.capital_gains_personal", "add", True),  # KG lacks it; the vocabulary knows it
    ("tax.capital_gains_personal", "set", True),  # known path; that KG lacks it is a conflict, not a typo
    ("licensing.office_hours", "add", True),  # a new row in a known section
    ("licensing.office_hours", "set", False),  # … but only an add can bring a new field
    ("licensing.Office Hours", "add", False),  # not a slug
    ("staking.status", "add", False),  # a section neither the record nor the vocabulary has
    ("licensing.costs", "set", False),  # a typo
    ("cost", "set", False),
])
def test_field_paths(tmp_path: Path, field: str, op: str, known: bool) -> None:
    cost = by_field(make_proposals(), "KG", "licensing.cost")
    proposal = cost.model_copy(update={"field": field, "op": op, "old_value": None if op == "add" else "x"})
    problems = problems_of(one(tmp_path, proposal))
    unknown = (f"{tmp_path / 'proposals.jsonl'}:1: unknown field path {field!r} — use a field of {KG} or of "
               "the field vocabulary (extract/rules/record_fields.json)")
    assert problems == ([] if known else [unknown])


@pytest.mark.parametrize(("record", "inside"), [
    ("country--kyrgyzstan.md", True),
    ("./country--kyrgyzstan.md", True),
    ("sub/../country--kyrgyzstan.md", True),
    ("../../etc/passwd", False),
    ("../countries/../../etc/passwd", False),
    ("/etc/passwd", False),
    (".", False),
    ("", False),
])
def test_record_paths_stay_inside_the_folder(record: str, inside: bool) -> None:
    if inside:
        assert record_path(RECORDS, record) == (RECORDS / KG).resolve()
    else:
        with pytest.raises(MergeError, match="is outside the records folder"):
            record_path(RECORDS, record)


def test_a_symlink_out_of_the_folder_is_outside(tmp_path: Path) -> None:
    records = copy_corpus(tmp_path) / "countries"
    (records / "escape.md").symlink_to("/etc/passwd")
    with pytest.raises(MergeError, match=r"'escape\.md' is outside the records folder"):
        record_path(records, "escape.md")


def test_record_problems(tmp_path: Path) -> None:
    cost = by_field(make_proposals(), "KG", "licensing.cost")
    review = write_review_file(tmp_path / "proposals.jsonl", [
        cost.model_copy(update={"record": "country--atlantis.md"}),
        cost.model_copy(update={"id": "p-2", "country": "KZ"}),
        cost.model_copy(update={"id": "p-3", "old_value": None}),
    ])
    assert problems_of(review) == [
        f"{review}:1: no record country--atlantis.md in {RECORDS} — name a record file of the records folder "
        "(--records)",
        f"{review}:2: country KZ but {KG} is KG — correct the country or the record",
        f"{review}:3: old_value is null but op is set — give the field's text, or use op add for a missing "
        "field",
    ]


def test_evidence_problems_and_warnings(tmp_path: Path) -> None:
    status = by_field(make_proposals(), "KZ", "overview.status")
    evidence = status.evidence[0]
    start, end = evidence.highlight
    shifted = evidence.model_copy(update={"start": evidence.start + 1, "end": evidence.end + 1,
                                          "highlight": (start + 1, end + 1)})
    outside = evidence.model_copy(update={"highlight": (evidence.start - 5, evidence.start)})
    elsewhere = evidence.model_copy(update={"article": "feeds/today.jsonl#3"})
    review = one(tmp_path, status.model_copy(update={"evidence": [evidence, shifted, outside, elsewhere]}))
    check = check_review(load_review(review), records_dir=RECORDS, articles_dir=CORPUS / "articles")
    span = f"[{evidence.start + 1}, {evidence.end + 1}]"
    assert [str(problem) for problem in check.errors] == [
        f"{review}:1: evidence 2 ({KZ_STATUS}): quote no longer matches the article at {span} — re-run "
        "extract run, or fix start/end/quote",
        f"{review}:1: evidence 3 ({KZ_STATUS}): highlight [{evidence.start - 5}, {evidence.start}] lies "
        f"outside [{evidence.start}, {evidence.end}] — fix the offsets",
        f"{review}:1: evidence 4 (feeds/today.jsonl#3): article not found in {CORPUS / 'articles'} — "
        "restore the article, pass --articles DIR where it is, or reject the proposal",
    ]
    assert check.warnings == []
    # A missing articles folder leaves the quotes unchecked: a warning each, not an error.
    gone = tmp_path / "no-articles"
    check = check_review(load_review(review), records_dir=RECORDS, articles_dir=gone)
    assert [str(problem) for problem in check.warnings][-1] == (
        f"{review}:1: evidence 4 (feeds/today.jsonl#3): quote not checked, article not found in {gone} — "
        "pass --articles DIR to check it")
    # Without an articles folder only the offsets are checked.
    assert len(check_review(load_review(review), records_dir=RECORDS, articles_dir=None).errors) == 1


def test_evidence_in_a_jsonl_article_is_checked(tmp_path: Path) -> None:
    status = by_field(make_proposals(), "KZ", "overview.status")
    text = (CORPUS / "articles" / KZ_STATUS).read_text(encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    lines = [json.dumps({"text": "Another story."}), json.dumps({"text": text, "url": "https://kz.example/1"})]
    (articles / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    moved = [e.model_copy(update={"article": "feed.jsonl#2"}) for e in status.evidence]
    review = one(tmp_path, status.model_copy(update={"evidence": moved}))
    assert check_review(load_review(review), records_dir=RECORDS, articles_dir=articles).errors == []
    wrong_line = [e.model_copy(update={"article": "feed.jsonl#1"}) for e in status.evidence]
    review = one(tmp_path, status.model_copy(update={"evidence": wrong_line}))
    assert "quote no longer matches" in problems_of(review, articles=articles)[0]


def test_loading_keeps_going_past_bad_lines(tmp_path: Path) -> None:
    proposals = make_proposals()
    path = tmp_path / "proposals.jsonl"
    lines = [p.model_dump_json() for p in proposals]
    lines.insert(2, "")  # blank lines are allowed and still counted
    lines[4] = '{"id": "p-1"}'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    review = load_review(path)
    assert [str(problem) for problem in review.problems] == [
        f"{path}:5: country: Field required — make the line a valid proposal"]
    assert review.lines == (1, 2, 4, 6, 7, 8)
    with pytest.raises(InputError):
        read_review(path)


def test_saving_replaces_by_id_and_keeps_the_order(tmp_path: Path) -> None:
    path = write_review_file(tmp_path / "proposals.jsonl")
    proposals = read_review(path).proposals
    rejected = proposals[3].model_copy(update={"status": "rejected", "reviewer_note": "source is a blog"})
    assert save_changes(path, {rejected.id: rejected})[3] == rejected
    assert read_review(path).proposals == (*proposals[:3], rejected, *proposals[4:])
    with pytest.raises(InputError, match="proposal p-gone is no longer in the file"):
        save_changes(path, {"p-gone": rejected})
