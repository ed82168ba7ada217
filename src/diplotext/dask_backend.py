"""Run the per-article analysis on Dask, for corpora larger than one machine.

The analysis of one article is a pure function of its file, so a Dask bag of paths gives the
same tables as the local process pool. Each task is a batch of articles
(``pipeline.analyze_batch_to_csv``: every stage across the batch, the model's ``nlp.pipe``
included), and each worker process loads the spaCy model once and keeps it for every batch it
runs. Dask is an optional extra (``pip install 'diplotext[dask]'``) so that the book's own
install stays lean.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import InputError
from .pipeline import analyze_batch_to_csv

# Articles per task: as many as a local worker takes in one batch.
BATCH = 32


def analyze_many_dask(paths: list[Path], published: str | None = None, scheduler: str = "local",
                      partition_size: int = BATCH) -> Iterator[tuple]:
    """Yield ``analyze_file_to_csv`` results in input order, computed on a Dask cluster, one
    batch of ``partition_size`` articles per task.

    ``scheduler`` is a scheduler address (``tcp://host:8786``) or ``local`` for a two-worker
    cluster on this machine. Partitions are gathered one at a time, so memory stays bounded.
    """
    try:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask needs the dask extra: pip install -r requirements-dask.lock") from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        bag = db.from_sequence(paths, partition_size=partition_size).map_partitions(_batch, published=published)
        futures = client.compute(bag.to_delayed())
        for future in futures:
            yield from future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _batch(paths, published: str | None = None) -> list[tuple]:
    """One task: a partition of paths analysed as one batch."""
    return analyze_batch_to_csv(list(paths), published)
