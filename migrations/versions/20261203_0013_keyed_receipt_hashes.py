"""keyed receipt hashes: api_receipts.payload_sha256 becomes payload_mac (an HMAC)

An API receipt kept a plain SHA-256 of the record a device sent, and a record may hold the
client code's digest (SHA-256 of "II|YYYY-MM-DD|S"). Anyone holding the table could then try a
year of birth dates, initials and sexes against it in under a second, with no key. The column
now holds HMAC-SHA256(k, SHA-256 of the payload), k a key derived from CLIENT_CODE_KEY for
receipts only (outreach.clientcode.receipt_mac); it is renamed so no code or reader takes it
for a plain hash.

Upgrade converts every receipt exactly: new value = HMAC(k, old value), since the old value is
the SHA-256 the new function keys. So a tablet sending an old record again is still answered
"already stored", and the same id with another record still 409. The key is read from the
running app's config (migrations run inside the app, migrations/env.py), as the app reads it.

Downgrade cannot undo an HMAC: it deletes the receipts and renames the column back. That is
safe: a record sent again with no receipt is found by its unique client_id and answered
"already stored" when the same user of the same organisation sends it (api/records.py
answer_page_record), which is what a tablet's retry is.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:00:00

"""
import hashlib
import hmac

from alembic import op
import sqlalchemy as sa
from flask import current_app


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

receipts = sa.table(
    'api_receipts',
    sa.column('client_id', sa.String),
    sa.column('payload_sha256', sa.String),
)


def _receipt_key() -> bytes:
    # As outreach.clientcode.derived_key(CLIENT_CODE_KEY, "api-receipt") at this revision.
    key = current_app.config['CLIENT_CODE_KEY']
    return hmac.new(key.encode('utf-8'), b'outreach:api-receipt', hashlib.sha256).digest()


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(receipts.c.client_id, receipts.c.payload_sha256)).all()
    if rows:
        k = _receipt_key()
        keyed = [
            {'id': cid, 'mac': hmac.new(k, old.encode('ascii'), hashlib.sha256).hexdigest()}
            for cid, old in rows
        ]
        conn.execute(
            receipts.update()
            .where(receipts.c.client_id == sa.bindparam('id'))
            .values(payload_sha256=sa.bindparam('mac')),
            keyed,
        )
    with op.batch_alter_table('api_receipts', schema=None) as batch_op:
        batch_op.alter_column('payload_sha256', new_column_name='payload_mac')


def downgrade():
    op.execute('DELETE FROM api_receipts')
    with op.batch_alter_table('api_receipts', schema=None) as batch_op:
        batch_op.alter_column('payload_mac', new_column_name='payload_sha256')
