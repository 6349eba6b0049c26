"""The first schema: releases, index polls, gate runs, environments, probe
results, API diffs and constraint decisions.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0001'
down_revision: str | None = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        'releases',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('project', sa.String(200), nullable=False),
        sa.Column('version', sa.String(100), nullable=False),
        sa.Column('yanked', sa.Boolean, nullable=False),
        sa.Column('first_seen', _TIME, nullable=False),
        sa.UniqueConstraint('project', 'version'),
    )
    op.create_table(
        'index_polls',
        sa.Column('project', sa.String(200), primary_key=True),
        sa.Column('etag', sa.String(500)),
        sa.Column('polled_at', _TIME, nullable=False),
    )
    op.create_table(
        'gate_runs',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('upstream', sa.String(200), nullable=False),
        sa.Column('baseline', sa.String(500), nullable=False),
        sa.Column('candidate', sa.String(500), nullable=False),
        sa.Column('started_at', _TIME, nullable=False),
        sa.Column('finished_at', _TIME),
        sa.Column('verdict', sa.String(40), nullable=False),
        sa.Column('verdict_reason', sa.Text, nullable=False),
        sa.Column('regressed', sa.Text, nullable=False),
        sa.Column('flaky', sa.Text, nullable=False),
    )
    op.create_index('ix_gate_runs_upstream_started', 'gate_runs',
                    ['upstream', 'started_at'])
    op.create_table(
        'environments',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('run_id', sa.Integer,
                  sa.ForeignKey('gate_runs.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('side', sa.String(20), nullable=False),
        sa.Column('spec', sa.String(500), nullable=False),
        sa.Column('python', sa.String(40)),
        sa.Column('downstream', sa.String(500)),
        sa.Column('kind', sa.String(40), nullable=False),
        sa.Column('key', sa.String(200), nullable=False),
        sa.Column('version', sa.String(100)),
        sa.Column('reused', sa.Boolean, nullable=False),
        sa.Column('seconds', sa.Float, nullable=False),
        sa.Column('error', sa.Text),
    )
    op.create_index('ix_environments_run_id', 'environments', ['run_id'])
    op.create_table(
        'probe_results',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('run_id', sa.Integer,
                  sa.ForeignKey('gate_runs.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('job_key', sa.String(1000), nullable=False),
        sa.Column('side', sa.String(20), nullable=False),
        sa.Column('version', sa.String(500), nullable=False),
        sa.Column('python', sa.String(40), nullable=False),
        sa.Column('downstream', sa.String(500), nullable=False),
        sa.Column('attempt', sa.Integer, nullable=False),
        sa.Column('probe', sa.String(1000), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('message', sa.Text, nullable=False),
        sa.Column('cause', sa.String(100)),
        sa.Column('duration', sa.Float, nullable=False),
    )
    op.create_index('ix_probe_results_run_id', 'probe_results', ['run_id'])
    op.create_index('ix_probe_results_probe', 'probe_results',
                    ['probe', 'side'])
    op.create_table(
        'api_diffs',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('run_id', sa.Integer,
                  sa.ForeignKey('gate_runs.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('probe', sa.String(1000), nullable=False),
        sa.Column('explanation', sa.Text, nullable=False),
    )
    op.create_index('ix_api_diffs_run_id', 'api_diffs', ['run_id'])
    op.create_table(
        'constraint_decisions',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('run_id', sa.Integer,
                  sa.ForeignKey('gate_runs.id', ondelete='SET NULL')),
        sa.Column('file', sa.String(1000), nullable=False),
        sa.Column('project', sa.String(200), nullable=False),
        sa.Column('pinned', sa.String(100), nullable=False),
        sa.Column('candidate', sa.String(100), nullable=False),
        sa.Column('decision', sa.String(20), nullable=False),
        sa.Column('reason', sa.Text, nullable=False),
        sa.Column('decided_at', _TIME, nullable=False),
    )
    op.create_index('ix_constraint_decisions_project',
                    'constraint_decisions', ['project', 'candidate'])


def downgrade() -> None:
    """Drop every table."""
    for table in ('constraint_decisions', 'api_diffs', 'probe_results',
                  'environments', 'gate_runs', 'index_polls', 'releases'):
        op.drop_table(table)
