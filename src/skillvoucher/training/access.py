"""Authorization and the acting user for the catalogues' actions (`by=None` is an operator at the command line)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from skillvoucher import audit
from skillvoucher.core import Actor, Forbidden
from skillvoucher.identity import Permission, Principal, Resource, can

OPERATOR = Actor.operator("cli")


def authorize(by: Principal | None, permission: Permission, resource: Resource) -> None:
    if by is not None and not can(by, permission, resource):
        raise Forbidden("无权进行此操作 / you are not allowed to do this here")


def may(by: Principal | None, permission: Permission, resource: Resource) -> bool:
    return by is None or can(by, permission, resource)


def actor_of(by: Principal | None) -> Actor:
    return OPERATOR if by is None else by.actor


def record(
    session: Session, by: Principal | None, action: str, subject_type: str, subject_id: int, data: dict[str, Any]
) -> None:
    audit.record(
        session, actor=actor_of(by), action=action, subject_type=subject_type, subject_id=subject_id, data=data
    )
