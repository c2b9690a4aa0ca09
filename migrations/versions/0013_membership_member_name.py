"""memberships carry the member's name: the leader's list pages by it through an index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_name', sa.String(length=80), server_default='',
                                      nullable=False))
    op.execute("UPDATE memberships SET member_name = (SELECT users.display_name FROM users "
               "WHERE users.id = memberships.user_id)")
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_council_status_name',
                              ['council_id', 'status', 'member_name', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_council_status_name')
        batch_op.drop_column('member_name')
