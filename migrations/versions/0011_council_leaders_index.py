"""an index for a council's leaders: the council page names them whatever the council's size

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:50:00

"""
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_council_role', ['council_id', 'role', 'status'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_council_role')
