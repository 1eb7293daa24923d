"""The audit trail: who created, changed or viewed which record. Every feature writes to it
through `outreach.audit.services.record`; the page that reads it is `outreach.auditlog`."""
