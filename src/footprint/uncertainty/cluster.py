"""Dask clusters for the Monte Carlo (``--workers N``, ``--scheduler tcp://HOST:PORT``).

Dask is an optional extra (``pip install "footprint[distributed]"``): without the options
nothing imports it.  ``--workers N`` starts a ``distributed.LocalCluster`` of N worker
processes (one thread each) on this machine for the run and closes it afterwards;
``--scheduler`` connects to a cluster that is already running.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from footprint.errors import FootprintError, Problem


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for the options, or None when neither is given."""
    if workers is None and scheduler is None:
        yield None
        return
    if workers is not None and scheduler is not None:
        raise FootprintError(Problem("give --workers or --scheduler, not both", column="workers"))
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise FootprintError(
            Problem('Dask is not installed: pip install "footprint[distributed]"', column="workers")
        ) from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as error:
            raise FootprintError(
                Problem(f"cannot reach the Dask scheduler {scheduler}: {error}", column="scheduler")
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    assert workers is not None
    if workers < 1:
        raise FootprintError(Problem(f"--workers {workers}: give at least 1", column="workers"))
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
