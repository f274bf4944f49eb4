"""The catalog file: its schema and migrations, the single writer and the queries.

Everything that reads or writes the catalog's tables goes through this package.
"""
