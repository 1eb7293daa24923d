"""Retention and erasure of person-level details (commands in outreach.retention.cli).

Person-level records are not deleted: their rows carry the monthly report's figures (and the
stock ledger's handouts), so deleting them would change every past report. Instead what links
a row to a person is removed: the client-code hash, free text (notes, place names, void
reasons) and the exact position (rounded to about 1 km). What stays is an anonymous event (a
kit handed out in a setting on a day), which is what the report counts. See
docs/audit-and-retention.md.
"""
