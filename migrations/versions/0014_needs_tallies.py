"""needs tallies: the sent answers of each round and country, counted for the dashboard; the
staff's list of reports by status or round in id order

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 02:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

SENT = "('submitted', 'under_review', 'acknowledged', 'returned', 'in_progress', 'resolved')"


def upgrade():
    op.create_table(
        'needs_tallies',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('choice', sa.String(length=64), nullable=False),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.Column('total', sa.Double(), nullable=True),
        sa.Column('low', sa.Double(), nullable=True),
        sa.Column('high', sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'],
                                name=op.f('fk_needs_tallies_question_id_survey_questions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['needs_rounds.id'],
                                name=op.f('fk_needs_tallies_round_id_needs_rounds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'country', 'question_id', 'choice',
                                name=op.f('pk_needs_tallies')),
    )
    with op.batch_alter_table('needs_reports', schema=None) as batch_op:
        batch_op.create_index('ix_needs_reports_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_needs_reports_round_id_id', ['round_id', 'id'], unique=False)
    # Reports sent before this revision are counted once, as the service counts them.
    op.execute(
        "INSERT INTO needs_tallies (round_id, country, question_id, choice, answers, total, low, "
        "high) SELECT r.round_id, c.country, a.question_id, a.choice, count(*), sum(a.number), "
        "min(a.number), max(a.number) FROM needs_answers a "
        "JOIN needs_reports r ON r.id = a.report_id JOIN councils c ON c.id = r.council_id "
        f"WHERE r.status IN {SENT} GROUP BY r.round_id, c.country, a.question_id, a.choice")


def downgrade():
    with op.batch_alter_table('needs_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_needs_reports_round_id_id')
        batch_op.drop_index('ix_needs_reports_status_id')
    op.drop_table('needs_tallies')
