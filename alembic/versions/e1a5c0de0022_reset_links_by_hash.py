"""Password-reset links find their row by their secret's hash: a UNIQUE index on passwordreset.token_hash.

Reset links mailed before this revision were signed in another format: they now read as not valid, as claim
links did at e1a5c0de0017 (a reset link lives an hour; asking again mails a new one).

Revision ID: e1a5c0de0022
Revises: e1a5c0de0017
Create Date: 2026-12-04 18:10:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = 'e1a5c0de0022'
down_revision: Union[str, Sequence[str], None] = 'e1a5c0de0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('passwordreset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passwordreset_token_hash'), ['token_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('passwordreset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passwordreset_token_hash'))
