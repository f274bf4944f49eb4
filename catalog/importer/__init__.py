"""``catalog import``: the pipeline that takes folders of images into a catalog.

Stages, each with a name (``pipeline``): scan (``catalog.files.walk``), diff against the catalog,
analyse in isolated workers (``catalog.analysis`` through ``catalog.pool``), write (one writer,
``catalog.store``), reconcile the whole-set rules. ``tabulate`` turns an analysis into the rows the
store takes; ``progress`` shows the run on a terminal.
"""
