"""The emulator's own tables. It plays an external platform (the national e-SSC), so its tables carry its prefix and
nothing of the product's domain refers to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime


class DeviceRequest(Base):
    """One RFC 8628 device authorization: a QR code shown by a site, confirmed (or not) on the holder's phone.

    The device code is kept only as its SHA-256 (it is a 256-bit random secret, so a plain hash suffices); the
    holder's ID number only encrypted (PiiCipher, field "id_number").
    """

    __tablename__ = "essc_emulator_device_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'denied', 'consumed')", name="status"),
        CheckConstraint("method IS NULL OR method IN ('pin', 'face')", name="method"),
        CheckConstraint(
            "status NOT IN ('approved', 'consumed') OR (holder_id_number_encrypted IS NOT NULL "
            "AND holder_name IS NOT NULL AND holder_region_code IS NOT NULL AND method IS NOT NULL "
            "AND approved_at IS NOT NULL)",
            name="approved_has_holder",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_code: Mapped[str] = mapped_column(String(9), unique=True)  # "WDJB-MJHT"
    client_id: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(200))
    nonce: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    interval: Mapped[int] = mapped_column(Integer)  # seconds; grows by 5 on each slow_down
    last_polled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    holder_id_number_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    holder_name: Mapped[str | None] = mapped_column(String(100))
    holder_region_code: Mapped[str | None] = mapped_column(String(6))  # the card's issuing region
    method: Mapped[str | None] = mapped_column(String(4))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    denied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
