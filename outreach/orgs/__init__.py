"""Organisations, their sites and partnerships: who a record belongs to."""
