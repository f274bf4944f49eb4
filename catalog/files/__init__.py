"""Untrusted files on disk: the one walker, the one way to open a file, and path text.

Every command that reads a user's folder goes through here, so import and validate see the same
files and refuse the same links, FIFOs and oversized files.
"""
