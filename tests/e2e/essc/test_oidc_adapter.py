"""The generic OpenID Connect adapter against the emulator's own HTTP endpoints: the emulator is a real device-flow
OIDC provider, so the adapter is tested end to end (discovery, device authorization, polling, JWKS) without network."""

from __future__ import annotations

from datetime import timedelta

import httpx2
import pytest
from fastapi.testclient import TestClient
from tests.e2e.essc.conftest import ISSUER, confirm_on_phone
from tests.factories.identity import make_id_number, wrong_check_character

from skillvoucher.app import Runtime
from skillvoucher.core.clock import FixedClock
from skillvoucher.essc import OidcProvider, build_identity_provider
from skillvoucher.identity.ports import DeviceCodeRejected, IdentityProviderUnavailable, IdentityTokenRejected
from skillvoucher.settings import SettingsError


def provider(
    transport: httpx2.BaseTransport, runtime: Runtime, *, issuer: str = ISSUER, client_id: str = "skillvoucher"
) -> OidcProvider:
    return OidcProvider(
        issuer=issuer, client_id=client_id, transport=transport, clock=runtime.clock, allow_insecure_http=True
    )


def signed_in(oidc: OidcProvider, client: TestClient, **form: str) -> str:
    started = oidc.start_sign_in(verification_base_url="http://ignored.example")
    assert started.verification_uri == f"{ISSUER}/device"
    assert oidc.poll(started.device_code).status == "pending"
    answer = {"action": "pin", "holder": "other", "name": "刘洋", "region": "", "pin": "123456", **form}
    assert 'data-result="approved"' in confirm_on_phone(client, started.user_code, **answer)
    result = oidc.poll(started.device_code)
    assert result.status == "complete"
    assert result.id_token
    with pytest.raises(DeviceCodeRejected):
        oidc.poll(started.device_code)
    return result.id_token


def test_sign_in_through_the_oidc_adapter(
    transport: httpx2.MockTransport, runtime: Runtime, client: TestClient
) -> None:
    oidc = provider(transport, runtime, issuer=ISSUER + "/")
    number = make_id_number("310104")
    identity = oidc.verify_id_token(signed_in(oidc, client, id_number=number, region="310100"))
    assert (identity.id_number, identity.name, identity.region_code, identity.method) == (
        number,
        "刘洋",
        "310100",
        "pin",
    )
    assert oidc.metadata().algorithms == ("Ed25519",)


def test_the_adapter_refuses_tokens_it_should_not_accept(
    transport: httpx2.MockTransport, runtime: Runtime, client: TestClient
) -> None:
    oidc = provider(transport, runtime)
    token = signed_in(oidc, client, id_number=make_id_number())
    with pytest.raises(IdentityTokenRejected) as refused:
        provider(transport, runtime, client_id="another-site").verify_id_token(token)
    assert refused.value.code == "IdTokenWrongAudience"

    runtime.clock = FixedClock(runtime.clock.now() + timedelta(minutes=7))
    with pytest.raises(IdentityTokenRejected) as expired:
        provider(transport, runtime).verify_id_token(token)
    assert expired.value.code == "IdTokenExpired"


def test_the_in_process_emulator_tokens_are_not_the_http_issuers(
    transport: httpx2.MockTransport, runtime: Runtime, client: TestClient
) -> None:
    token = signed_in(provider(transport, runtime), client, id_number=make_id_number())
    with pytest.raises(IdentityTokenRejected) as refused:
        build_identity_provider(runtime).verify_id_token(token)  # the emulator in-process: another issuer
    assert refused.value.code == "IdTokenWrongIssuer"


def test_the_phone_refuses_a_bad_id_number_so_the_flow_stays_pending(
    transport: httpx2.MockTransport, runtime: Runtime, client: TestClient
) -> None:
    oidc = provider(transport, runtime)
    started = oidc.start_sign_in(verification_base_url="")
    bad = wrong_check_character(make_id_number())
    page = confirm_on_phone(client, started.user_code, action="face", holder="other", id_number=bad, name="刘洋")
    assert 'id="error"' in page
    assert bad not in page
    assert oidc.poll(started.device_code).status == "pending"


def test_a_wrong_issuer_or_unreachable_provider_is_unavailable(
    transport: httpx2.MockTransport, runtime: Runtime
) -> None:
    with pytest.raises(IdentityProviderUnavailable):
        provider(transport, runtime, issuer="http://testserver/elsewhere").start_sign_in(verification_base_url="")

    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    with pytest.raises(IdentityProviderUnavailable):
        provider(httpx2.MockTransport(refuse), runtime).poll("code")


def test_the_adapter_needs_https_outside_development() -> None:
    with pytest.raises(ValueError, match="https"):
        OidcProvider(issuer="http://essc.example", client_id="skillvoucher")
    assert OidcProvider(issuer="https://essc.example/", client_id="skillvoucher").issuer == "https://essc.example"


def test_the_settings_choose_the_adapter(runtime: Runtime) -> None:
    runtime.settings.essc_provider = "oidc"
    runtime.settings.oidc_issuer = "https://essc.example"
    runtime.settings.oidc_client_id = "skillvoucher"
    assert isinstance(build_identity_provider(runtime), OidcProvider)
    runtime.settings.essc_provider = "emulator"
    runtime.settings.essc_emulator_enabled = False
    with pytest.raises(SettingsError, match="SKILLVOUCHER_ESSC_EMULATOR_ENABLED"):
        build_identity_provider(runtime)
