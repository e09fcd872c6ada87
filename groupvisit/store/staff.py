"""Staff accounts and their sign-ins."""

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from .engine import Database
from .keys import key_hash, new_id, new_key
from .tables import SignInRow, UserRow


class UsernameTaken(Exception):
    """Another account already has this username."""



class Staff(Database):
    async def add_user(self, *, username: str, name: str, role: str, password_hash: str, at: float,
                       attending: bool = False) -> UserRow:
        """A new account; `UsernameTaken` if the username is in use."""
        row = UserRow(id=new_id(), username=username, name=name, role=role, password_hash=password_hash,
                      created_at=at, attending=attending)

        def work(db: Session) -> UserRow:
            db.add(row)
            try:
                db.commit()
            except IntegrityError:
                db.rollback()
                raise UsernameTaken(username) from None
            return row

        return await self.run(work)

    async def users(self) -> list[UserRow]:
        return await self.run(lambda db: list(db.exec(select(UserRow).order_by(col(UserRow.username)))))

    async def user(self, user_id: str) -> UserRow | None:
        return await self.run(lambda db: db.get(UserRow, user_id))

    async def user_by_username(self, username: str) -> UserRow | None:
        return await self.run(lambda db: db.exec(select(UserRow).where(UserRow.username == username)).first())

    async def update_user(self, username: str, at: float, why: str | None, **values: object) -> UserRow:
        """Change an account (`password_hash`, `disabled`); with a `why`, its sign-ins end for that reason."""

        def work(db: Session) -> UserRow:
            row = db.exec(select(UserRow).where(UserRow.username == username)).first()
            if row is None:
                raise LookupError(username)
            for name, value in values.items():
                setattr(row, name, value)
            db.add(row)
            if why is not None:
                db.exec(update(SignInRow).where(col(SignInRow.user_id) == row.id, col(SignInRow.ended_at).is_(None))
                        .values(ended_at=at, ended_why=why))
            db.commit()
            return row

        return await self.run(work)

    # Staff sign-ins

    async def start_sign_in(self, user_id: str, device: str, at: float) -> str:
        """A new sign-in for `user_id`; returns the token for its cookie (only its hash is kept)."""
        token = new_key()

        def work(db: Session) -> None:
            db.add(SignInRow(token_hash=key_hash(token), user_id=user_id, device=device, started_at=at, active_at=at))
            db.commit()

        await self.run(work)
        return token

    async def sign_in(self, token: str) -> tuple[SignInRow, UserRow] | None:
        def work(db: Session) -> tuple[SignInRow, UserRow] | None:
            row = db.get(SignInRow, key_hash(token))
            if row is None:
                return None
            user = db.get(UserRow, row.user_id)
            return None if user is None else (row, user)

        return await self.run(work)

    async def sign_in_active(self, token: str, at: float) -> None:
        def work(db: Session) -> None:
            db.exec(update(SignInRow).where(col(SignInRow.token_hash) == key_hash(token),
                                            col(SignInRow.ended_at).is_(None)).values(active_at=at))
            db.commit()

        await self.run(work)

    async def end_sign_in(self, token: str, at: float, why: str) -> None:
        def work(db: Session) -> None:
            db.exec(update(SignInRow).where(col(SignInRow.token_hash) == key_hash(token),
                                            col(SignInRow.ended_at).is_(None)).values(ended_at=at, ended_why=why))
            db.commit()

        await self.run(work)

    async def last_sign_ins(self) -> dict[str, float]:
        """When each account last signed in, by user id."""

        def work(db: Session) -> dict[str, float]:
            last: dict[str, float] = {}
            for row in db.exec(select(SignInRow)):
                last[row.user_id] = max(last.get(row.user_id, 0.0), row.started_at)
            return last

        return await self.run(work)
