"""Rate limits leave the database: counts live in memory or Redis (the `limits` library) now.

Revision ID: 3f1c2a9b7e10
Revises: dd2dc8326ad0
Create Date: 2026-11-30 09:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '3f1c2a9b7e10'
down_revision: Union[str, Sequence[str], None] = 'dd2dc8326ad0'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('rateevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rateevent_key'))
        batch_op.drop_index(batch_op.f('ix_rateevent_created_at'))
    op.drop_table('rateevent')


def downgrade() -> None:
    op.create_table('rateevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rateevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rateevent_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rateevent_key'), ['key'], unique=False)
