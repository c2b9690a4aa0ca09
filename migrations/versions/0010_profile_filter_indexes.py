"""indexes for the staff member filters: (country, user_id) and (governorate, user_id), which
serve the filter and the newest-first order at once

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:20:00

"""
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_country')
        batch_op.drop_index('ix_profiles_governorate')
        batch_op.create_index('ix_profiles_country_user_id', ['country', 'user_id'], unique=False)
        batch_op.create_index('ix_profiles_governorate_user_id', ['governorate', 'user_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_governorate_user_id')
        batch_op.drop_index('ix_profiles_country_user_id')
        batch_op.create_index('ix_profiles_governorate', ['governorate'], unique=False)
        batch_op.create_index('ix_profiles_country', ['country'], unique=False)
