"""Orders get Medusa's status, fulfillment_status and payment_status (the store API filters by them).

Every existing order was placed through checkout, which takes the payment at once and ships nothing, and no
order could be completed or cancelled yet: they are pending, captured and not fulfilled, which is what the
store API already answered for them, so no client sees an order change.

Revision ID: 19a0c0de0019
Revises: 7c4e1d2a9f30
Create Date: 2026-12-04 16:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '19a0c0de0019'
down_revision: Union[str, Sequence[str], None] = '7c4e1d2a9f30'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_COLUMNS = (('status', 20, 'pending'), ('fulfillment_status', 30, 'not_fulfilled'), ('payment_status', 30, 'captured'))


def upgrade() -> None:
    # batch_alter_table: SQLite cannot drop a server default in place. The defaults fill the existing rows,
    # then go: the model sets the value of every new order itself.
    with op.batch_alter_table('order') as batch:
        for name, length, value in _COLUMNS:
            batch.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False,
                                       server_default=value))
    with op.batch_alter_table('order') as batch:
        for name, _length, _value in _COLUMNS:
            batch.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('order') as batch:
        for name, _length, _value in reversed(_COLUMNS):
            batch.drop_column(name)
