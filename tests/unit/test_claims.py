import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select

from storefront.models import ClaimRequest, Order, OutboxMessage, utcnow
from storefront.services import claims, outbox
from storefront.services.errors import (
    ClaimCancelled,
    ClaimDeclined,
    ClaimForbidden,
    ClaimTokenExpired,
    ClaimTokenInvalid,
    ClaimTokenUsed,
    InvalidInput,
    NotFound,
    TooManyAttempts,
)
from storefront.services.tokens import ClaimTokenSigner
from tests.factories import make_customer, make_guest_order


def claim_mails(session, to=None):
    return [m for m in outbox.list_messages(session=session, to=to) if "claim" in m.subject.lower()]


def token_from(message: OutboxMessage) -> str:
    verify = [link for link in outbox.links(message) if "/verify/?" in link]
    assert len(verify) == 1
    return parse_qs(urlsplit(verify[0]).query)["token"][0]


def request(session, customer, ids, signer):
    return claims.request_claim(session=session, customer_id=customer.id, order_ids=ids, signer=signer)


def test_happy_path_one_order(session, signer):
    order = make_guest_order(session, email="guest@example.com").order
    customer = make_customer(session, email="ada@example.com")
    assert request(session, customer, [order.id], signer) == 1
    (mail,) = claim_mails(session)
    assert mail.to == "guest@example.com"
    assert "Confirm" in mail.subject and "claim" in mail.subject
    assert order.id in mail.text and "ada@example.com" in mail.text.replace("\u200b", "")  # as a reader sees it
    links = outbox.links(mail)
    assert [link.split("?")[0] for link in links] == ["http://shop.test/verify/", "http://shop.test/decline/"]
    token = token_from(mail)
    preview = claims.preview_claim(session=session, token=token, signer=signer)
    assert [o.order.id for o in preview.orders] == [order.id] and preview.customer.id == customer.id
    assert session.get(Order, order.display_id).customer_id is None  # preview changes nothing
    joined = claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=signer)
    assert [o.order.id for o in joined] == [order.id]
    stored = session.exec(select(Order).where(Order.id == order.id)).one()
    assert stored.customer_id == customer.id
    assert stored.email == "guest@example.com"  # keeps the email it was placed with


def test_several_orders_same_email_one_mail(session, signer):
    ids = [make_guest_order(session, email="guest@example.com").order.id for _ in range(3)]
    customer = make_customer(session)
    request(session, customer, "\n".join(ids[:2]) + ", " + ids[2], signer)
    (mail,) = claim_mails(session)
    joined = claims.confirm_claim(session=session, customer_id=customer.id, token=token_from(mail), signer=signer)
    assert sorted(o.order.id for o in joined) == sorted(ids)


def test_two_emails_two_mails_each_link_covers_its_own_orders(session, signer):
    a = make_guest_order(session, email="one@example.com").order
    b = make_guest_order(session, email="two@example.com").order
    customer = make_customer(session)
    request(session, customer, [a.id, b.id], signer)
    mails = claim_mails(session)
    assert sorted(m.to for m in mails) == ["one@example.com", "two@example.com"]
    for mail in mails:
        joined = claims.confirm_claim(session=session, customer_id=customer.id, token=token_from(mail), signer=signer)
        assert [o.order.email for o in joined] == [mail.to]


def test_order_with_the_accounts_own_email_still_needs_the_link(session, signer):
    order = make_guest_order(session, email="same@example.com").order
    customer = make_customer(session, email="other@example.com")
    customer.email = "same@example.com"  # e.g. the account was registered after the order
    request(session, customer, [order.id], signer)
    assert session.exec(select(Order).where(Order.id == order.id)).one().customer_id is None
    assert len(claim_mails(session)) == 1


def test_unknown_and_owned_ids_get_the_same_answer_and_no_mail(session, signer):
    owner = make_customer(session)
    owned = make_guest_order(session).order
    owned_row = session.exec(select(Order).where(Order.id == owned.id)).one()
    owned_row.customer_id = owner.id
    customer = make_customer(session)
    unknown = "order_01JABCDEFGHJKMNPQRSTVWXYZ0"
    assert request(session, customer, [unknown], signer) == request(session, customer, [owned.id], signer) == 1
    assert claim_mails(session) == []
    assert session.exec(select(ClaimRequest)).all() == []


@pytest.mark.parametrize(
    ("raw", "words"),
    [([], "at least one"), ("", "at least one"), ("  , \n", "at least one"), (["nope"], "“nope” is not an order ID"),
     ([42], "not an order ID"), ("order_123", "not an order ID"), ({"id": 1}, "must be a list"),
     ([f"order_01JABCDEFGHJKMNPQRSTVWXY{i:02d}" for i in range(21)], "at most 20")],
)
def test_malformed_empty_and_oversized_input(session, signer, raw, words):
    customer = make_customer(session)
    with pytest.raises(InvalidInput) as excinfo:
        request(session, customer, raw, signer)
    assert words in excinfo.value.message


def test_ids_are_normalized_and_deduplicated(session, signer):
    order = make_guest_order(session).order
    pasted = f"{order.id.lower()} {order.id}\n{order.id.upper().replace('ORDER', 'Order')}"
    assert claims.parse_order_ids(pasted) == [order.id]


def test_the_customer_limit_is_told_honestly_and_sends_nothing(session, signer, limit_clock):
    order = make_guest_order(session).order
    customer = make_customer(session)
    for _ in range(claims.CUSTOMER_LIMIT):
        request(session, customer, [order.id], signer)
    assert len(claim_mails(session)) == claims.CUSTOMER_LIMIT
    with pytest.raises(TooManyAttempts) as refused:
        request(session, customer, [order.id], signer)
    assert f"asked for {claims.CUSTOMER_LIMIT} links in the last hour" in refused.value.message
    assert "UTC" in refused.value.message and 3500 <= refused.value.retry_after <= 3600
    assert len(claim_mails(session)) == claims.CUSTOMER_LIMIT
    limit_clock.advance(3601)
    request(session, customer, [order.id], signer)  # an hour on, the customer may ask again


def test_rate_limit_per_order_across_customers(session, signer):
    order = make_guest_order(session).order
    for _ in range(claims.ORDER_LIMIT + 2):
        request(session, make_customer(session), [order.id], signer)
    assert len(claim_mails(session)) == claims.ORDER_LIMIT


def issued_token(session, signer, email="guest@example.com"):
    order = make_guest_order(session, email=email).order
    customer = make_customer(session)
    request(session, customer, [order.id], signer)
    return customer, order, token_from(claim_mails(session, to=email)[0])


def test_replay_is_refused(session, signer):
    customer, _, token = issued_token(session, signer)
    claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=signer)
    with pytest.raises(ClaimTokenUsed):
        claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=signer)
    with pytest.raises(ClaimTokenUsed):
        claims.preview_claim(session=session, token=token, signer=signer)


def test_expired_token_is_refused_at_the_boundary(session, signer, clock):
    customer, order, token = issued_token(session, signer)
    clock.now += signer.max_age + 1
    with pytest.raises(ClaimTokenExpired):
        claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=signer)
    clock.now -= 1
    claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=signer)


def test_tampered_and_rotated_out_keys(session, signer, clock):
    customer, _, token = issued_token(session, signer)
    with pytest.raises(ClaimTokenInvalid):
        claims.confirm_claim(session=session, customer_id=customer.id, token=token[:-3] + "abc", signer=signer)
    retired = ClaimTokenSigner(["a-brand-new-key"], max_age=3600, clock=clock)
    with pytest.raises(ClaimTokenInvalid):
        claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=retired)
    rotated = ClaimTokenSigner(["a-brand-new-key", *signer._serializer.secret_keys[::-1]], max_age=3600, clock=clock)
    assert claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=rotated)


def test_a_validly_signed_token_for_an_unknown_claim_is_invalid(session, signer):
    customer = make_customer(session)
    with pytest.raises(ClaimTokenInvalid):
        claims.confirm_claim(session=session, customer_id=customer.id, token=signer.make("claim_x"), signer=signer)


def test_wrong_customer_is_forbidden_and_changes_nothing(session, signer):
    _, order, token = issued_token(session, signer)
    stranger = make_customer(session)
    with pytest.raises(ClaimForbidden):
        claims.confirm_claim(session=session, customer_id=stranger.id, token=token, signer=signer)
    assert session.exec(select(Order).where(Order.id == order.id)).one().customer_id is None
    assert claims.preview_claim(session=session, token=token, signer=signer)  # still usable by the asker


def test_decline_then_confirm_fails_and_the_asker_is_told(session, signer):
    customer, order, token = issued_token(session, signer)
    claims.decline_claim(session=session, token=token, signer=signer)
    with pytest.raises(ClaimDeclined):
        claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=signer)
    told = outbox.list_messages(session=session, to=customer.email)
    assert len(told) == 1 and "declined" in told[0].subject and order.id in told[0].text
    with pytest.raises(ClaimDeclined):
        claims.decline_claim(session=session, token=token, signer=signer)


def test_cancel_and_list_pending_claims(session, signer):
    customer, _, token = issued_token(session, signer)
    (pending,) = claims.list_claims(session=session, customer_id=customer.id)
    with pytest.raises(NotFound):
        claims.cancel_claim(session=session, customer_id=customer.id + 1, claim_id=pending.id)
    claims.cancel_claim(session=session, customer_id=customer.id, claim_id=pending.id)
    assert claims.list_claims(session=session, customer_id=customer.id) == []
    with pytest.raises(ClaimCancelled):
        claims.confirm_claim(session=session, customer_id=customer.id, token=token, signer=signer)
    later = utcnow() + timedelta(hours=2)
    assert claims.list_claims(session=session, customer_id=customer.id, now=later) == []


def confirm_twice_at_once(engine, customer_id: int, token: str, signer) -> list[str]:
    """Two threads, each with its own connection, confirm the same token at the same moment."""
    results: list[str] = []
    barrier = threading.Barrier(2)

    def confirm():
        with Session(engine) as own:
            barrier.wait()
            try:
                claims.confirm_claim(session=own, customer_id=customer_id, token=token, signer=signer)
                own.commit()
                results.append("won")
            except ClaimTokenUsed:
                own.rollback()
                results.append("used")

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return sorted(results)


def test_two_threads_confirming_the_same_token_exactly_one_wins(engine, signer):
    with Session(engine, expire_on_commit=False) as session:
        customer, order, token = issued_token(session, signer)
        session.commit()
    assert confirm_twice_at_once(engine, customer.id, token, signer) == ["used", "won"]
    with Session(engine) as check:
        assert check.exec(select(Order).where(Order.id == order.id)).one().customer_id == customer.id


def test_send_again_mails_a_fresh_link_and_the_old_one_dies(session, signer, clock):
    order = make_guest_order(session, email="guest@example.com").order
    customer = make_customer(session)
    request(session, customer, [order.id], signer)
    (claim,) = claims.list_claims(session=session, customer_id=customer.id)
    old = token_from(claim_mails(session)[0])  # and at once: the same second must still give a new link
    claims.resend_claim(session=session, customer_id=customer.id, claim_id=claim.id, signer=signer)
    newest, *_ = mails = claim_mails(session)  # newest first
    assert len(mails) == 2 and newest.to == "guest@example.com"
    with pytest.raises(ClaimTokenInvalid):
        claims.preview_claim(session=session, token=old, signer=signer)
    assert claims.preview_claim(session=session, token=token_from(newest), signer=signer).claim.id == claim.id
    with pytest.raises(NotFound):  # not someone else's claim
        claims.resend_claim(session=session, customer_id=make_customer(session).id, claim_id=claim.id, signer=signer)


def test_send_again_counts_against_the_customer_limit_honestly(session, signer):
    order = make_guest_order(session).order
    customer = make_customer(session)
    request(session, customer, [order.id], signer)
    (claim,) = claims.list_claims(session=session, customer_id=customer.id)
    for _ in range(claims.CUSTOMER_LIMIT - 1):
        claims.resend_claim(session=session, customer_id=customer.id, claim_id=claim.id, signer=signer)
    with pytest.raises(TooManyAttempts) as refused:
        claims.resend_claim(session=session, customer_id=customer.id, claim_id=claim.id, signer=signer)
    assert "you can ask again after" in refused.value.message
