"""The map on Dask workers (`extract run --engine dask`): each worker builds the pipeline once.

The records the pipeline is built from travel with a worker plugin, so workers on other machines
need extract and its model installed, not the records folder. The reduce stays in the calling
process. A worker that dies takes its tasks with it; the scheduler gives them to another worker
(up to `distributed.scheduler.allowed-failures` times). A bad article comes back as a MapFailure.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from extract.errors import ConfigError, InputError
from extract.models import Article
from extract.pipeline import Pipeline

try:
    from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, get_worker
except ImportError:  # pragma: no cover - the message is the test
    raise ConfigError("--engine dask needs Dask", fix="pip install 'extract[dask]'") from None

PLUGIN_NAME = "extract-pipeline"
# A worker may run several tasks at once (threads): they share one pipeline, one at a time.
_lock = threading.Lock()


class PipelinePlugin(WorkerPlugin):
    """Builds the pipeline on each worker as it starts (and on workers that join later)."""

    def __init__(self, records: dict[str, Any]) -> None:
        self.records = records
        self.pipeline: Pipeline | None = None

    def setup(self, worker: Any) -> None:
        self.pipeline = Pipeline(self.records)


def _map_chunk(articles: list[Article], stage: str) -> list[Any]:
    from extract.batch import map_chunk

    plugin = get_worker().plugins[PLUGIN_NAME]
    assert isinstance(plugin, PipelinePlugin) and plugin.pipeline is not None
    with _lock:
        return map_chunk(plugin.pipeline, articles, stage)  # type: ignore[arg-type]


class DaskEngine:
    """The map on a Dask cluster: the one at `scheduler`, or a LocalCluster of `jobs` worker processes."""

    def __init__(self, records_dir: Path | None, stage: str, *, jobs: int, scheduler: str | None) -> None:
        self.records_dir = records_dir
        self.stage = stage
        self.jobs = jobs
        self.scheduler = scheduler
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None

    def _start(self) -> Client:
        """The client, connected (and the local cluster started) for the first article that needs it."""
        from extract.records import load_records

        if self.scheduler is None:
            self.cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            client = Client(self.cluster)
        else:
            try:
                client = Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                fix = "check the address (tcp://HOST:8786) and that its scheduler runs"
                raise InputError(f"cannot reach the Dask scheduler ({exc})", where=self.scheduler,
                                 fix=fix) from None
        records = load_records(self.records_dir) if self.records_dir is not None else {}
        client.register_plugin(PipelinePlugin(records), name=PLUGIN_NAME)
        self.client = client
        return client

    def _submit(self, chunk: list[Article]) -> tuple[Any, list[Article]]:
        client = self.client or self._start()
        return client.submit(_map_chunk, chunk, self.stage, pure=False), chunk

    def _result(self, pending: tuple[Any, list[Article]]) -> list[Any]:
        """The chunk's results; when its task killed worker after worker (an article that crashes the
        process, or runs it out of memory), its articles one by one, the culprit a MapFailure."""
        from extract.batch import MapFailure

        future, chunk = pending
        try:
            return future.result()
        except KilledWorker as exc:
            if len(chunk) == 1:
                return [MapFailure(article=chunk[0].id, error=f"killed the workers that analysed it ({exc})")]
        return [result for article in chunk for result in self._result(self._submit([article]))]

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[Any]]:
        from extract.batch import ordered_window

        try:
            # four chunks per worker thread in flight: no worker waits, and the input stays bounded
            threads = self.jobs if self.scheduler is None else sum(
                (self.client or self._start()).nthreads().values())
            yield from ordered_window(chunks, self._submit, self._result, 4 * max(1, threads))
        finally:
            if self.client is not None:
                self.client.close()
            if self.cluster is not None:
                self.cluster.close()
