"""Staff accounts: who may sign in, with what role, and their signed-in browsers."""

from .passwords import hash_password, verify_password
from .people import AccountError, AccountRole, check_name, check_password, check_role, check_username
from .sign_ins import SignedOut, SignIns, SignInRefused, StaffMember

__all__ = ["AccountError", "AccountRole", "SignIns", "SignInRefused", "SignedOut", "StaffMember", "check_name",
           "check_password", "check_role", "check_username", "hash_password", "verify_password"]
