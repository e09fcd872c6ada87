"""`groupvisit user add|list|disable|enable|set-password|attending|not-attending`: staff accounts from the command
line."""

import argparse
import getpass
import sys
import time

import anyio.to_thread

from .accounts import AccountError, AccountRole, check_name, check_password, check_role, check_username, hash_password
from .domain.text import valid_unicode
from .settings import DEFAULT_DATA_DIR, Settings
from .store import Store, UsernameTaken

NOT_TEXT = "the password is not valid text (its bytes are not UTF-8)"
DB_HELP = f"SQLite file or database URL (default {DEFAULT_DATA_DIR / 'groupvisit.db'})"


def text(value: str) -> str:
    """An argument's text; refused (exit 2, naming the argument) when the bytes given were not UTF-8:
    Python hands those over as lone surrogates, which no database or terminal can hold."""
    if not valid_unicode(value):
        raise argparse.ArgumentTypeError(f"{ascii(value)} is not valid text (its bytes are not UTF-8)")
    return value


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    user = commands.add_parser("user", help="add, list, disable or enable staff accounts, or set a password",
                               description="Staff accounts: one per person (admin, facilitator or clinician).")
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a staff account", description="Add a staff account.")
    add.add_argument("username", type=text,
                     help="what they type to sign in: letters, digits, dots, dashes, underscores")
    add.add_argument("--name", required=True, type=text, help="their name as colleagues and the audit log show it")
    add.add_argument("--role", required=True, type=text, help="admin, facilitator or clinician")
    add.add_argument("--attending", action="store_true",
                     help="a clinician who may co-sign residents' chart notes (an attending physician)")
    listing = actions.add_parser("list", help="list the staff accounts", description="List the staff accounts.")
    disable = actions.add_parser("disable", help="stop an account signing in and end its sign-ins",
                                 description="Stop an account signing in; its open screens close within seconds.")
    enable = actions.add_parser("enable", help="let a disabled account sign in again",
                                description="Let a disabled account sign in again.")
    password = actions.add_parser("set-password", help="give an account a new password (ends its sign-ins)",
                                  description="Give an account a new password; its open screens close within seconds.")
    attending = actions.add_parser("attending", help="let a clinician co-sign residents' chart notes",
                                   description="Mark a clinician's account as an attending's: they may co-sign "
                                               "residents' chart notes.")
    resident = actions.add_parser("not-attending", help="stop a clinician co-signing chart notes",
                                  description="A clinician's account is no longer an attending's; their open screens "
                                              "must be opened again.")
    for sub in (disable, enable, password, attending, resident):
        sub.add_argument("username", type=text, help="the account's username")
    for sub in (add, password):
        sub.add_argument("--password-stdin", action="store_true",
                         help="read the password from the first line of standard input instead of asking")
    for sub in (add, listing, disable, enable, password, attending, resident):
        sub.add_argument("--db", type=text, help=DB_HELP)


def read_password(args: argparse.Namespace, username: str) -> str:
    if args.password_stdin:
        try:
            return typed_password(sys.stdin.readline().rstrip("\r\n"), username)  # a line from any platform
        except UnicodeDecodeError:
            raise AccountError(NOT_TEXT) from None
    if not sys.stdin.isatty():
        raise AccountError("no terminal to ask for the password on: pass --password-stdin and pipe it in")
    first = typed_password(getpass.getpass(f"New password for {username}: "), username)
    if getpass.getpass("The same password again: ") != first:
        raise AccountError("the two passwords were not the same")
    return first


def typed_password(password: str, username: str) -> str:
    if not valid_unicode(password):
        raise AccountError(NOT_TEXT)
    return check_password(password, username)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    store = Store(settings.database_url)
    try:
        return await act(store, args)
    except AccountError as error:
        print(f"groupvisit: {error}", file=sys.stderr)
        return 2
    finally:
        store.close()


async def act(store: Store, args: argparse.Namespace) -> int:
    now = time.time()
    if args.action == "list":
        users, last = await store.users(), await store.last_sign_ins()
        if not users:
            print("There are no staff accounts yet: add one with `groupvisit user add`.")
        for row in users:
            seen = time.strftime("%Y-%m-%d %H:%M", time.localtime(last[row.id])) if row.id in last else "never"
            state = "disabled" if row.disabled else "active"
            role = "attending" if row.attending else row.role
            print(f"{row.username:<20} {role:<12} {state:<9} last sign-in {seen:<17} {row.name}")
        return 0
    username = check_username(args.username)
    if args.action == "add":
        name, role = check_name(args.name), check_role(args.role)
        if args.attending and role is not AccountRole.CLINICIAN:
            raise AccountError(f"only a clinician can be an attending, and this account is {role.value}")
        if await store.user_by_username(username) is not None:
            raise AccountError(f"there is already an account {username!r}")
        password_hash = await anyio.to_thread.run_sync(hash_password, read_password(args, username))
        try:
            await store.add_user(username=username, name=name, role=role.value, password_hash=password_hash, at=now,
                                 attending=args.attending)
        except UsernameTaken:
            raise AccountError(f"there is already an account {username!r}") from None
        print(f"Added {'attending ' if args.attending else ''}{role.value} {username} ({name}).")
        return 0
    user = await store.user_by_username(username)
    if user is None:
        raise AccountError(f"there is no account {username!r}: `groupvisit user list` shows them")
    if args.action in ("attending", "not-attending"):
        if user.role != AccountRole.CLINICIAN.value:
            raise AccountError(f"only a clinician can be an attending, and {username} is {user.role}")
        await store.update_user(username, now, None, attending=args.action == "attending")
        print(f"{username} is an attending: they may co-sign residents' chart notes." if args.action == "attending"
              else f"{username} is no longer an attending: they cannot co-sign chart notes.")
        return 0
    if args.action == "set-password":
        password_hash = await anyio.to_thread.run_sync(hash_password, read_password(args, username))
        await store.update_user(username, now, "password changed", password_hash=password_hash)
        print(f"New password set for {username}; anyone signed in as {username} must sign in again.")
    elif args.action == "disable":
        await store.update_user(username, now, "disabled", disabled=True)
        print(f"Disabled {username}: they cannot sign in, and their open screens close within seconds.")
    else:
        await store.update_user(username, now, None, disabled=False)
        print(f"Enabled {username}: they can sign in again.")
    return 0
