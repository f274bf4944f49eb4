"""The metadata linter behind ``catalog validate``: configuration, selection, baseline, reports.

``run.validate`` checks files and returns a ``report.Report``; ``formats`` renders it as text,
JSON, JSON lines, GitHub workflow annotations, JUnit XML or SARIF. Reading the files is the job of
``catalog.readers`` and the per-file analysis; nothing here decodes pixels or writes to a file it
checks.
"""
