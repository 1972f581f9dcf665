"""Responsible sourcing: where each element of a product comes from, and from whom.

results.py    the result models (``SourcingResult`` and its parts), read by the reports
measures.py   mass by country and supplier, concentration (HHI), certification,
              approved smelters, high-risk origin and traceability, per element and material
scorecards.py one scorecard per supplier of a product

The supplier register and the user's lists are read by ``footprint.suppliers``.  This package
imports nothing at import time, so ``footprint.model`` can import the result models.
"""
