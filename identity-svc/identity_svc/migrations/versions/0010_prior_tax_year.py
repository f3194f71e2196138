"""prior tax year: taxes paid the year before, where the tax bureau holds that year

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('tax_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prior_tax_paid_fen', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tax_records', schema=None) as batch_op:
        batch_op.drop_column('prior_tax_paid_fen')
