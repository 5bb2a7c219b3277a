"""The CLI fuzzed: hostile records, articles and review files built from the seeds in corpus/.

Each case mutates one record, one article and the review file (byte flips, truncation, other encodings,
control characters, huge and empty fields, duplicated lines and keys, wrong JSON types, path tricks,
symlinks) and runs the commands on them as subprocesses. Every command must end without a traceback,
with exit code 0, 1 or 2, leave its inputs byte-identical (merge may change only the records, the review
file and the ledger), write nothing outside its output paths and leave no temporary file.

CI runs a fixed seed; the seed and the number of cases are printed. For a release, run longer:
    FUZZ_SEED=$RANDOM FUZZ_CASES=2000 FUZZ_SPACY_CASES=100 .venv/bin/pytest tests/test_fuzz_cli.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from proposal_fixtures import APPROVED, approved, write_review_file

REPO = Path(__file__).resolve().parent.parent
SEED = int(os.environ.get("FUZZ_SEED", "20261206"))
CASES = int(os.environ.get("FUZZ_CASES", "15"))
SPACY_CASES = int(os.environ.get("FUZZ_SPACY_CASES", "2"))
RECORDS = sorted((REPO / "corpus" / "countries").glob("*.md"))
ARTICLES = sorted((REPO / "corpus" / "articles").glob("*.txt"))
CONTROL = [bytes([code]) for code in (*range(0, 9), 11, 12, *range(14, 32), 127)]
CONTROL += ["\u2028".encode(), b"\xef\xbb\xbf"]
HOSTILE_VALUES: list[object] = [None, 0, -1, 1e308, True, [], {}, "", "x" * 100_000, "../../etc/passwd",
                                "/etc/passwd", "\\ud800", {"a": [[[[[]]]]]}]


def _flip(data: bytes, draw: st.DrawFn) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(out) - 1))
        out[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(out)


def _lines(data: bytes, draw: st.DrawFn) -> bytes:
    lines = data.splitlines(keepends=True) or [b""]
    at = draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(["duplicate", "delete", "huge", "empty", "control"]))
    if how == "duplicate":
        lines.insert(at, lines[at])
    elif how == "delete":
        del lines[at]
    elif how == "huge":
        lines[at] = lines[at].rstrip(b"\r\n") * draw(st.integers(100, 3000)) + b"\n"
    elif how == "empty":
        lines[at] = b"\n"
    else:
        line = lines[at]
        cut = draw(st.integers(0, len(line)))
        lines[at] = line[:cut] + draw(st.sampled_from(CONTROL)) + line[cut:]
    return b"".join(lines)


def _encoding(data: bytes, draw: st.DrawFn) -> bytes:
    text = data.decode("utf-8", errors="replace")
    codec = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1251", "latin-1", "utf-32", "utf-8-sig"]))
    body = text.encode(codec, errors="replace")
    return body.replace(b"\n", b"\r\n") if draw(st.booleans()) else body


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with one to three hostile changes."""
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["flip", "truncate", "lines", "encoding", "empty", "keep"]))
        if how == "flip":
            data = _flip(data, draw)
        elif how == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif how == "lines":
            data = _lines(data, draw)
        elif how == "encoding":
            data = _encoding(data, draw)
        elif how == "empty":
            data = b""
    return data


@st.composite
def review_file(draw: st.DrawFn, seed_lines: list[str]) -> bytes:
    """The seed review file with wrong types, duplicated keys, path tricks, or mutated bytes."""
    lines = list(seed_lines)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        data = json.loads(lines[at])
        how = draw(st.sampled_from(["type", "duplicate key", "path", "evidence", "status"]))
        if how == "type":
            data[draw(st.sampled_from(sorted(data)))] = draw(st.sampled_from(HOSTILE_VALUES))
            lines[at] = json.dumps(data, ensure_ascii=False).replace('"\\\\ud800"', '"\\ud800"')
        elif how == "duplicate key":
            lines[at] = lines[at][:-1] + ', "status": "approved", "status": "rejected"}'
        elif how == "path":
            data["record"] = draw(st.sampled_from(["../../etc/passwd", "/etc/hosts", "..", "",
                                                   "country--kyrgyzstan.md/../../x.md", "links/out.md"]))
            lines[at] = json.dumps(data)
        elif how == "evidence":
            evidence = data["evidence"][0]
            evidence[draw(st.sampled_from(["start", "end", "article"]))] = draw(
                st.sampled_from([-1, 10**12, "../../../etc/passwd", "x.jsonl#999"]))
            lines[at] = json.dumps(data)
        else:
            data["status"] = "approved"
            lines[at] = json.dumps(data)
    text = "".join(line + "\n" for line in lines).encode("utf-8")
    return draw(mutated(text)) if draw(st.booleans()) else text


def _seed_review() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = write_review_file(Path(folder) / "p.jsonl", approved(*APPROVED))
        return path.read_text(encoding="utf-8").splitlines()


SEED_REVIEW = _seed_review()


@st.composite
def workspace(draw: st.DrawFn, *, records_too: bool = True) -> dict[str, bytes | str]:
    """Relative path → bytes (a file) or str (a symlink to that target). Not `records_too`: the records
    stay as they are (a broken record stops mentions and run before any article is read)."""
    files: dict[str, bytes | str] = {}
    for path in RECORDS:
        files[f"corpus/countries/{path.name}"] = path.read_bytes()
    for path in ARTICLES:
        files[f"corpus/articles/{path.name}"] = path.read_bytes()
    if records_too:
        record = draw(st.sampled_from(RECORDS))
        files[f"corpus/countries/{record.name}"] = draw(mutated(record.read_bytes()))
    article = draw(st.sampled_from(ARTICLES))
    files[f"corpus/articles/{article.name}"] = draw(mutated(article.read_bytes()))
    files["proposals.jsonl"] = draw(review_file(SEED_REVIEW))
    links = ["none", "dangling", "outside", "loop", "dir"] if records_too else ["none", "dir"]
    link = draw(st.sampled_from(links))
    if link == "dangling":
        files["corpus/countries/country--atlantis.md"] = "../gone.md"
    elif link == "outside":
        files["corpus/countries/country--outside.md"] = "../../outside.md"
        files["outside.md"] = RECORDS[0].read_bytes()
    elif link == "loop":
        files["corpus/countries/country--loop.md"] = "country--loop.md"
    elif link == "dir":
        files["corpus/articles/sub.txt"] = "."
    return files


def _build(root: Path, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.symlink_to(content)
        else:
            path.write_bytes(content)


def _state(root: Path) -> dict[str, bytes | str]:
    state: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            state[name] = str(os.readlink(path))
        elif path.is_file():
            state[name] = path.read_bytes()
    return state


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "extract", *args], cwd=root, capture_output=True,
                            text=True, encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL,
                            timeout=600, check=False)
    command = f"extract {' '.join(args)}"
    assert "Traceback" not in result.stderr, f"{command}\n{result.stderr}"
    assert result.returncode in (0, 1, 2), f"{command}: exit {result.returncode}\n{result.stderr}"
    return result


def _check(root: Path, before: dict[str, bytes | str], args: list[str], may_change: set[str],
           may_create: set[str]) -> dict[str, bytes | str]:
    _run(root, *args)
    after = _state(root)
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed <= may_change, f"extract {' '.join(args)} changed {sorted(changed - may_change)}"
    folders = tuple(name for name in may_create if name.endswith("/"))  # anything inside them may appear
    created = {name for name in set(after) - set(before) if not name.startswith(folders)}
    assert created <= may_create, f"extract {' '.join(args)} wrote {sorted(created - may_create)}"
    assert not [name for name in after if name.endswith(".tmp")], "a temporary file was left"
    return after


LOCK = ".proposals.jsonl.lock"  # the review file's lock (extract.reviewfile.review_lock)


def _fuzz(cases: int, check: Callable[[Path, dict[str, bytes | str]], None],
          capsys: pytest.CaptureFixture[str], name: str, *, records_too: bool = True) -> None:
    ran = []

    @seed(SEED)
    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(workspace(records_too=records_too))
    def one(files: dict[str, bytes | str]) -> None:
        ran.append(1)
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            _build(root, files)
            check(root, _state(root))

    try:
        one()
    finally:
        with capsys.disabled():  # shown in CI's log: what to replay with FUZZ_SEED
            print(f"\nfuzz {name}: seed {SEED}, {len(ran)} cases")


def test_validate_review_and_merge_fuzzed(capsys: pytest.CaptureFixture[str]) -> None:
    def check(root: Path, state: dict[str, bytes | str]) -> None:
        records = "corpus/countries"
        for args in (["validate", records], ["validate", "--strict", records], ["review", "proposals.jsonl",
                     "--list"], ["merge", "proposals.jsonl", "--records", records, "--dry-run"]):
            state = _check(root, state, args, set(), {LOCK})
        written = {name for name in state if name.startswith(records + "/")} | {"proposals.jsonl"}
        _check(root, state, ["merge", "proposals.jsonl", "--records", records, "--date", "2026-06-15"],
               written, {"corpus/ledger.jsonl", LOCK})

    _fuzz(CASES, check, capsys, "validate/review/merge")


def test_mentions_and_run_fuzzed(capsys: pytest.CaptureFixture[str]) -> None:
    def check(root: Path, state: dict[str, bytes | str]) -> None:
        out = {"out/mentions.jsonl", "out/unrecorded.jsonl"}
        state = _check(root, state, ["mentions", "--records", "corpus/countries", "-o", "out/mentions.jsonl"],
                       set(), out)
        _check(root, state, ["run", "--records", "corpus/countries", "-o", "proposals.jsonl", "--mentions",
                             "out/mentions.jsonl", "-q"], {"proposals.jsonl", *out},
               {*out, LOCK, "proposals.jsonl.bak", "proposals.unrecorded.jsonl", ".extract-cache/"})

    _fuzz(SPACY_CASES, check, capsys, "mentions/run", records_too=False)
