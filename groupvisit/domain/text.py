"""Checks shared by the rules for what people type and the numbers they enter."""

import unicodedata

import regex

from .errors import Refused

# Characters that show nothing and take no room: format controls, zero-width spaces, variation
# selectors, Hangul fillers (Unicode's Default_Ignorable_Code_Point).
IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
# Those, and white space of every kind: text made only of these shows nothing.
INVISIBLE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{White_Space}]+")
# Embedding, override and isolate controls reorder how a line is shown: in a name or a title they
# could make one text look like another. The browser lays out right-to-left text without them.
BIDI_CONTROLS = regex.compile(r"[\u202a-\u202e\u2066-\u2069]")


def valid_unicode(value: str) -> bool:
    """False for text holding half a surrogate pair, which no UTF-8 database, file or page can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def readable(value: str) -> str:
    """`value` with any half of a surrogate pair (which an older version could store) shown as U+FFFD,
    so that what the store holds can always be shown, exported and printed."""
    if valid_unicode(value):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def clean_text(value: str, what: str, limit: int, *, required: bool = True, multiline: bool = False) -> str:
    """Trimmed text in its composed (NFC) form, refused when it is not valid Unicode, shows nothing
    (if required) or is longer than `limit` characters.

    One-line text (names, titles) has its runs of white space, newlines included, made
    single spaces, so that "Ann\nLee" and "Ann Lee" are the same name, and loses any bidi controls.
    """
    if not valid_unicode(value):
        raise Refused(f"{what} holds a broken character (half of an emoji or symbol): type it again", "invalid")
    value = unicodedata.normalize("NFC", value)
    text = value.strip() if multiline else " ".join(BIDI_CONTROLS.sub("", value).split())
    if INVISIBLE.fullmatch(text) and text:
        text = ""  # only invisible characters: nothing anyone could read
    if required and not text:
        raise Refused(f"{what} cannot be empty", "invalid")
    if len(text) > limit:
        raise Refused(f"{what} is at most {limit} characters (this one has {len(text)})", "too_long")
    return text


def in_range(value: float, what: str, low: float, high: float) -> None:
    if not low <= value <= high:
        raise Refused(f"{what} must be between {low:g} and {high:g}", "invalid")
