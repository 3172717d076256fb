"""The staff report on the ¥1bn goal: reads only, no writes.

`deals` selects the filter's summary rows (marketplace.models.GoalDeal: one per confirmed deal
with its attributes, kept by marketplace.services.goal_deals), `cube` totals them once for
every table, `filters` is the form that narrows them, and one module per part of the report:
`breakdowns`, `timeline`, `sessions` (the per-session report),
`tables` (every table as headers and rows, for the page and the exports), `charts` (SVG
geometry) and `exports` (CSV and XLSX).
"""
