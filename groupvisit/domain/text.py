"""Checks shared by the rules for what people type and the numbers they enter."""

from .errors import Refused


def clean_text(value: str, what: str, limit: int, *, required: bool = True, multiline: bool = False) -> str:
    """Trimmed text, refused when empty (if required) or longer than `limit` characters.

    One-line text (names, titles) has its runs of white space, newlines included, made
    single spaces, so that "Ann\nLee" and "Ann Lee" are the same name.
    """
    text = value.strip() if multiline else " ".join(value.split())
    if required and not text:
        raise Refused(f"{what} cannot be empty", "invalid")
    if len(text) > limit:
        raise Refused(f"{what} is at most {limit} characters (this one has {len(text)})", "too_long")
    return text


def in_range(value: float, what: str, low: float, high: float) -> None:
    if not low <= value <= high:
        raise Refused(f"{what} must be between {low:g} and {high:g}", "invalid")
