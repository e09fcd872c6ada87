"""What an account is made of, and the checks on what an administrator types for one."""

import re
from enum import StrEnum

from ..domain import Role

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
NAME_LIMIT = 80
PASSWORD_MIN = 12
PASSWORD_MAX = 256  # argon2 takes any length; a bound keeps a hostile form from costing much


class AccountRole(StrEnum):
    ADMIN = "admin"  # manages accounts and display links, exports the record; takes no part in a session
    FACILITATOR = "facilitator"
    CLINICIAN = "clinician"

    @property
    def session_role(self) -> Role | None:
        """The role this account acts in during a group visit (an admin has none)."""
        return {AccountRole.FACILITATOR: Role.FACILITATOR, AccountRole.CLINICIAN: Role.CLINICIAN}.get(self)


class AccountError(ValueError):
    """Something typed for an account that cannot be used; the message says what and why."""


def check_username(text: str) -> str:
    username = text.strip().lower()
    if not USERNAME.fullmatch(username):
        raise AccountError(f"the username {text!r} is not usable: use 2 to 32 letters, digits, dots, dashes "
                           "or underscores, starting with a letter or digit")
    return username


def check_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > NAME_LIMIT or not name.isprintable():
        raise AccountError(f"the name must be 1 to {NAME_LIMIT} printable characters")
    return name


def check_role(text: str) -> AccountRole:
    try:
        return AccountRole(text.strip().lower())
    except ValueError:
        raise AccountError(f"the role {text!r} is not one of {', '.join(AccountRole)}") from None


def check_password(password: str, username: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"the password must be at least {PASSWORD_MIN} characters (a few words make a good one)")
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"the password must be at most {PASSWORD_MAX} characters")
    if username and username in password.lower():
        raise AccountError("the password must not contain the username")
    return password
