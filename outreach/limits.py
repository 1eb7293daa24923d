"""Limits that no one feature owns: the largest integer the database takes."""

# PostgreSQL's `integer` (every id, and the counts stored beside them) is 32-bit signed. A bigger
# number is no record: binding it would overflow the query (OverflowError in SQLite's driver,
# DataError on PostgreSQL) instead of finding nothing, so readers refuse it first.
MAX_DB_INT = 2**31 - 1
