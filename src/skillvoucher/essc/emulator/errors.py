"""What the emulator refuses. Messages are safe to show (no ID numbers); pages translate them by `code`."""

from __future__ import annotations

from skillvoucher.core import Conflict, Invalid, NotFound


class DeviceAuthorizationRefused(Invalid):
    """A site's device authorization request is unusable; `error` is the RFC 6749 §5.2 code to answer with."""

    def __init__(self, message: str, *, error: str = "invalid_request") -> None:
        super().__init__(message)
        self.error = error


class UserCodeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("没有这个确认码 / no sign-in request has this code")


class DeviceRequestClosed(Conflict):
    """The request was already answered, or its QR code has expired."""

    def __init__(self, *, expired: bool) -> None:
        message = "二维码已过期 / this QR code has expired" if expired else "该请求已处理 / this request was answered"
        super().__init__(message, code="DeviceRequestExpired" if expired else "DeviceRequestAnswered")


class WrongPin(Invalid):
    def __init__(self) -> None:
        super().__init__("密码错误 / wrong PIN")


class HolderInvalid(Invalid):
    """The card holder given on the phone page cannot hold a card (bad ID number, no name, bad region)."""
