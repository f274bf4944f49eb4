"""One file and what travels with it (sidecars, manifest rows, article blocks) -> record + findings.

The layer shared by ``catalog import`` and ``catalog validate``: it neither walks folders nor
touches a database. Its work runs in the isolated workers of ``catalog.pool``.
"""
