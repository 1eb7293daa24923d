"""Correcting and voiding field records: who may, the void, what changed, and the history shown.

Handouts, outreach contacts and overdose reports each correct their own fields in their own
services; the rule of who may, the void itself, and the audit of both live here, once."""
