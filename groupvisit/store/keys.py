"""Secrets people hold (staff links, projector links, participant cookies) and the join code."""

import hashlib
import secrets

# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G): typed easily from across a room.
JOIN_CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
JOIN_CODE_LENGTH = 6


def new_key() -> str:
    return secrets.token_urlsafe(24)


def key_hash(key: str) -> str:
    """Keys are random and long, so a plain digest suffices; only digests are stored."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What a person typed, as a code: case, spaces and dashes ignored."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def new_id() -> str:
    return secrets.token_hex(6)
