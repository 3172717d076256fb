"""The staff report on the ¥1bn goal: reads only, no writes.

`deals` holds the one definition of a confirmed deal with its attributes (category, field,
industry, district, right type, session), `filters` the form that narrows it, and one module
per part of the report: `breakdowns`, `timeline`, `sessions` (the per-session report),
`tables` (every table as headers and rows, for the page and the exports), `charts` (SVG
geometry) and `exports` (CSV and XLSX).
"""
