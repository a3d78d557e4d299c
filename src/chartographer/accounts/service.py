"""Account lifecycle: sign up, confirm, reset, sign in, OIDC linking, approval, suspension.

Functions take a session and only flush; the caller's ``session_scope`` commits.
Answers never tell whether an e-mail address has an account: sign-up and
reset requests for a known address look exactly like those for an unknown one
(the mail that is sent differs, the page does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from chartographer.access import keys as access_keys
from chartographer.access import repository as access_repository
from chartographer.access.models import Plan, Subscription
from chartographer.access.service import as_utc, utcnow
from chartographer.accounts import passwords, repository, tokens
from chartographer.accounts.models import User
from chartographer.usertext import is_digits

MAX_EMAIL = 320
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
ROLES = ("developer", "operator")


class AccountError(ValueError):
    """An account action that cannot be done; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    """Lower-cased, trimmed address, or :class:`AccountError` naming the field."""
    address = email.strip().lower()
    if len(address) > MAX_EMAIL or not _EMAIL.match(address):
        raise AccountError("enter an e-mail address like name@example.com", "email")
    return address


def check_password(password: str, field: str = "password") -> None:
    problem = passwords.policy_error(password)
    if problem:
        raise AccountError(problem, field)


@dataclass(frozen=True)
class Mail:
    """A message to send once the transaction has committed."""

    to: str
    subject: str
    body: str


def _issue_token(session: Session, user: User, purpose: str, hours: float) -> str:
    token = tokens.new_token()
    repository.add_token(
        session, user, purpose, tokens.token_hash(token), utcnow() + timedelta(hours=hours)
    )
    return token


def sign_up(session: Session, email: str, password: str, base_url: str, hours: float) -> Mail:
    """Create an unconfirmed account and the mail with its confirmation link.

    A known address gets a mail pointing at password reset instead; the caller
    shows the same page either way.
    """
    address = normalise_email(email)
    check_password(password)
    user = repository.user_by_email(session, address)
    if user is not None:
        token = _issue_token(session, user, "reset", hours)
        return Mail(
            address,
            "Your Chartographer account",
            "Someone (maybe you) tried to sign up with this address, which already has an "
            f"account. If you forgot your password, set a new one here:\n\n"
            f"{base_url}/portal/reset/{token}\n",
        )
    user = repository.add_user(session, address, passwords.hash_password(password), utcnow())
    token = _issue_token(session, user, "confirm", hours)
    return Mail(
        address,
        "Confirm your Chartographer account",
        f"Confirm your e-mail address to finish signing up:\n\n"
        f"{base_url}/portal/confirm/{token}\n\nThe link works once, for {hours:g} hours.\n",
    )


def _use_token(session: Session, token: str, purpose: str) -> User | None:
    record = repository.token_by_hash(session, tokens.token_hash(token))
    now = utcnow()
    if (
        record is None
        or record.purpose != purpose
        or record.used_at is not None
        or as_utc(record.expires_at) <= now
    ):
        return None
    record.used_at = now
    user = session.get(User, record.user_id)
    session.flush()
    return user


def confirm(session: Session, token: str, require_approval: bool) -> User | None:
    """Mark the address confirmed (and approved when no approval is needed)."""
    user = _use_token(session, token, "confirm")
    if user is None:
        return None
    now = utcnow()
    user.confirmed_at = user.confirmed_at or now
    if not require_approval and user.approved_at is None:
        user.approved_at = now
    session.flush()
    return user


def request_reset(session: Session, email: str, base_url: str, hours: float) -> Mail | None:
    """A reset mail for a known address, None for an unknown one (same page either way)."""
    address = normalise_email(email)
    user = repository.user_by_email(session, address)
    if user is None:
        return None
    token = _issue_token(session, user, "reset", hours)
    return Mail(
        address,
        "Reset your Chartographer password",
        f"Set a new password here:\n\n{base_url}/portal/reset/{token}\n\n"
        "If you did not ask for this, ignore this message.\n",
    )


def reset_password(session: Session, token: str, password: str) -> User | None:
    check_password(password)
    user = _use_token(session, token, "reset")
    if user is None:
        return None
    user.password_hash = passwords.hash_password(password)
    user.confirmed_at = user.confirmed_at or utcnow()  # the link proves the address
    user.session_epoch += 1  # sign out every other session
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user for these credentials, or None (same work for unknown addresses)."""
    try:
        address = normalise_email(email)
    except AccountError:
        passwords.verify_password(password, None)
        return None
    user = repository.user_by_email(session, address)
    stored = user.password_hash if user is not None else None
    if not passwords.verify_password(password, stored) or user is None:
        return None
    return user


def status(user: User) -> str:
    """``unconfirmed``, ``pending`` (approval), ``suspended`` or ``active``."""
    if user.suspended_at is not None:
        return "suspended"
    if user.confirmed_at is None:
        return "unconfirmed"
    if user.approved_at is None:
        return "pending"
    return "active"


def oidc_user(
    session: Session, issuer: str, subject: str, email: str | None, verified: bool
) -> User | None:
    """The user linked to this OpenID subject; linked or created by verified e-mail."""
    link = repository.identity(session, issuer, subject)
    if link is not None:
        return session.get(User, link.user_id)
    if not email or not verified:
        return None
    try:
        address = normalise_email(email)
    except AccountError:
        return None
    user = repository.user_by_email(session, address)
    now = utcnow()
    if user is None:
        user = repository.add_user(session, address, None, now)
    user.confirmed_at = user.confirmed_at or now  # the provider verified the address
    repository.add_identity(session, user, issuer, subject, now)
    session.flush()
    return user


def default_plan(session: Session, name: str, limits: list[str]) -> Plan:
    plan = access_repository.plan_by_name(session, name)
    if plan is None:
        plan = access_repository.create_plan(session, name, ";".join(limits), None, None, utcnow())
    return plan


def subscription_for(session: Session, user: User, plan: Plan) -> Subscription:
    """The user's subscription, made on first need."""
    if user.subscription is None:
        subscription = access_repository.create_subscription(
            session,
            user.email,
            plan,
            access_keys.generate_client_id(),
            access_keys.generate_signing_secret(),
            utcnow(),
        )
        user.subscription = subscription
        session.flush()
    assert user.subscription is not None
    return user.subscription


# --- operator actions -----------------------------------------------------------
def find_user(session: Session, reference: str) -> User:
    user = (
        session.get(User, int(reference))
        if is_digits(reference)
        else repository.user_by_email(session, reference.strip().lower())
    )
    if user is None:
        raise AccountError(f"no account {reference!r}", "user")
    return user


def set_role(session: Session, reference: str, role: str) -> User:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}", "role")
    user = find_user(session, reference)
    user.role = role
    session.flush()
    return user


def approve(session: Session, reference: str) -> User:
    user = find_user(session, reference)
    user.approved_at = user.approved_at or utcnow()
    session.flush()
    return user


def suspend(session: Session, reference: str, suspended: bool = True) -> User:
    """Suspend (or restore) an account: its sessions end and its keys stop working."""
    user = find_user(session, reference)
    now = utcnow()
    if suspended:
        user.suspended_at = user.suspended_at or now
        user.session_epoch += 1
    else:
        user.suspended_at = None
    if user.subscription is not None:
        user.subscription.suspended_at = now if suspended else None
    session.flush()
    return user


def change_plan(session: Session, reference: str, plan_name: str) -> User:
    user = find_user(session, reference)
    plan = access_repository.plan_by_name(session, plan_name)
    if plan is None:
        raise AccountError(f"no plan named {plan_name!r}", "plan")
    subscription_for(session, user, plan).plan = plan
    session.flush()
    return user
