"""API keys for institutions' own systems: shown once, stored hashed, revocable, with a last-used time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher import audit
from skillvoucher.core import Forbidden, Invalid, NotFound
from skillvoucher.identity import credentials
from skillvoucher.identity.account_models import ApiKey
from skillvoucher.identity.authz import Permission, Principal, Resource, Role, can

# Writing last-used on every call would turn reads into writes; once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_api_key(
    session: Session, *, institution_id: int, name: str, by: Principal, now: datetime
) -> tuple[ApiKey, str]:
    if not can(by, Permission.API_KEY_MANAGE, Resource(institution_id=institution_id)):
        raise Forbidden("无权管理该机构的接口密钥 / you cannot manage this institution's API keys")
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise Invalid("请填写密钥用途（1-100字） / give the key a name of 1-100 characters")
    material = credentials.new_api_key()
    key = ApiKey(
        institution_id=institution_id,
        name=name,
        prefix=material.prefix,
        key_hash=material.key_hash,
        created_by=by.actor.label,
        created_at=now,
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        actor=by.actor,
        action="api_key.created",
        subject_type="api_key",
        subject_id=key.id,
        data={"institution_id": institution_id, "prefix": key.prefix},
    )
    return key, material.key


def revoke_api_key(session: Session, *, key_id: int, by: Principal, now: datetime) -> ApiKey:
    key = session.get(ApiKey, key_id, with_for_update=True)
    if key is None:
        raise NotFound("接口密钥不存在 / no such API key")
    if not can(by, Permission.API_KEY_MANAGE, Resource(institution_id=key.institution_id)):
        raise Forbidden("无权管理该机构的接口密钥 / you cannot manage this institution's API keys")
    if key.revoked_at is None:
        key.revoked_at = now
        audit.record(
            session,
            actor=by.actor,
            action="api_key.revoked",
            subject_type="api_key",
            subject_id=key.id,
            data={"institution_id": key.institution_id},
        )
    return key


def principal_for_api_key(session: Session, *, key: str, now: datetime) -> Principal | None:
    """The institution a bearer key speaks for, or None for an unknown or revoked key."""
    if not key.startswith(credentials.API_KEY_PREFIX):
        return None
    found = session.scalar(select(ApiKey).where(ApiKey.key_hash == credentials.api_key_hash(key)))
    if found is None or found.revoked_at is not None:
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        found.last_used_at = now
    return Principal(
        role=Role.INSTITUTION_STAFF, account_id=found.id, institution_id=found.institution_id, via_api_key=True
    )


def institution_api_keys(session: Session, institution_id: int) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.institution_id == institution_id).order_by(ApiKey.created_at.desc())
    return list(session.scalars(query))
