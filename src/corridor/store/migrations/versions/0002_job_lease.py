"""Job owners and leases, admin keys.

A job records the server that runs it (``owner``, ``owner_host``) and a lease the server renews
while it lives (``lease_until``): a starting or running server fails only the unfinished jobs
whose lease ran out. ``worker_started`` identifies the worker process beyond its pid (its start
time in clock ticks since boot, Linux), so an orphan can be stopped without hitting a process
that later reused the pid. ``api_keys.admin`` marks keys that may cancel any job.

Revision ID: 0002_job_lease
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_job_lease"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the owner and lease columns to jobs and the admin flag to keys."""
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("owner", sa.String(64), nullable=True))
        batch.add_column(sa.Column("owner_host", sa.String(255), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("worker_started", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(
            sa.Column("admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("admin")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("worker_started")
        batch.drop_column("lease_until")
        batch.drop_column("owner_host")
        batch.drop_column("owner")
