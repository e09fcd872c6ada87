"""The one exception the session's rules raise."""


class Refused(Exception):
    """A command the rules do not allow now.

    `code` is machine-readable (a client may branch on it); `reason` is a sentence
    shown to the person who tried, naming what was wrong.
    """

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def require(condition: bool, reason: str, code: str = "refused") -> None:
    if not condition:
        raise Refused(reason, code)
