"""offsets against clawbacks, refunds through the bank

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offset_fen', sa.BigInteger(), server_default='0', nullable=False))

    with op.batch_alter_table('clawbacks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offset_held_fen', sa.BigInteger(), server_default='0', nullable=False))

    with op.batch_alter_table('clawback_repayments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payer_account_no', sa.String(length=40), nullable=True))

    op.create_table('payout_offsets',
    sa.Column('payout_id', sa.String(length=36), nullable=False),
    sa.Column('clawback_id', sa.String(length=36), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['clawback_id'], ['clawbacks.id'], name=op.f('fk_payout_offsets_clawback_id_clawbacks')),
    sa.ForeignKeyConstraint(['payout_id'], ['payouts.id'], name=op.f('fk_payout_offsets_payout_id_payouts')),
    sa.PrimaryKeyConstraint('payout_id', 'clawback_id', name=op.f('pk_payout_offsets'))
    )
    op.create_table('refunds',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('repayment_id', sa.String(length=64), nullable=False),
    sa.Column('clawback_id', sa.String(length=36), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('account_no', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('bank_reference', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['clawback_id'], ['clawbacks.id'], name=op.f('fk_refunds_clawback_id_clawbacks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('repayment_id', name=op.f('uq_refunds_repayment_id'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_clawback_id'), ['clawback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_uscc'), ['uscc'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_uscc'))
        batch_op.drop_index(batch_op.f('ix_refunds_clawback_id'))
    op.drop_table('refunds')
    op.drop_table('payout_offsets')
    with op.batch_alter_table('clawback_repayments', schema=None) as batch_op:
        batch_op.drop_column('payer_account_no')
    with op.batch_alter_table('clawbacks', schema=None) as batch_op:
        batch_op.drop_column('offset_held_fen')
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.drop_column('offset_fen')
