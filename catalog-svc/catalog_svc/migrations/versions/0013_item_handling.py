"""service items decided at once: each item's handling, a request's decision

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handling", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("handling_version", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("interaction_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interaction_requests", schema=None) as batch_op:
        batch_op.drop_column("decision")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_column("handling_version")
        batch_op.drop_column("handling")
