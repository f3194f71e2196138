"""the bank clearing account exists up front

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 04:50:00

Budgets now open the clearing account when they are funded, and a payout no longer
opens it; a database whose budgets were funded before gets it here.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO accounts (id, kind, currency, created_at) "
        "SELECT 'bank:clearing', 'clearing', 'CNY', CURRENT_TIMESTAMP "
        "WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE id = 'bank:clearing')"
    )


def downgrade() -> None:
    pass  # the account may carry entries by then: it stays
