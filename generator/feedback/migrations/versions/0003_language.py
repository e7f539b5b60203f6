"""The language a team answered the form in (``en`` or ``cy``), for a site in English and Welsh.

Rows stored before it are in English, the only language a site had.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("language", sa.Text(), nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("language")
