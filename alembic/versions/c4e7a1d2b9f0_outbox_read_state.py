"""Outbox messages remember when they were first opened (the viewer's header link counts the unread).

Revision ID: c4e7a1d2b9f0
Revises: 8b2d4e6f1a30
Create Date: 2026-11-30 10:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = 'c4e7a1d2b9f0'
down_revision: Union[str, Sequence[str], None] = '8b2d4e6f1a30'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_column('read_at')
