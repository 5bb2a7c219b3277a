"""`extract status` on a large map: 200 records and a 100,000-line ledger, built in a temporary folder.

Times the whole command as a user runs it (a fresh process, JSON to a file): without the cache of
parsed records, with it cold (the first run, which fills it; emptied before each such run) and warm;
and, in the same run, a baseline: `extract --version`, the bare start of the CLI. Prints wall and
CPU seconds of the best of --repeat runs (the machine is shared: the wall clock also counts others'
work), the CPU ratio to the baseline, and whether spaCy or dateparser was imported (`python -X
importtime`): they must not be.

    Example: python bench/bench_status.py [--records 200] [--ledger 100000] [--repeat 3] [--html]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "corpus" / "countries" / "country--kyrgyzstan.md"
HEAVY = ("spacy", "dateparser", "thinc")


def country_codes(count: int) -> list[tuple[str, str]]:
    """(alpha-2 code, name) of `count` countries, from pycountry."""
    import pycountry

    countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)
    return [(c.alpha_2, c.name) for c in countries[:count]]


def make_records(folder: Path, count: int) -> list[tuple[str, list[str]]]:
    """`count` records made from the Kyrgyz one; (file name, field paths) of each."""
    from extract.records import parse_record

    template = TEMPLATE.read_text(encoding="utf-8")
    paths = [p for p in parse_record(template, file=TEMPLATE.name).fields if not p.startswith("meta.")]
    made = []
    rng = random.Random(7)
    for code, name in country_codes(count):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        text = (
            template.replace("Kyrgyzstan (KG)", f"{name} ({code})")
            .replace('aliases: ["KG", "KGZ", "Кыргызстан"]', f'aliases: ["{code}"]')
            .replace(
                "updated: 2026-04-02",
                f"updated: 202{rng.randint(3, 6)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            )
        )
        file = f"country--{slug}.md"
        (folder / file).write_text(text, encoding="utf-8")
        made.append((file, paths))
    return made


def make_ledger(path: Path, records: list[tuple[str, list[str]]], lines: int) -> None:
    from extract.models import LedgerEntry

    rng = random.Random(11)
    outlets = [f"https://outlet{n}.example" for n in range(40)]
    with path.open("w", encoding="utf-8") as out:
        for number in range(lines):
            file, paths = rng.choice(records)
            field = rng.choice(paths)
            day = f"202{rng.randint(3, 6)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            quote = f"Story {number % 5000} says the {field} of the country is value {number % 97}."
            evidence = [
                {
                    "article": f"a{number}-{k}.txt",
                    "start": 0,
                    "end": len(quote),
                    "quote": quote,
                    "highlight": [0, 5],
                    "published": day,
                    "url": f"{rng.choice(outlets)}/{number}-{k}",
                    "title": None,
                }
                for k in range(rng.randint(1, 2))
            ]
            op = rng.choice(["set", "confirm", "confirm", "append"])
            entry = {
                "when": f"{day}T12:00:00Z",
                "record": file,
                "field": field,
                "op": op,
                "old": "old value",
                "new": f"value {number % 97}",
                "proposal": f"p-{number:012x}",
                "evidence": evidence,
                "reviewer": "bench",
            }
            out.write(LedgerEntry.model_validate(entry).model_dump_json() + "\n")  # as merge writes it


def timed(command: list[str], repeat: int, before: Callable[[], None] = lambda: None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the best of `repeat` runs of `command` (the CPU its own process
    used: on a shared machine the wall clock also counts the others' work); `before` runs before each."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{' '.join(command)} failed with {process.returncode}")
        best = min(best, (wall, usage.ru_utime + usage.ru_stime), key=lambda pair: pair[1])
    return best


def heavy_imports(command: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]], capture_output=True, text=True, check=True
    )
    names = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return sorted(names & set(HEAVY))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Example: python bench/bench_status.py --records 200 --ledger 100000",
    )
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--ledger", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--html", action="store_true", help="Time `status --html` too.")
    parser.add_argument("--quick", action="store_true", help="10 records, 2,000 lines, one run each.")
    args = parser.parse_args()
    if args.quick:
        args.records, args.ledger, args.repeat = 10, 2_000, 1
    with tempfile.TemporaryDirectory(prefix="bench-status-") as temp:
        root = Path(temp)
        (root / "countries").mkdir()
        records = make_records(root / "countries", args.records)
        make_ledger(root / "ledger.jsonl", records, args.ledger)
        extract = [sys.executable, "-m", "extract"]
        status = [*extract, "status", str(root / "countries"), "--review", str(root / "none.jsonl")]
        (root / "none.jsonl").write_text("", encoding="utf-8")
        baseline = timed([*extract, "--version"], args.repeat)
        # the cache of parsed records in the temporary folder: the first run fills it (cold; emptied
        # before each of those runs)
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        figures = {
            "extract status --no-cache": timed([*status, "--no-cache"], args.repeat),
            "extract status (cold cache)": timed(
                status, args.repeat, lambda: shutil.rmtree(root / "cache", ignore_errors=True)
            ),
            "extract status (warm cache)": timed(status, args.repeat),
        }
        if args.html:
            figures["extract status --html"] = timed(
                [*status, "--html", str(root / "status.html")], args.repeat
            )
        print(f"{args.records} records, {args.ledger:,} ledger lines; best of {args.repeat}")
        print(f"{'command':32} {'wall s':>7} {'CPU s':>7} {'CPU vs baseline':>16}")
        for name, (wall, cpu) in {"extract --version (baseline)": baseline, **figures}.items():
            print(f"{name:32} {wall:7.2f} {cpu:7.2f} {cpu / baseline[1]:15.1f}x")
        heavy = heavy_imports(status)
        print(f"heavy imports: {', '.join(heavy) if heavy else 'none'}")
        if heavy:
            sys.exit(1)


if __name__ == "__main__":
    main()
