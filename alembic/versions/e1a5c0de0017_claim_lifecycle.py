"""Claim lifecycle: a claim's orders in a join table, an order history, and mail stored as template + data.

Moves every claim's JSON list of order IDs into claimorder rows, writes the history that the old rows can tell
(placed, claim requested, link sent, and how each claim ended), and makes a claim's token hash unique.
Links mailed before this revision were signed in another format: they now read as not valid.

Revision ID: e1a5c0de0017
Revises: 19a0c0de0019
Create Date: 2026-12-04 17:00:00

"""
import json
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = 'e1a5c0de0017'
down_revision: Union[str, Sequence[str], None] = '19a0c0de0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# How each old status ended a claim, as a history event: (type, actor).
_ENDINGS = {"confirmed": ("confirmed", "customer"), "declined": ("declined", "order_email"),
            "cancelled": ("cancelled", "customer")}


def _ids(value) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return [item for item in value or [] if isinstance(item, str)]


def upgrade() -> None:
    bind = op.get_bind()
    when = sqlmodel.sql.sqltypes.UTCDateTime()
    orders = bind.execute(sa.text('SELECT id, customer_id, email, created_at FROM "order"')
                          .columns(created_at=when)).all()
    claims = bind.execute(sa.text(
        "SELECT id, customer_id, order_email, order_ids, status, created_at, decided_at FROM claimrequest "
        "ORDER BY created_at").columns(order_ids=sa.JSON(), created_at=when, decided_at=when)).all()

    # The claim table first, while no other table refers to it: on SQLite the batch rebuilds it (copy, drop,
    # rename), and dropping a table that rows of another refer to fails with foreign keys on.
    bind.execute(sa.text("UPDATE claimrequest SET token_hash = 'none:' || id WHERE token_hash = ''"))
    with op.batch_alter_table('claimrequest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.drop_column('order_ids')
        batch_op.create_index(batch_op.f('ix_claimrequest_token_hash'), ['token_hash'], unique=True)

    op.create_table('claimorder',
    sa.Column('claim_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('order_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claimrequest.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], ),
    sa.PrimaryKeyConstraint('claim_id', 'order_id')
    )
    with op.batch_alter_table('claimorder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claimorder_order_id'), ['order_id'], unique=False)

    op.create_table('orderevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('claim_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('orderevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orderevent_order_id'), ['order_id'], unique=False)

    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('data', sa.JSON(), nullable=True))

    claim_order = sa.table('claimorder', sa.column('claim_id'), sa.column('order_id'), sa.column('open', sa.Boolean))
    event = sa.table('orderevent', sa.column('order_id'), sa.column('type'), sa.column('actor'),
                     sa.column('customer_id'), sa.column('claim_id'), sa.column('email'),
                     sa.column('created_at', when))
    owners = {order_id: owner for order_id, owner, _, _ in orders}
    claimed: set[str] = set()
    links, events = [], []
    for claim_id, customer_id, order_email, raw_ids, status, created_at, decided_at in claims:
        order_ids = [order_id for order_id in dict.fromkeys(_ids(raw_ids)) if order_id in owners]
        for order_id in order_ids:
            links.append({"claim_id": claim_id, "order_id": order_id,
                          "open": status == "pending" and owners[order_id] is None})
            common = {"order_id": order_id, "claim_id": claim_id}
            events.append({**common, "type": "claim_requested", "actor": "customer", "customer_id": customer_id,
                           "email": None, "created_at": created_at})
            events.append({**common, "type": "link_sent", "actor": "system", "customer_id": None,
                           "email": order_email, "created_at": created_at})
            if status in _ENDINGS:
                kind, actor = _ENDINGS[status]
                events.append({**common, "type": kind, "actor": actor, "customer_id": customer_id,
                               "email": None, "created_at": decided_at or created_at})
                if status == "confirmed":
                    claimed.add(order_id)
    # An owned order no claim brought in was placed by its owner; every other one by a guest.
    placed = [{"order_id": order_id, "type": "placed", "claim_id": None, "email": email, "created_at": created_at,
               **({"actor": "customer", "customer_id": owner} if owner is not None and order_id not in claimed
                  else {"actor": "order_email", "customer_id": None})}
              for order_id, owner, email, created_at in orders]
    if links:
        op.bulk_insert(claim_order, links)
    if placed or events:
        op.bulk_insert(event, sorted(placed + events, key=lambda row: row["created_at"]))


def downgrade() -> None:
    bind = op.get_bind()
    grouped: dict[str, list[str]] = {}
    for claim_id, order_id in bind.execute(sa.text("SELECT claim_id, order_id FROM claimorder")).all():
        grouped.setdefault(claim_id, []).append(order_id)
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_column('data')
        batch_op.drop_column('template')
    with op.batch_alter_table('orderevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orderevent_order_id'))
    op.drop_table('orderevent')
    with op.batch_alter_table('claimorder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claimorder_order_id'))
    op.drop_table('claimorder')
    with op.batch_alter_table('claimrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claimrequest_token_hash'))
        batch_op.add_column(sa.Column('order_ids', sa.JSON(), nullable=True))
        batch_op.drop_column('superseded_by')
    claim = sa.table('claimrequest', sa.column('id'), sa.column('order_ids', sa.JSON))
    for claim_id in bind.execute(sa.text("SELECT id FROM claimrequest")).scalars().all():
        bind.execute(claim.update().where(claim.c.id == claim_id).values(order_ids=grouped.get(claim_id, [])))
    with op.batch_alter_table('claimrequest', schema=None) as batch_op:
        batch_op.alter_column('order_ids', existing_type=sa.JSON(), nullable=False)
