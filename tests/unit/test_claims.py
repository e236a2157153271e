"""Asking for a claim link: what is mailed, to whom, how often, and what the link itself refuses."""

from datetime import timedelta

import pytest
from sqlmodel import select

from storefront import config
from storefront.models import ClaimRequest, Order, OutboxMessage, utcnow
from storefront.services import claim_links, claims, inputs, outbox
from storefront.services.errors import (
    ClaimForbidden,
    ClaimTokenExpired,
    ClaimTokenInvalid,
    ClaimTokenUsed,
    InvalidInput,
    TooManyAttempts,
)
from storefront.services.tokens import LinkSigner
from tests.factories import make_customer, make_guest_order, within
from tests.unit.claim_helpers import ask, claim_mails, link_token, token_from
from tests.unit.conftest import TEST_KEYS


def request(session, customer, ids, **kwargs):
    return claims.request_claim(session=session, customer_id=customer.id, order_ids=ids, **kwargs)


def test_happy_path_one_order(session):
    order = make_guest_order(session, email="guest@example.com").order
    customer = make_customer(session, email="ada@example.com")
    assert request(session, customer, [order.id]) == 1
    (mail,) = claim_mails(session)
    assert mail.to == "guest@example.com"
    assert "Confirm" in mail.subject and "claim" in mail.subject
    assert order.id in mail.text and "ada@example.com" in mail.text.replace("\u200b", "")  # as a reader sees it
    links = outbox.links(mail)
    assert [link.split("?")[0] for link in links] == ["http://shop.test/verify/", "http://shop.test/decline/"]
    token = token_from(mail)
    assert link_token(mail, "/decline/") == token  # one link, two pages
    preview = claim_links.preview_claim(session=session, token=token)
    assert [o.order.id for o in preview.orders] == [order.id] and preview.customer.id == customer.id
    assert session.get(Order, order.display_id).customer_id is None  # preview changes nothing
    joined = claim_links.confirm_claim(session=session, customer_id=customer.id, token=token)
    assert [o.order.id for o in joined] == [order.id]
    stored = session.exec(select(Order).where(Order.id == order.id)).one()
    assert stored.customer_id == customer.id
    assert stored.email == "guest@example.com"  # keeps the email it was placed with


def test_the_request_stores_the_mail_unrendered_and_the_first_reader_renders_it(session):
    order = make_guest_order(session, email="guest@example.com").order
    outbox.render_due(session=session)
    request(session, make_customer(session), [order.id])
    (stored,) = session.exec(select(OutboxMessage).where(OutboxMessage.template == "claim_request")).all()
    assert stored.subject == "" and stored.data["order_ids"] == [order.id]  # nothing rendered on the request path
    (mail,) = claim_mails(session)
    assert mail.id == stored.id and "Confirm" in mail.subject and mail.template is None and mail.data is None


def test_several_orders_same_email_one_mail(session):
    ids = [make_guest_order(session, email="guest@example.com").order.id for _ in range(3)]
    customer = make_customer(session)
    request(session, customer, "\n".join(ids[:2]) + ", " + ids[2])
    (mail,) = claim_mails(session)
    joined = claim_links.confirm_claim(session=session, customer_id=customer.id, token=token_from(mail))
    assert sorted(o.order.id for o in joined) == sorted(ids)


def test_two_emails_two_mails_each_link_covers_its_own_orders(session):
    a = make_guest_order(session, email="one@example.com").order
    b = make_guest_order(session, email="two@example.com").order
    customer = make_customer(session)
    request(session, customer, [a.id, b.id])
    mails = claim_mails(session)
    assert sorted(m.to for m in mails) == ["one@example.com", "two@example.com"]
    for mail in mails:
        joined = claim_links.confirm_claim(session=session, customer_id=customer.id, token=token_from(mail))
        assert [o.order.email for o in joined] == [mail.to]


def test_order_with_the_accounts_own_email_still_needs_the_link(session):
    customer = make_customer(session, email="same@example.com")
    order = make_guest_order(session, email="other@example.com").order
    session.get(Order, order.display_id).email = "same@example.com"
    request(session, customer, [order.id])
    assert session.get(Order, order.display_id).customer_id is None
    assert [m.to for m in claim_mails(session)] == ["same@example.com"]


def test_unknown_and_owned_ids_get_the_same_answer_and_no_mail(session):
    customer = make_customer(session)
    owned = make_guest_order(session).order
    session.get(Order, owned.display_id).customer_id = make_customer(session).id
    unknown = "order_01J0000000000000000000000A"
    assert request(session, customer, [unknown]) == request(session, customer, [owned.id]) == 1
    assert claim_mails(session) == []


@pytest.mark.parametrize(("raw", "words"), [
    ([], "at least one"), ("", "at least one"), ("   ,, ", "at least one"), ("order_nope", "not an order ID"),
    ([f"order_01J{'0' * 21}{i:02d}" for i in range(21)], "at most"), ("x" * 3000, "at most"),
    ([{"id": 1}], "not an order ID"), ("order_\x00", "not an order ID"),
    (42, "must be a list"),
])
def test_malformed_empty_and_oversized_input(session, raw, words):
    customer = make_customer(session)
    with pytest.raises(InvalidInput) as caught:
        request(session, customer, raw)
    assert words in caught.value.message
    assert claim_mails(session) == []


def test_ids_are_normalized_and_deduplicated(session):
    order = make_guest_order(session).order
    pasted = f"  {order.id.lower().replace('order_', 'ORDER_')}\n{order.id} ; {order.id}"
    assert inputs.order_ids(pasted) == [order.id]


def test_the_customer_limit_is_told_honestly_and_sends_nothing(session, limit_clock):
    customer = make_customer(session)
    order = make_guest_order(session).order
    for _ in range(claims.CUSTOMER_LIMIT):
        request(session, customer, [order.id])
    before = len(outbox.list_messages(session=session))
    with pytest.raises(TooManyAttempts) as caught:
        request(session, customer, [order.id])
    assert "asked for 5 links" in caught.value.message and caught.value.retry_after > 0
    assert len(outbox.list_messages(session=session)) == before
    limit_clock.advance(3601)
    request(session, customer, [order.id])  # an hour on, the customer may ask again


def test_rate_limit_per_order_across_customers(session):
    order = make_guest_order(session).order
    for _ in range(claims.ORDER_LIMIT + 3):
        request(session, make_customer(session), [order.id])
    assert len(claim_mails(session)) == claims.ORDER_LIMIT


def issued(session, email="guest@example.com"):
    order = make_guest_order(session, email=email).order
    customer = make_customer(session)
    return customer, order, ask(session, customer, [order.id])


def test_replay_is_refused_and_says_when_it_was_used(session):
    customer, _, token = issued(session)
    claim_links.confirm_claim(session=session, customer_id=customer.id, token=token)
    for use in (lambda: claim_links.confirm_claim(session=session, customer_id=customer.id, token=token),
                lambda: claim_links.preview_claim(session=session, token=token)):
        with pytest.raises(ClaimTokenUsed) as caught:
            use()
        assert "already used, on" in caught.value.message and "UTC" in caught.value.message


def test_the_row_is_the_one_clock_and_changing_the_setting_moves_no_issued_link(session, monkeypatch):
    customer, _, token = issued(session)
    (claim,) = session.exec(select(ClaimRequest)).all()
    assert claim.expires_at - claim.created_at == timedelta(seconds=3600)
    monkeypatch.setenv("CLAIM_TOKEN_MAX_AGE", "60")  # lowering it later does not cut links already mailed
    config.get_settings.cache_clear()
    claim_links.preview_claim(session=session, token=token, now=claim.expires_at)  # usable up to the second
    with pytest.raises(ClaimTokenExpired) as caught:
        claim_links.confirm_claim(session=session, customer_id=customer.id, token=token,
                             now=claim.expires_at + timedelta(seconds=1))
    assert "expired on" in caught.value.message
    claim_links.confirm_claim(session=session, customer_id=customer.id, token=token, now=claim.expires_at)


def test_tampered_made_up_and_rotated_out_keys(session, monkeypatch):
    customer, _, token = issued(session)
    for bad in (token[:-3] + "abc", "x" * 300, "ü" + token, "", LinkSigner(TEST_KEYS).new()[0]):
        with pytest.raises(ClaimTokenInvalid):
            claim_links.confirm_claim(session=session, customer_id=customer.id, token=bad)
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", "a-brand-new-key")  # the signing key retired: its links die
    config.get_settings.cache_clear()
    with pytest.raises(ClaimTokenInvalid):
        claim_links.preview_claim(session=session, token=token)
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", f"a-brand-new-key,{TEST_KEYS[0]}")  # rotated: still verifies
    config.get_settings.cache_clear()
    assert claim_links.confirm_claim(session=session, customer_id=customer.id, token=token)


def test_wrong_customer_is_forbidden_and_changes_nothing(session):
    _, order, token = issued(session)
    stranger = make_customer(session)
    with pytest.raises(ClaimForbidden):
        claim_links.confirm_claim(session=session, customer_id=stranger.id, token=token)
    assert session.get(Order, order.display_id).customer_id is None
    assert claim_links.preview_claim(session=session, token=token)  # still usable by the asker


def test_a_claim_link_is_no_reset_link_and_the_other_way_round(session):
    from storefront.services import password_reset
    from storefront.services.errors import ResetLinkError

    customer, _, token = issued(session)
    with pytest.raises(ResetLinkError):
        password_reset.reset_password(transaction=within(session), token=token, password="a new long passphrase")
    assert claim_links.preview_claim(session=session, token=token).customer.id == customer.id


def test_expired_pending_claims_leave_the_pending_list(session):
    customer, _, _ = issued(session)
    (claim,) = session.exec(select(ClaimRequest)).all()
    assert [c.claim.id for c in claims.list_claims(session=session, customer_id=customer.id)] == [claim.id]
    later = utcnow() + timedelta(hours=2)
    assert claims.list_claims(session=session, customer_id=customer.id, now=later) == []
