"""Signing workers in with the electronic social security card (电子社保卡): the adapters of the identity-provider
port (`skillvoucher.identity.ports.IdentityProvider`) — the built-in emulator and a generic OpenID Connect provider.
See docs/essc.md."""

from skillvoucher.app import Runtime
from skillvoucher.essc.claims import ID_NUMBER_CLAIM, NAME_CLAIM, REGION_CLAIM
from skillvoucher.essc.emulator import DEFAULT_CLIENT_ID, EmulatorProvider
from skillvoucher.essc.oidc import DEVICE_GRANT, OidcProvider
from skillvoucher.essc.verification import CLOCK_SKEW_SECONDS, verify_identity_token
from skillvoucher.identity import IdentityProvider
from skillvoucher.settings import SettingsError


def build_identity_provider(runtime: Runtime) -> IdentityProvider:
    """The adapter the settings choose. The emulator is refused when it is switched off (production's default)."""
    settings = runtime.settings
    if settings.essc_provider == "emulator":
        if not settings.emulator_enabled:
            raise SettingsError(
                "SKILLVOUCHER_ESSC_PROVIDER is 'emulator' but the e-SSC emulator is off (its default outside "
                "development and demo mode). Configure the real platform with SKILLVOUCHER_ESSC_PROVIDER=oidc, "
                "SKILLVOUCHER_OIDC_ISSUER and SKILLVOUCHER_OIDC_CLIENT_ID, or, for a test system only, set "
                "SKILLVOUCHER_ESSC_EMULATOR_ENABLED=true"
            )
        return EmulatorProvider(runtime, client_id=DEFAULT_CLIENT_ID)
    if not (settings.oidc_issuer and settings.oidc_client_id):
        raise SettingsError(
            "SKILLVOUCHER_OIDC_ISSUER and SKILLVOUCHER_OIDC_CLIENT_ID are required for the oidc provider"
        )
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    try:
        return OidcProvider(
            issuer=settings.oidc_issuer,
            client_id=settings.oidc_client_id,
            client_secret=secret,
            clock=runtime.clock,
            allow_insecure_http=settings.is_development,
        )
    except ValueError as error:
        raise SettingsError(f"SKILLVOUCHER_OIDC_ISSUER: {error}") from error


__all__ = [
    "CLOCK_SKEW_SECONDS",
    "DEVICE_GRANT",
    "ID_NUMBER_CLAIM",
    "NAME_CLAIM",
    "REGION_CLAIM",
    "EmulatorProvider",
    "OidcProvider",
    "build_identity_provider",
    "verify_identity_token",
]
