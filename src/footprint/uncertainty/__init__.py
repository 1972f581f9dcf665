"""Uncertainty: Monte Carlo footprints and the probability that footprint checks fail
(``montecarlo.simulate``), with distributions from the datasets (``distributions``), optionally
distributed on a Dask cluster (``cluster``)."""
