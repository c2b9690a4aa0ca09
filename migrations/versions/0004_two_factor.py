"""two factor

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:50:12.547044

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        # Existing accounts need values for the new NOT NULL columns.
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=False,
                                      server_default=sa.text('0')))
        batch_op.add_column(sa.Column('recovery_code_hashes', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('recovery_code_hashes')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')

