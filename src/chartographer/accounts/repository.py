"""All SQL of the accounts package. Functions flush; the caller's session scope commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chartographer.access.models import ApiKey, UsageRecord
from chartographer.accounts.models import AccountToken, Identity, User


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def add_user(session: Session, email: str, password_hash: str | None, now: datetime) -> User:
    user = User(email=email, password_hash=password_hash, created_at=now, session_epoch=0)
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.id)).all()


def add_token(
    session: Session, user: User, purpose: str, token_hash: str, expires_at: datetime
) -> AccountToken:
    token = AccountToken(
        user_id=user.id, purpose=purpose, token_hash=token_hash, expires_at=expires_at
    )
    session.add(token)
    session.flush()
    return token


def token_by_hash(session: Session, token_hash: str) -> AccountToken | None:
    return session.scalars(
        select(AccountToken).where(AccountToken.token_hash == token_hash)
    ).one_or_none()


def identity(session: Session, issuer: str, subject: str) -> Identity | None:
    return session.scalars(
        select(Identity).where(Identity.issuer == issuer, Identity.subject == subject)
    ).one_or_none()


def add_identity(
    session: Session, user: User, issuer: str, subject: str, now: datetime
) -> Identity:
    link = Identity(user_id=user.id, issuer=issuer, subject=subject, created_at=now)
    session.add(link)
    session.flush()
    return link


def subscription_keys(session: Session, subscription_id: int) -> Sequence[ApiKey]:
    return session.scalars(
        select(ApiKey).where(ApiKey.subscription_id == subscription_id).order_by(ApiKey.id.desc())
    ).all()


def last_used(session: Session, subscription_id: int) -> dict[str, date]:
    """The last day each key label of a subscription was used."""
    rows = session.execute(
        select(UsageRecord.key_label, func.max(UsageRecord.day))
        .where(UsageRecord.subscription_id == subscription_id)
        .group_by(UsageRecord.key_label)
    ).all()
    return {label: day for label, day in rows}


def requests_on(session: Session, subscription_id: int, day: date) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(UsageRecord.requests), 0)).where(
            UsageRecord.subscription_id == subscription_id, UsageRecord.day == day
        )
    )
    return int(total or 0)
