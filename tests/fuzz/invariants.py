"""What must hold in the database after any request, whatever it was sent: a record is whole
or absent. Each check is one query that returns the rows breaking it (none expected)."""

from __future__ import annotations

from sqlalchemy import func, select, text

from outreach.extensions import db

# Tables a refused form may still write: the audit log (a refusal is audited), the throttle
# counters and the login failures (a refusal counts towards them).
BOOKKEEPING = {"audit_events", "audit_chain_head", "throttle_counts"}

CHECKS = {
    "a balance differs from the sum of its movements": """
        SELECT b.holding_id, b.batch_id, b.quantity, COALESCE(m.net, 0)
        FROM stock_balances b LEFT JOIN (
            SELECT holding, batch_id, SUM(q) AS net FROM (
                SELECT to_holding_id AS holding, batch_id, quantity AS q FROM stock_movements
                WHERE to_holding_id IS NOT NULL
                UNION ALL
                SELECT from_holding_id, batch_id, -quantity FROM stock_movements
                WHERE from_holding_id IS NOT NULL) t
            GROUP BY holding, batch_id) m
        ON m.holding = b.holding_id AND m.batch_id = b.batch_id
        WHERE b.quantity <> COALESCE(m.net, 0) OR b.quantity < 0""",
    "movements into a holding with no balance row": """
        SELECT m.to_holding_id, m.batch_id FROM stock_movements m
        LEFT JOIN stock_balances b ON b.holding_id = m.to_holding_id AND b.batch_id = m.batch_id
        WHERE m.to_holding_id IS NOT NULL AND b.holding_id IS NULL""",
    "a handout that took a batch without its one matching movement": """
        SELECT h.id FROM handouts h
        LEFT JOIN stock_movements m ON m.handout_id = h.id AND m.kind = 'handout'
        WHERE h.batch_id IS NOT NULL
          AND (m.id IS NULL OR m.batch_id <> h.batch_id OR m.quantity <> h.quantity)""",
    "a handout movement without its handout's batch": """
        SELECT m.id FROM stock_movements m JOIN handouts h ON h.id = m.handout_id
        WHERE m.kind = 'handout' AND h.batch_id IS NULL""",
    "a live handout of a stock-keeping organisation that took no kits": """
        SELECT h.id FROM handouts h JOIN organisations o ON o.id = h.org_id
        WHERE o.tracks_stock AND h.batch_id IS NULL AND h.voided_at IS NULL
          AND h.kind <> 'tally' AND h.created_at >= :since""",
    "a contact with no service": """
        SELECT c.id FROM outreach_contacts c
        WHERE NOT EXISTS (SELECT 1 FROM contact_services s WHERE s.contact_id = c.id)""",
    "a training session with nobody attending": """
        SELECT t.id FROM training_sessions t
        WHERE NOT EXISTS (SELECT 1 FROM training_attendances a WHERE a.session_id = t.id)""",
    "a stock receipt with no receipt movement": """
        SELECT r.id FROM stock_receipts r
        WHERE NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.receipt_id = r.id)""",
    "a fulfilled resupply request with no kits moved": """
        SELECT r.id FROM resupply_requests r
        WHERE r.status = 'fulfilled' AND (r.fulfilled_at IS NULL OR NOT EXISTS (
            SELECT 1 FROM stock_movements m WHERE m.request_id = r.id))""",
}


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def broken(since) -> dict[str, list]:
    """The checks that fail, with the rows that break them."""
    out = {}
    for name, sql in CHECKS.items():
        params = {"since": since} if ":since" in sql else {}
        rows = db.session.execute(text(sql), params).all()
        if rows:
            out[name] = rows[:5]
    return out
