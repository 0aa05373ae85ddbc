"""Who may see and change what: users, organisation roles, API tokens (CKAN's rules).

- active public datasets: everyone;
- private datasets: members of the owning organisation (any role) and sysadmins;
- draft and deleted datasets: editors and admins of the organisation, the creator,
  sysadmins;
- writes: sysadmins, or editors/admins of the owning organisation; organisation
  management: admins of that organisation and sysadmins; creating organisations:
  sysadmins (CKAN's default `ckan.auth.user_create_organization = false`).

Tokens are random (`secrets.token_urlsafe`), shown once and stored as their SHA-256
only; an unknown token makes the caller anonymous, never an error.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ogd.catalog.models import ApiToken, Dataset, Member, Organization, User
from ogd.errors import NotAuthorized, NotFound, ValidationError

if TYPE_CHECKING:
    from ogd.catalog.actions import Context

ROLES = ("member", "editor", "admin")
EDIT_ROLES = frozenset({"editor", "admin"})
TOKEN_PREFIX = "ogd_"
_USER_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


# -- users and tokens ---------------------------------------------------------------------


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(
    session: Session,
    name: str,
    *,
    sysadmin: bool = False,
    email: str | None = None,
    fullname: str | None = None,
) -> User:
    """Add a user (names as CKAN: 2-100 of a-z, 0-9, `-`, `_`).

    Raises:
        ValidationError: bad or taken name.
    """
    if not _USER_NAME.match(name) or name == SITE_USER:
        raise ValidationError(
            {
                "name": [
                    "Must be purely lowercase alphanumeric (ascii) characters and these "
                    "symbols: -_ (2 to 100 characters)"
                ]
            }
        )
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise ValidationError({"name": ["That login name is not available."]})
    user = User(name=name, sysadmin=sysadmin, email=email, fullname=fullname)
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, id_or_name: str) -> User:
    """A user by id or name.

    Raises:
        NotFound: no such user.
    """
    user = session.scalar(select(User).where((User.id == id_or_name) | (User.name == id_or_name)))
    if user is None or user.state != "active":
        raise NotFound("User not found")
    return user


MIN_PASSWORD = 12


def set_password(user: User, password: str) -> None:
    """Store a salted scrypt hash of `password` (Werkzeug's current default).

    Raises:
        ValidationError: shorter than `MIN_PASSWORD` characters.
    """
    if len(password) < MIN_PASSWORD:
        raise ValidationError({"password": [f"Must be at least {MIN_PASSWORD} characters long"]})
    user.password_hash = generate_password_hash(password)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check against when the user does not exist (no timing difference)."""
    return generate_password_hash(secrets.token_hex(16))


def login(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (same work either way)."""
    user = session.scalar(select(User).where(User.name == name, User.state == "active"))
    stored = user.password_hash if user is not None else None
    ok = check_password_hash(stored or _dummy_hash(), password)
    return user if ok and stored else None


def create_token(session: Session, user: User, name: str = "") -> str:
    """A new token for `user`; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, digest=digest(raw)))
    session.flush()
    return raw


def revoke_token(session: Session, token_id: str, owner: User | None = None) -> None:
    """Delete a token by its id; with `owner`, only one of that user's tokens.

    Raises:
        NotFound: no such token (or not the owner's).
    """
    token = session.get(ApiToken, token_id)
    if token is None or (owner is not None and token.user_id != owner.id):
        raise NotFound("Token not found")
    session.delete(token)


def user_for_token(session: Session, raw: str | None) -> User | None:
    """The active user a token belongs to, or None (anonymous)."""
    if not raw:
        return None
    raw = raw.strip()
    if raw.lower().startswith("bearer "):
        raw = raw[7:].strip()
    if not raw:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.digest == digest(raw)))
    if token is None or token.user.state != "active":
        return None
    return token.user


def set_member(session: Session, org: Organization, user: User, capacity: str) -> None:
    """Give `user` the role `capacity` in `org` (replacing an earlier one).

    Raises:
        ValidationError: unknown role.
    """
    if capacity not in ROLES:
        raise ValidationError({"role": [f"Role must be one of {', '.join(ROLES)}"]})
    member = session.get(Member, (user.id, org.id))
    if member is None:
        session.add(Member(user_id=user.id, organization_id=org.id, capacity=capacity))
    else:
        member.capacity = capacity
    session.flush()


def remove_member(session: Session, org: Organization, user: User) -> None:
    """Take `user` out of `org` (nothing happens when not a member)."""
    member = session.get(Member, (user.id, org.id))
    if member is not None:
        session.delete(member)
        session.flush()


# -- the caller ---------------------------------------------------------------------------


def caller(ctx: Context) -> User | None:
    """The calling user, or None when anonymous."""
    if ctx.user is None:
        return None
    return ctx.session.scalar(select(User).where(User.name == ctx.user, User.state == "active"))


def is_sysadmin(ctx: Context) -> bool:
    """The caller is a sysadmin (the command line acts as one)."""
    if ctx.user == SITE_USER:
        return True
    user = caller(ctx)
    return bool(user and user.sysadmin)


def roles(ctx: Context) -> dict[str, str]:
    """Organisation id -> the caller's role there."""
    user = caller(ctx)
    if user is None:
        return {}
    members = ctx.session.scalars(select(Member).where(Member.user_id == user.id))
    return {m.organization_id: m.capacity for m in members}


def private_scope(ctx: Context) -> frozenset[str] | None:
    """Organisations whose private datasets the caller may read; None means all."""
    if is_sysadmin(ctx):
        return None
    return frozenset(roles(ctx))


def edit_scope(ctx: Context) -> frozenset[str] | None:
    """Organisations whose datasets the caller may change; None means all."""
    if is_sysadmin(ctx):
        return None
    return frozenset(org for org, role in roles(ctx).items() if role in EDIT_ROLES)


def can_read(ctx: Context, dataset: Dataset) -> bool:
    """The caller may see the dataset."""
    if dataset.state == "active" and not dataset.private:
        return True
    if is_sysadmin(ctx):
        return True
    user = caller(ctx)
    if user is None:
        return False
    role = roles(ctx).get(dataset.owner_org or "")
    if dataset.state == "active":
        return role is not None
    return role in EDIT_ROLES or dataset.creator_user_id == user.id


def can_edit(ctx: Context, dataset: Dataset) -> bool:
    """The caller may change the dataset."""
    scope = edit_scope(ctx)
    if scope is None:
        return True
    user = caller(ctx)
    if user is None:
        return False
    if dataset.owner_org is None:
        return dataset.creator_user_id == user.id
    return dataset.owner_org in scope


def require_read(ctx: Context, dataset: Dataset) -> None:
    """Raise 403 unless the caller may see the dataset."""
    if not can_read(ctx, dataset):
        raise NotAuthorized("Access denied")


def require_edit(ctx: Context, dataset: Dataset) -> None:
    """Raise 403 unless the caller may change the dataset."""
    if not can_edit(ctx, dataset):
        raise NotAuthorized(
            f"User {ctx.user or '(anonymous)'} not authorized to edit package {dataset.name}"
        )


def require_user(ctx: Context, action: str) -> User | None:
    """Raise 403 for anonymous callers; the user (None for the command line)."""
    if ctx.user == SITE_USER:
        return None
    user = caller(ctx)
    if user is None:
        raise NotAuthorized(f"Action {action} requires an authenticated user")
    return user


def require_sysadmin(ctx: Context, action: str) -> None:
    """Raise 403 unless the caller is a sysadmin."""
    if not is_sysadmin(ctx):
        raise NotAuthorized(f"Only sysadmins may call {action}")


def require_org_role(ctx: Context, org: Organization, wanted: frozenset[str]) -> None:
    """Raise 403 unless the caller has one of `wanted` roles in `org` (or is a sysadmin)."""
    if is_sysadmin(ctx):
        return
    if roles(ctx).get(org.id) not in wanted:
        raise NotAuthorized(
            f"User {ctx.user or '(anonymous)'} not authorized to edit organization {org.name}"
        )


SITE_USER = "__site__"
"""The user name the command line and pipelines act as (a sysadmin; never a login)."""


def ensure_org(session: Session, id_or_name: str) -> Organization:
    """An active organisation by id or name.

    Raises:
        NotFound: no such organisation.
    """
    org = session.scalar(
        select(Organization).where(
            (Organization.id == id_or_name) | (Organization.name == id_or_name)
        )
    )
    if org is None or org.state != "active":
        raise NotFound("Organization not found")
    return org


def list_users(session: Session) -> list[tuple[User, list[tuple[str, str]]]]:
    """Every user with its (organisation name, role) pairs, by name."""
    orgs = {o.id: o.name for o in session.scalars(select(Organization))}
    result = []
    for user in session.scalars(select(User).order_by(User.name)):
        members = session.scalars(select(Member).where(Member.user_id == user.id))
        result.append((user, [(orgs.get(m.organization_id, "?"), m.capacity) for m in members]))
    return result


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The tokens of a user (ids and labels; the tokens themselves are not kept)."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created)
        )
    )
