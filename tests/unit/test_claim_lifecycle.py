"""A claim's whole life, on SQLite and PostgreSQL: every transition, what each stale link says, races, history."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from storefront.models import ClaimRequest, Order, OrderEvent, utcnow
from storefront.services import claim_lifecycle, claim_links, claims, history, ratelimit, transfers
from storefront.services.errors import (
    ClaimAlreadyYours,
    ClaimCancelled,
    ClaimDeclined,
    ClaimJoinedElsewhere,
    ClaimSuperseded,
    ClaimTokenExpired,
    ClaimTokenUsed,
    NotFound,
)
from tests.factories import make_customer, make_guest_order
from tests.unit.claim_helpers import ask, at_once, claim_mails, confirm_twice_at_once, token_from


def pending_ids(session, customer) -> list[str]:
    return [c.claim.id for c in claims.list_claims(session=session, customer_id=customer.id)]


def statuses(session) -> list[str]:
    session.expire_all()
    return [c.status for c in session.exec(select(ClaimRequest).order_by(ClaimRequest.created_at,
                                                                         ClaimRequest.id)).all()]


def events(session, order_id) -> list[tuple[str, str]]:
    return [(e.type, e.actor) for e in session.exec(select(OrderEvent).where(OrderEvent.order_id == order_id)
                                                    .order_by(OrderEvent.id)).all()]


def owner(session, order_id):
    session.expire_all()
    return session.exec(select(Order.customer_id).where(Order.id == order_id)).one()


def test_pending_to_confirmed(any_session):
    s = any_session
    order = make_guest_order(s, email="guest@example.com").order
    ada = make_customer(s)
    token = ask(s, ada, [order.id])
    joined = claim_links.confirm_claim(session=s, customer_id=ada.id, token=token)
    assert [v.order.id for v in joined] == [order.id] and owner(s, order.id) == ada.id
    assert statuses(s) == ["confirmed"] and pending_ids(s, ada) == []
    assert events(s, order.id) == [("placed", "order_email"), ("claim_requested", "customer"),
                                   ("link_sent", "system"), ("confirmed", "customer")]


def test_pending_to_declined_tells_the_asker_and_ends_the_link(any_session):
    s = any_session
    order = make_guest_order(s, email="guest@example.com").order
    ada = make_customer(s, email="ada@example.com")
    token = ask(s, ada, [order.id])
    claim_links.decline_claim(session=s, token=token)
    assert statuses(s) == ["declined"] and pending_ids(s, ada) == []
    for use in (lambda: claim_links.confirm_claim(session=s, customer_id=ada.id, token=token),
                lambda: claim_links.decline_claim(session=s, token=token)):
        with pytest.raises(ClaimDeclined) as caught:
            use()
        assert "declined this claim on" in caught.value.message
    assert [m.to for m in claim_mails(s) if "declined" in m.subject.lower()] == ["ada@example.com"]
    assert events(s, order.id)[-1] == ("declined", "order_email") and owner(s, order.id) is None


def test_pending_to_cancelled(any_session):
    s = any_session
    order = make_guest_order(s).order
    ada = make_customer(s)
    token = ask(s, ada, [order.id])
    (claim_id,) = pending_ids(s, ada)
    with pytest.raises(NotFound):  # only the asker may cancel
        claims.cancel_claim(session=s, customer_id=make_customer(s).id, claim_id=claim_id)
    claims.cancel_claim(session=s, customer_id=ada.id, claim_id=claim_id)
    with pytest.raises(ClaimCancelled):
        claim_links.preview_claim(session=s, token=token)
    with pytest.raises(NotFound):
        claims.cancel_claim(session=s, customer_id=ada.id, claim_id=claim_id)
    assert statuses(s) == ["cancelled"] and events(s, order.id)[-1] == ("cancelled", "customer")


def test_pending_to_expired_is_the_clock_and_send_again_revives_it(any_session):
    s = any_session
    order = make_guest_order(s).order
    ada = make_customer(s)
    token = ask(s, ada, [order.id])
    later = utcnow() + timedelta(hours=2)
    with pytest.raises(ClaimTokenExpired):
        claim_links.confirm_claim(session=s, customer_id=ada.id, token=token, now=later)
    (claim,) = s.exec(select(ClaimRequest)).all()
    assert claim_lifecycle.state_of(claim, later) == "expired" and claims.list_claims(
        session=s, customer_id=ada.id, now=later) == []
    claims.resend_claim(session=s, customer_id=ada.id, claim_id=claim.id, now=later)
    assert claim_links.confirm_claim(session=s, customer_id=ada.id, token=token_from(claim_mails(s)[0]), now=later)
    assert statuses(s) == ["superseded", "confirmed"]


def test_send_again_supersedes_and_the_old_link_points_to_the_newer_one(any_session):
    s = any_session
    order = make_guest_order(s, email="guest@example.com").order
    ada = make_customer(s)
    old = ask(s, ada, [order.id])
    (first,) = pending_ids(s, ada)
    ratelimit.reset_all()
    newer = claims.resend_claim(session=s, customer_id=ada.id, claim_id=first)
    assert pending_ids(s, ada) == [newer.id] and statuses(s) == ["superseded", "pending"]
    for use in (lambda: claim_links.preview_claim(session=s, token=old),
                lambda: claim_links.confirm_claim(session=s, customer_id=ada.id, token=old),
                lambda: claim_links.decline_claim(session=s, token=old)):
        with pytest.raises(ClaimSuperseded) as caught:
            use()
        assert "newer" in caught.value.message and "guest@example.com" in caught.value.message
    with pytest.raises(NotFound):  # the replaced claim cannot be sent again either
        claims.resend_claim(session=s, customer_id=ada.id, claim_id=first)
    assert claim_links.confirm_claim(session=s, customer_id=ada.id, token=token_from(claim_mails(s)[0]))
    assert [t for t, _ in events(s, order.id)] == ["placed", "claim_requested", "link_sent", "resent", "link_sent",
                                                   "confirmed"]


def test_asking_again_replaces_the_open_claim_instead_of_adding_one(any_session):
    s = any_session
    order = make_guest_order(s).order
    ada = make_customer(s)
    tokens = [ask(s, ada, [order.id]) for _ in range(3)]
    assert len(pending_ids(s, ada)) == 1 and statuses(s) == ["superseded", "superseded", "pending"]
    claim_links.confirm_claim(session=s, customer_id=ada.id, token=tokens[-1])
    assert pending_ids(s, ada) == []
    with pytest.raises(ClaimSuperseded):  # an old link never ends in "Done" for an order already there
        claim_links.confirm_claim(session=s, customer_id=ada.id, token=tokens[0])


def test_asking_for_one_more_order_keeps_the_earlier_ones_in_the_new_claim(any_session):
    s = any_session
    a, b = (make_guest_order(s, email="guest@example.com").order for _ in range(2))
    ada = make_customer(s)
    ask(s, ada, [a.id])
    token = ask(s, ada, [a.id, b.id])
    assert len(pending_ids(s, ada)) == 1
    assert sorted(v.order.id for v in claim_links.confirm_claim(session=s, customer_id=ada.id, token=token)) == sorted(
        [a.id, b.id])


def test_another_customers_win_resolves_the_loser_and_says_so(any_session):
    s = any_session
    order = make_guest_order(s).order
    ada, bob = make_customer(s), make_customer(s)
    ada_token = ask(s, ada, [order.id])
    bob_token = ask(s, bob, [order.id])
    claim_links.confirm_claim(session=s, customer_id=bob.id, token=bob_token)
    assert pending_ids(s, ada) == [] and statuses(s) == ["resolved", "confirmed"]
    with pytest.raises(ClaimJoinedElsewhere) as caught:
        claim_links.confirm_claim(session=s, customer_id=ada.id, token=ada_token)
    assert "another account" in caught.value.message and bob.email not in caught.value.message
    with pytest.raises(ClaimJoinedElsewhere):
        claim_links.decline_claim(session=s, token=ada_token)
    assert ("resolved", "system") in events(s, order.id) and owner(s, order.id) == bob.id


def test_a_claim_of_two_orders_keeps_the_one_nobody_took(any_session):
    s = any_session
    a, b = (make_guest_order(s, email="guest@example.com").order for _ in range(2))
    ada, bob = make_customer(s), make_customer(s)
    ada_token = ask(s, ada, [a.id, b.id])
    claim_links.confirm_claim(session=s, customer_id=bob.id, token=ask(s, bob, [a.id]))
    assert claim_links.preview_claim(session=s, token=ada_token).orders[0].order.id == b.id
    joined = claim_links.confirm_claim(session=s, customer_id=ada.id, token=ada_token)
    assert [v.order.id for v in joined] == [b.id] and owner(s, a.id) == bob.id


def test_an_order_that_joined_the_askers_account_another_way(any_session):
    s = any_session
    order = make_guest_order(s).order
    ada = make_customer(s)
    token = ask(s, ada, [order.id])
    claim_lifecycle.join_account(s, order_ids=[order.id], customer_id=ada.id, now=utcnow())
    with pytest.raises(ClaimAlreadyYours) as caught:
        claim_links.preview_claim(session=s, token=token, viewer_id=ada.id)
    assert "already in your account" in caught.value.message
    with pytest.raises(ClaimJoinedElsewhere):  # anyone else is not told whose account
        claim_links.preview_claim(session=s, token=token)


@pytest.mark.parametrize("first", ["v1", "v2"])
def test_v1_claims_and_v2_transfers_resolve_each_other(any_session, first):
    s = any_session
    order = make_guest_order(s).order
    ada, bob = make_customer(s), make_customer(s)
    v1_token = ask(s, ada, [order.id])
    ratelimit.reset_all()
    transfers.request_transfer(session=s, customer_id=bob.id, order_id=order.id)
    v2_token = token_from(claim_mails(s)[0])
    if first == "v2":
        transfers.accept_transfer(session=s, customer_id=bob.id, order_id=order.id, token=v2_token)
        with pytest.raises(ClaimJoinedElsewhere):
            claim_links.confirm_claim(session=s, customer_id=ada.id, token=v1_token)
        assert events(s, order.id)[-2:] == [("transferred", "customer"), ("resolved", "system")]
    else:
        claim_links.confirm_claim(session=s, customer_id=ada.id, token=v1_token)
        with pytest.raises(ClaimJoinedElsewhere):
            transfers.accept_transfer(session=s, customer_id=bob.id, order_id=order.id, token=v2_token)
    assert statuses(s).count("resolved") == 1 and statuses(s).count("pending") == 0


def test_a_v2_transfer_request_replaces_the_same_customers_v1_claim(any_session):
    s = any_session
    order = make_guest_order(s).order
    ada = make_customer(s)
    old = ask(s, ada, [order.id])
    ratelimit.reset_all()
    transfers.request_transfer(session=s, customer_id=ada.id, order_id=order.id)
    assert len(pending_ids(s, ada)) == 1
    with pytest.raises(ClaimSuperseded):
        claim_links.preview_claim(session=s, token=old)


def test_eight_customers_confirming_one_order_at_once_end_with_one_owner(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        order = make_guest_order(s).order
        people = [make_customer(s) for _ in range(8)]
        tokens = [ask(s, person, [order.id]) for person in people]
        s.commit()

    def confirm(person, token):
        return lambda own: claim_links.confirm_claim(session=own, customer_id=person.id, token=token)

    outcomes = at_once(any_engine, [confirm(p, t) for p, t in zip(people, tokens, strict=True)])
    assert sorted(outcomes) == ["other_account"] * 7 + ["won"], outcomes
    with Session(any_engine) as s:
        assert owner(s, order.id) == people[outcomes.index("won")].id
        assert sorted(statuses(s)) == ["confirmed"] + ["resolved"] * 7
        assert [t for t, _ in events(s, order.id)].count("resolved") == 7


def test_two_confirms_of_one_link_at_once_exactly_one_wins(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        order = make_guest_order(s).order
        ada = make_customer(s)
        token = ask(s, ada, [order.id])
        s.commit()
    assert confirm_twice_at_once(any_engine, ada.id, token) == ["used", "won"]


def test_send_again_racing_a_confirm_of_the_old_link_ends_with_one_outcome(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        order = make_guest_order(s).order
        ada = make_customer(s)
        token = ask(s, ada, [order.id])
        (claim_id,) = pending_ids(s, ada)
        s.commit()

    def resend(own):
        try:
            claims.resend_claim(session=own, customer_id=ada.id, claim_id=claim_id)
        except NotFound as exc:
            raise ClaimTokenUsed() from exc  # the resend lost: its claim was confirmed first

    outcomes = at_once(any_engine, [lambda own: claim_links.confirm_claim(session=own, customer_id=ada.id, token=token),
                                    resend])
    with Session(any_engine) as s:
        if outcomes[0] == "won":  # confirmed; the resend found nothing pending
            assert outcomes[1] == "used" and statuses(s) == ["confirmed"] and owner(s, order.id) == ada.id
        else:  # resent first; the old link says so and changed nothing
            assert outcomes == ["superseded", "won"] and statuses(s) == ["superseded", "pending"]
            assert owner(s, order.id) is None


def test_the_order_story_is_for_its_owner_only(any_session):
    s = any_session
    order = make_guest_order(s, email="guest@example.com").order
    ada, bob = make_customer(s, first_name="Ada"), make_customer(s)
    claim_links.decline_claim(session=s, token=ask(s, ada, [order.id]))
    claim_links.confirm_claim(session=s, customer_id=ada.id, token=ask(s, ada, [order.id]))
    story = history.order_story(session=s, customer_id=ada.id, order_id=order.id)
    assert [line.type for line in story.events] == ["placed", "claim_requested", "link_sent", "declined",
                                                    "claim_requested", "link_sent", "confirmed"]
    assert story.events[0].message == "Placed as a guest with guest@example.com."
    assert "declined" in story.events[3].message and "Ada" in story.events[3].message
    messages = []
    for who, order_id in ((bob.id, order.id), (ada.id, "order_01J0000000000000000000000A"), (ada.id, "x" * 500)):
        with pytest.raises(NotFound) as caught:
            history.order_story(session=s, customer_id=who, order_id=order_id)
        messages.append(caught.value.message)
    assert len(set(messages)) == 1  # someone else's order reads exactly like one that does not exist


def test_the_email_owner_sees_the_requests_but_not_whose_account_it_joined(any_session):
    s = any_session
    order = make_guest_order(s).order
    ada, bob = make_customer(s, first_name="Ada"), make_customer(s, first_name="Bob")
    ada_token = ask(s, ada, [order.id])
    claim_links.confirm_claim(session=s, customer_id=bob.id, token=ask(s, bob, [order.id]))
    lines = claim_links.requests_history(session=s, token=ada_token)
    text = " ".join(line.message for line in lines)
    assert "Ada" in text and "Bob" in text  # both asked, and both requests were mailed to this address
    assert "joined an account" in text and "joined their account" not in text


def test_one_customer_asking_for_one_order_several_times_at_once_leaves_one_open_claim(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        order = make_guest_order(s).order
        ada = make_customer(s)
        ask(s, ada, [order.id])
        s.commit()

    def request(own):
        claims.request_claim(session=own, customer_id=ada.id, order_ids=[order.id])

    assert at_once(any_engine, [request] * 4) == ["won"] * 4  # each answered, none told "no longer pending"
    with Session(any_engine) as s:
        assert len(pending_ids(s, ada)) == 1 and sorted(statuses(s)) == ["pending"] + ["superseded"] * 4
