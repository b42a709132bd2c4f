"""Athletes a user adds to the tagger's registry (`trackwire registry import FILE`).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Creates the table unless present (a store whose migration history was lost may have it)."""
    if "registryathlete" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "registryathlete",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("fold", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("sex", sa.String(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("events", sa.String(), nullable=False),
        sa.Column("aliases", sa.String(), nullable=False),
        sa.Column("wa_id", sa.String(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fold"),
    )


def downgrade() -> None:
    op.drop_table("registryathlete")
