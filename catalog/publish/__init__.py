"""``catalog publish``: the public catalog, built fresh from an allow-list.

Kept apart from ``catalog.web`` so that the Datasette plugin never loads the builder.
"""
