"""Passwords are kept only as argon2id hashes: memory-hard, salted, parameters stored in the hash."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults follow RFC 9106's second recommended profile: 64 MiB, 3 passes, 4 lanes.
HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return HASHER.check_needs_rehash(password_hash)


@cache
def decoy_hash() -> str:
    """Checked against when the username is unknown, so a wrong username takes as long as a wrong password."""
    return HASHER.hash("not anyone's password")
