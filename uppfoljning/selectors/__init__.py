"""Follow-up reads, one module per page family.

- ``common``: counted statuses, rounds, the dashboard filter (``Urval``), level counts;
- ``gaprapport``: one vårdcentral's gap report;
- ``region``: the region dashboard;
- ``nationell``: the national view.

The pure statistics are in ``uppfoljning.statistik``, the gap rule in
``uppfoljning.gapregel``, the instrument across versions in ``malbild.versioner``.
Every function states its query cost, which never depends on the number of units.
"""
