"""recent payouts, for the public dashboard

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('recent_payouts',
    sa.Column('payout_id', sa.String(length=64), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minute', sa.BigInteger(), nullable=False),
    sa.Column('department_code', sa.String(length=20), nullable=False),
    sa.Column('district_code', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('payout_id', name=op.f('pk_recent_payouts'))
    )
    op.create_index(op.f('ix_recent_payouts_paid_at'), 'recent_payouts', ['paid_at'], unique=False)
    op.create_index(op.f('ix_recent_payouts_minute'), 'recent_payouts', ['minute'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_recent_payouts_minute'), table_name='recent_payouts')
    op.drop_index(op.f('ix_recent_payouts_paid_at'), table_name='recent_payouts')
    op.drop_table('recent_payouts')
