"""Link tokens: a random secret and its signature; the signature decides before any database lookup."""

import pytest

from storefront.services.errors import ClaimTokenInvalid
from storefront.services.sessions import hash_token
from storefront.services.tokens import LinkSigner
from tests.unit.conftest import TEST_KEYS


def test_a_token_reads_back_as_the_hash_its_row_stores():
    signer = LinkSigner(TEST_KEYS)
    token, stored = signer.new()
    secret, _, signature = token.rpartition(".")
    assert signer.hash_of(token) == stored == hash_token(secret) and signature
    assert secret not in stored  # the row keeps only the hash


def test_every_token_is_new():
    signer = LinkSigner(TEST_KEYS)
    tokens = {signer.new()[0] for _ in range(200)}
    assert len(tokens) == 200 and len({t.rpartition(".")[0] for t in tokens}) == 200


def test_a_tampered_secret_or_signature_is_refused():
    signer = LinkSigner(TEST_KEYS)
    token, _ = signer.new()
    secret, _, signature = token.rpartition(".")
    flip = {"A": "B"}.get(secret[0], "A")
    for bad in (flip + secret[1:] + "." + signature, secret + "." + signature[:-2], secret, secret + "."):
        with pytest.raises(ClaimTokenInvalid):
            signer.hash_of(bad)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "x" * 600, "é.é", None, 42, ["a"]])
def test_garbage_is_refused(garbage):
    with pytest.raises(ClaimTokenInvalid):
        LinkSigner(TEST_KEYS).hash_of(garbage)


def test_a_key_rotated_in_keeps_old_links_and_a_key_retired_ends_them():
    old, stored = LinkSigner(["old-key"]).new()
    assert LinkSigner(["new-key", "old-key"]).hash_of(old) == stored  # rotated: the old key still verifies
    new, _ = LinkSigner(["new-key", "old-key"]).new()
    assert LinkSigner(["new-key"]).hash_of(new)  # the first key signs
    with pytest.raises(ClaimTokenInvalid):
        LinkSigner(["old-key"]).hash_of(new)
    with pytest.raises(ClaimTokenInvalid):  # retired: every link it signed is refused before any lookup
        LinkSigner(["new-key"]).hash_of(old)


def test_another_shops_keys_are_refused():
    token, _ = LinkSigner(TEST_KEYS).new()
    with pytest.raises(ClaimTokenInvalid):
        LinkSigner(["unrelated"]).hash_of(token)


def test_no_key_no_signer():
    with pytest.raises(ValueError):
        LinkSigner([])
