"""The built-in e-SSC emulator: a small device-flow OpenID Connect provider that stands in for the national
electronic social security card platform in development and demo mode. See docs/essc.md."""

from skillvoucher.essc.emulator.errors import (
    DeviceAuthorizationRefused,
    DeviceRequestClosed,
    HolderInvalid,
    UserCodeNotFound,
    WrongPin,
)
from skillvoucher.essc.emulator.holders import DEMO_PIN, registry_holder, sample_holders, typed_holder
from skillvoucher.essc.emulator.models import DeviceRequest
from skillvoucher.essc.emulator.provider import (
    DEFAULT_CLIENT_ID,
    DEVICE_PAGE_PATH,
    IN_PROCESS_ISSUER,
    PATH_PREFIX,
    EmulatorProvider,
    issuer_for,
)
from skillvoucher.essc.emulator.rules import normalize_user_code
from skillvoucher.essc.emulator.service import (
    DeviceGrant,
    IssuedToken,
    PendingRequest,
    TokenRefusal,
    approve,
    authorize_device,
    deny,
    exchange_device_code,
    open_request,
    pending_request,
)
from skillvoucher.essc.emulator.signing import ALGORITHM, CardHolder, EmulatorKeys, emulator_keys

__all__ = [
    "ALGORITHM",
    "DEFAULT_CLIENT_ID",
    "DEMO_PIN",
    "DEVICE_PAGE_PATH",
    "IN_PROCESS_ISSUER",
    "PATH_PREFIX",
    "CardHolder",
    "DeviceAuthorizationRefused",
    "DeviceGrant",
    "DeviceRequest",
    "DeviceRequestClosed",
    "EmulatorKeys",
    "EmulatorProvider",
    "HolderInvalid",
    "IssuedToken",
    "PendingRequest",
    "TokenRefusal",
    "UserCodeNotFound",
    "WrongPin",
    "approve",
    "authorize_device",
    "deny",
    "emulator_keys",
    "exchange_device_code",
    "issuer_for",
    "normalize_user_code",
    "open_request",
    "pending_request",
    "registry_holder",
    "sample_holders",
    "typed_holder",
]
