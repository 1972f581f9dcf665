"""Dask clusters for the Monte Carlo (``--workers N``, ``--scheduler tcp://HOST:PORT``).

Dask is an optional extra (``pip install "footprint[distributed]"``): without the options
nothing imports it.  ``--workers N`` starts a ``distributed.LocalCluster`` of N worker
processes (one thread each) on this machine for the run and closes it afterwards;
``--scheduler`` connects to a cluster that is already running.

The local cluster's workers run the Monte Carlo as fast as one process does: Dask's defaults
for worker processes slow this numerical work 1.5–2.5× on the benchmark's background (one
background block: 2.4 s in one process, 4.3 s in a default worker at the same load), from
two settings, switched off for footprint's own cluster: the statistical profiler sampling the
task thread's stack every 10 ms (``distributed.worker.profile``) and
``MALLOC_TRIM_THRESHOLD_=65536`` (glibc then gives every freed array back to the system and
maps the next one afresh; the iterations allocate the matrices' values each time).  Its
dashboard takes a free port (``:0``): with the default ``:8787`` (also when switched off, for
its HTTP routes) a second cluster on the machine warns that the port is in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from footprint.errors import FootprintError, Problem

WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,  # None: not set
}


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
    import dask

    with dask.config.set(WORKER_CONFIG):  # the nannies hand it to the worker processes
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
