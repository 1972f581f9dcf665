"""Reports: they only read an ``Assessment``.

- ``excel``: the compliance workbook (``write_workbook``), cell safety in ``_xlsx``;
- ``figures``: plotly figures per product and for the portfolio (``assessment_figures``);
- ``html``: the self-contained HTML report (``write_html``);
- ``tables``: the tidy product × line × indicator DataFrame (``assessment_dataframe``);
- ``summary``: what both reports say at a glance (compliance colour, top lines).
"""
