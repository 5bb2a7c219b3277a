"""`extract run --engine dask` (issue 12): on a 2-worker LocalCluster the output is the local run's,
byte for byte, and stays so when a worker is killed mid-run.

Kept small for CI: the shipped corpus plus 200 short generated articles, one cluster for the module.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from extract.batch import MapResult, run

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GENERATED = 200


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus and 200 generated articles (bench/benchkit.py, from bench/article_templates.json)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from benchkit import load_seed_texts, make_articles

    folder = tmp_path_factory.mktemp("dask") / "articles"
    shutil.copytree(CORPUS / "articles", folder)
    for index, text in enumerate(make_articles(load_seed_texts(CORPUS / "articles"), GENERATED, seed=7)):
        (folder / f"generated-{index:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.jsonl"))}


def run_into(folder: Path, articles: Path, **options: Any) -> dict[str, bytes]:
    report = run([articles], CORPUS / "countries", folder / "proposals.jsonl",
                 mentions_out=folder / "mentions.jsonl", **options)
    assert report.articles == GENERATED + 3 and not report.skipped
    return outputs(folder)


@pytest.fixture(scope="module")
def local(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    found = run_into(tmp_path_factory.mktemp("local"), articles, jobs=1)
    assert set(found) == {"proposals.jsonl", "proposals.unrecorded.jsonl", "mentions.jsonl"}
    return found


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


def test_dask_on_two_workers_writes_what_the_local_run_writes(articles: Path, local: dict[str, bytes],
                                                             cluster: Any, tmp_path: Path) -> None:
    assert run_into(tmp_path, articles, engine="dask", scheduler=cluster.scheduler_address) == local


def test_a_worker_killed_mid_run_changes_nothing(articles: Path, local: dict[str, bytes], cluster: Any,
                                                  tmp_path: Path) -> None:
    with distributed.Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)
        assert len(pids) == 2
        killed = []

        def kill_after_first(results: Iterable[MapResult]) -> Iterator[MapResult]:
            for index, result in enumerate(results):
                if index == 20:  # a chunk back, others in flight on both workers
                    victim = sorted(pids.values())[0]
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
                yield result

        found = run_into(tmp_path, articles, engine="dask", scheduler=cluster.scheduler_address,
                         progress=kill_after_first)
        assert killed and found == local
        client.wait_for_workers(2, timeout=120)  # the nanny restarted it
        assert killed[0] not in client.run(os.getpid).values()
