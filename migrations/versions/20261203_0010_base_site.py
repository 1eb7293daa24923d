"""base site: the site a user works from, so a site's stock covers its peers' bags

users.site_id (nullable, indexed, fk_users_site_id_sites): the site a person is based at. A
site's stock in the monthly report is its store and the bags of the people based there. The
site must be one of the user's own organisation: admin.services.base_site refuses any other
(a CHECK cannot look into another table). Existing users start with no base site, so every
report reads as before until an administrator bases people at their sites.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_site_id'), ['site_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_users_site_id_sites'), 'sites', ['site_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_site_id_sites'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_site_id'))
        batch_op.drop_column('site_id')
