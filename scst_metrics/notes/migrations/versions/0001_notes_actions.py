"""Commentary and actions, each with an audit table (who, when, what it was before).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("indicator_id", sa.String(100), nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("hub_id", sa.String(50)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("notes_by_indicator", "notes", ["indicator_id", "hub_id", "month"])
    op.create_table(
        "note_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("previous_text", sa.Text),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", WHEN, nullable=False),
    )
    op.create_index("note_audit_by_note", "note_audit", ["note_id"])
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("indicator_id", sa.String(100), nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("hub_id", sa.String(50)),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("actions_by_indicator", "actions", ["indicator_id", "hub_id", "month"])
    op.create_table(
        "action_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", WHEN, nullable=False),
    )
    op.create_index("action_audit_by_action", "action_audit", ["action_id"])


def downgrade() -> None:
    op.drop_table("action_audit")
    op.drop_table("actions")
    op.drop_table("note_audit")
    op.drop_table("notes")
