"""Password hashing (argon2id via passlib's CryptContext) and the ASVS 6.2 password rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from passlib.context import CryptContext

from storefront.services.errors import InvalidInput
from storefront.services.inputs import is_clean_unicode

MIN_LENGTH = 8
MAX_LENGTH = 128  # ASVS asks that at least 64 be allowed; longer only costs hashing time.

# OWASP's 2023 guidance for argon2id: 19 MiB, 2 passes, 1 lane.
ARGON2_PARAMS = {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}


def make_context(**argon2_params: int) -> CryptContext:
    """A CryptContext for argon2id; tests pass other parameters to exercise rehashing."""
    params = {**ARGON2_PARAMS, **argon2_params}
    return CryptContext(
        schemes=["argon2"],
        argon2__type="ID",
        **{f"argon2__{name}": value for name, value in params.items()},
    )


@cache
def default_context() -> CryptContext:
    """The context the app uses."""
    return make_context()


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "seed" / "common-passwords.txt"
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def could_be_password(password: object) -> bool:
    """False for what no account can have as a password (not text, too long, not valid Unicode).

    Login refuses such input without hashing it: argon2 would raise on over-long or unencodable input.
    """
    return isinstance(password, str) and 0 < len(password) <= MAX_LENGTH and is_clean_unicode(password)


def check_password_rules(password: object) -> None:
    """Raise InvalidInput when a new password breaks the rules (length, not a common password).

    No composition rules (ASVS 6.2.5): any characters, spaces included, are fine.
    """
    if not isinstance(password, str):
        raise InvalidInput("Enter a password.", field="password")
    if not is_clean_unicode(password):
        raise InvalidInput("Your password has characters we cannot read. Choose another one.", field="password")
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Use at least {MIN_LENGTH} characters for your password.", field="password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Use at most {MAX_LENGTH} characters for your password.", field="password")
    if password.lower() in _common_passwords():
        raise InvalidInput(
            "This password is too common and easy to guess. Choose another one.", field="password"
        )


def hash_password(password: str, *, context: CryptContext | None = None) -> str:
    """Hash a password for storage."""
    return (context or default_context()).hash(password)


@cache
def _dummy_hash() -> str:
    return default_context().hash("dummy password for unknown accounts")


def verify_password(
    password: str, stored_hash: str | None, *, context: CryptContext | None = None
) -> tuple[bool, str | None]:
    """Check a password; returns (ok, new_hash_or_None) so outdated hashes get upgraded.

    With no stored hash (unknown account) a dummy hash is verified anyway, so the time taken does not
    reveal whether an account exists.
    """
    ctx = context or default_context()
    if stored_hash is None:
        ctx.verify(password, _dummy_hash())
        return False, None
    return ctx.verify_and_update(password, stored_hash)
