"""Participant devices: the credential a device's cookie holds, and the one-time codes that let a
participant back in on another device."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, col

from .engine import Database
from .keys import JOIN_CODE_ALPHABET, key_hash
from .tables import AuditRow, CredentialRow, ReturnCodeRow

RETURN_CODE_LENGTH = 8  # typed on a tablet; 22**8 codes, ten tries per address in ten minutes, each lives minutes


@dataclass(frozen=True)
class NewDevice:
    """A participant device joining: the token its cookie will hold, and whether it is a shared tablet."""

    token: str
    shared: bool
    at: float



class Devices(Database):
    async def device(self, session_id: str, token: str) -> CredentialRow | None:
        """The credential a participant device's cookie holds, if it is one of this session's."""

        def work(db: Session) -> CredentialRow | None:
            row = db.get(CredentialRow, key_hash(token))
            return row if row is not None and row.session_id == session_id else None

        return await self.run(work)

    async def device_active(self, token: str, at: float) -> None:
        def work(db: Session) -> None:
            db.exec(update(CredentialRow).where(col(CredentialRow.token_hash) == key_hash(token))
                    .values(active_at=at))
            db.commit()

        await self.run(work)

    async def forget_device(self, token: str) -> None:
        def work(db: Session) -> None:
            row = db.get(CredentialRow, key_hash(token))
            if row is not None:
                db.delete(row)
                db.commit()

        await self.run(work)

    async def let_back_in_code(self, session_id: str, participant_id: str, issued_by: str, at: float,
                               expires_at: float, audit: AuditRow) -> str:
        """A new one-time code that lets `participant_id` back in on another device; any earlier unused code
        for them stops working. Only its hash is stored, with the audit row of who asked for it."""

        def work(db: Session) -> str:
            db.exec(delete(ReturnCodeRow).where(col(ReturnCodeRow.session_id) == session_id,
                                                col(ReturnCodeRow.participant_id) == participant_id,
                                                col(ReturnCodeRow.used_at).is_(None)))
            for _ in range(20):
                code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(RETURN_CODE_LENGTH))
                if db.get(ReturnCodeRow, key_hash(code)) is None:
                    break
            else:
                raise RuntimeError("could not draw an unused let-back-in code")
            db.add(ReturnCodeRow(code_hash=key_hash(code), session_id=session_id, participant_id=participant_id,
                                 issued_by=issued_by, issued_at=at, expires_at=expires_at))
            db.add(audit)
            db.commit()
            return code

        return await self.run(work)

    async def return_code(self, code: str) -> ReturnCodeRow | None:
        return await self.run(lambda db: db.get(ReturnCodeRow, key_hash(code)))

    async def let_back_in(self, code: str, device: NewDevice, audit: Callable[[ReturnCodeRow], AuditRow]
                          ) -> ReturnCodeRow | None:
        """Use a let-back-in code, once: the new device becomes its participant, and every older device
        credential of theirs is forgotten (a lost tablet must not stay them). None when the code is unknown,
        used or expired. `audit` makes the row recording the use."""

        def work(db: Session) -> ReturnCodeRow | None:
            row = db.get(ReturnCodeRow, key_hash(code))
            if row is None or row.used_at is not None or row.expires_at <= device.at:
                return None
            used = db.exec(update(ReturnCodeRow).where(col(ReturnCodeRow.code_hash) == row.code_hash,
                                                       col(ReturnCodeRow.used_at).is_(None)).values(used_at=device.at))
            if used.rowcount != 1:  # the same code, used by another device at this very moment
                db.rollback()
                return None
            db.exec(delete(CredentialRow).where(col(CredentialRow.session_id) == row.session_id,
                                                col(CredentialRow.participant_id) == row.participant_id))
            db.add(CredentialRow(token_hash=key_hash(device.token), session_id=row.session_id,
                                 participant_id=row.participant_id, shared=device.shared, active_at=device.at))
            db.add(audit(row))
            db.commit()
            row.used_at = device.at
            return row

        return await self.run(work)
