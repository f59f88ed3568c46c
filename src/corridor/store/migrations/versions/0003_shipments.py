"""Shipments, their milestone events and their ETA forecasts.

Revision ID: 0003_shipments
Revises: 0002_job_lease
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_shipments"
down_revision = "0002_job_lease"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "shipments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.Column("destination", sa.String(64), nullable=False),
        sa.Column("depart", sa.Date(), nullable=False),
        sa.Column("service", sa.String(16), nullable=False),
        sa.Column("corridor", sa.String(16), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("deadline", _TS, nullable=True),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("arrived_at", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("api_keys.id"), nullable=True),
    )
    op.create_index("ix_shipments_status", "shipments", ["status"])
    op.create_index("ix_shipments_created_at", "shipments", ["created_at"])
    op.create_table(
        "shipment_events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "shipment_id",
            sa.String(36),
            sa.ForeignKey("shipments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(64), nullable=False),
        sa.Column("classifier", sa.String(3), nullable=False),
        sa.Column("event_type", sa.String(4), nullable=False),
        sa.Column("milestone", sa.String(3), nullable=False),
        sa.Column("node", sa.String(64), nullable=False),
        sa.Column("event_time", _TS, nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("api_keys.id"), nullable=True),
        sa.UniqueConstraint("shipment_id", "event_key", name="uq_shipment_event"),
    )
    op.create_index("ix_shipment_events_shipment_id", "shipment_events", ["shipment_id"])
    op.create_table(
        "shipment_forecasts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "shipment_id",
            sa.String(36),
            sa.ForeignKey("shipments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column(
            "event_id",
            sa.String(36),
            sa.ForeignKey("shipment_events.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("as_of", _TS, nullable=False),
        sa.Column("eta_p10", _TS, nullable=False),
        sa.Column("eta_p50", _TS, nullable=False),
        sa.Column("eta_p90", _TS, nullable=False),
        sa.Column("on_time_probability", sa.Float(), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("shipment_id", "stage", name="uq_shipment_forecast"),
    )
    op.create_index("ix_shipment_forecasts_shipment_id", "shipment_forecasts", ["shipment_id"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index("ix_shipment_forecasts_shipment_id", table_name="shipment_forecasts")
    op.drop_table("shipment_forecasts")
    op.drop_index("ix_shipment_events_shipment_id", table_name="shipment_events")
    op.drop_table("shipment_events")
    op.drop_index("ix_shipments_created_at", table_name="shipments")
    op.drop_index("ix_shipments_status", table_name="shipments")
    op.drop_table("shipments")
