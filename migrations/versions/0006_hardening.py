"""hardening: recovery codes and remember tokens in tables of their own, the 2FA secret being
enrolled kept server-side, demo accounts flagged, outbox claims with a lease

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:10:00

"""
from alembic import op
import sqlalchemy as sa

import portal.database


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('recovery_code_hashes', sa.JSON))
codes = sa.table('recovery_codes', sa.column('user_id', sa.Integer),
                 sa.column('digest', sa.String), sa.column('keyed', sa.Boolean))


def upgrade():
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('keyed', sa.Boolean(), nullable=False),
        sa.Column('used_at', portal.database.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)
    op.create_table(
        'remember_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('device', sa.String(length=120), nullable=False),
        sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', portal.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', portal.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_remember_tokens_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_remember_tokens')),
        sa.UniqueConstraint('digest', name=op.f('uq_remember_tokens_digest')),
    )
    with op.batch_alter_table('remember_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remember_tokens_user_id'), ['user_id'], unique=False)

    # Existing recovery codes (unkeyed SHA-256 digests) keep working until used or replaced.
    rows = [{'user_id': user_id, 'digest': digest, 'keyed': False}
            for user_id, hashes in op.get_bind().execute(
                sa.select(users.c.id, users.c.recovery_code_hashes))
            for digest in hashes or []]
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_pending_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('is_demo', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.drop_column('recovery_code_hashes')
    if rows:
        op.bulk_insert(codes, rows)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', portal.database.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recovery_code_hashes', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))
        batch_op.drop_column('is_demo')
        batch_op.drop_column('totp_pending_secret')
    op.drop_table('remember_tokens')
    op.drop_table('recovery_codes')
