"""commitments to a service item (告知承诺制): the item's code

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("credit_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_code", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credit_records", schema=None) as batch_op:
        batch_op.drop_column("service_code")
