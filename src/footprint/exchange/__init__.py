"""Exchange formats: footprints out to, and in from, other companies' systems.

- ``pact``: WBCSD PACT Technical Specification v3 ProductFootprint documents out of an
  ``Assessment`` (cradle to gate);
- ``pact_import``: PACT v2/v3 documents in, as datasets (supplier PCFs as primary data);
- ``battery_passport``: the carbon-footprint and recycled-content blocks of the BatteryPass
  data model v1.2.0 (EU Battery Regulation battery passport);
- ``pact_store``: the SQLite file that keeps exported footprints (immutable ids, preceding
  ids) and that ``footprint serve`` answers the PACT REST API from.

This room reads only ``Assessment`` results (and, for the import, files): it sits beside the
reports at the end of the flow.
"""
