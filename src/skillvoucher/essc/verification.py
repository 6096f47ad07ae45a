"""Verifying an ID token from any e-SSC provider: signature, issuer, audience, times, then the identity claims.

Shared by the emulator and the OIDC adapter, so both refuse the same things the same way. Each refusal is an
`IdentityTokenRejected` whose `code` names the condition; messages never repeat a claim's value. Replay (the token
id) and the issuing region's existence are checked by the site, in its own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any, Final

from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from skillvoucher.essc.claims import ID_NUMBER_CLAIM, NAME_CLAIM, REGION_CLAIM
from skillvoucher.identity import IdentityTokenRejected, ResidentIdError, VerifiedIdentity, parse_resident_id

CLOCK_SKEW_SECONDS: Final = 60
ACCEPTED_METHODS: Final = ("face", "pin")  # what the e-SSC confirms with; anything weaker is not real-name
MAX_TOKEN_LENGTH: Final = 16_000
_REGION = re.compile(r"\d{6}")


class UnknownSigningKey(IdentityTokenRejected):
    """The token names a key the provider's key set does not have (the provider may have rotated its keys)."""


def rejected(code: str, message: str) -> IdentityTokenRejected:
    return IdentityTokenRejected(message, code=code)


def verify_identity_token(
    id_token: str,
    *,
    keys: KeySet,
    algorithms: Collection[str],
    issuer: str,
    audience: str,
    now: datetime,
    leeway: int = CLOCK_SKEW_SECONDS,
) -> VerifiedIdentity:
    claims = _verified_claims(id_token, keys=keys, algorithms=algorithms)
    _check_registered_claims(claims, issuer=issuer, audience=audience, now=now, leeway=leeway)
    return _identity(claims, today=now.date(), now=now, leeway=leeway)


def _verified_claims(id_token: str, *, keys: KeySet, algorithms: Collection[str]) -> dict[str, Any]:
    if not isinstance(id_token, str) or not id_token or len(id_token) > MAX_TOKEN_LENGTH:
        raise rejected("IdTokenMalformed", "身份令牌格式无效 / the identity token is not well formed")
    try:
        token = jwt.decode(id_token, keys, algorithms=list(algorithms))
    except BadSignatureError:
        raise rejected(
            "IdTokenBadSignature", "身份令牌签名无效 / the identity token's signature is not valid"
        ) from None
    except InvalidKeyIdError:
        raise UnknownSigningKey(
            "身份令牌的签名密钥未知 / the identity token was signed with an unknown key", code="IdTokenUnknownKey"
        ) from None
    except (JoseError, ValueError):
        raise rejected("IdTokenMalformed", "身份令牌格式无效 / the identity token is not well formed") from None
    return dict(token.claims)


def _check_registered_claims(claims: dict[str, Any], *, issuer: str, audience: str, now: datetime, leeway: int) -> None:
    registry = JWTClaimsRegistry(
        now=int(now.timestamp()),
        leeway=leeway,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise rejected("IdTokenExpired", "身份令牌已过期 / the identity token has expired; scan again") from None
    except InvalidClaimError as error:
        if error.claim == "iss":
            raise rejected(
                "IdTokenWrongIssuer", "身份令牌不是本平台签发的 / the identity token is from another issuer"
            ) from None
        if error.claim == "aud":
            raise rejected(
                "IdTokenWrongAudience", "身份令牌不是签发给本站的 / the identity token is for another site"
            ) from None
        raise rejected("IdTokenMalformed", "身份令牌格式无效 / the identity token is not well formed") from None
    except JoseError:
        raise rejected("IdTokenMalformed", "身份令牌缺少必要内容 / the identity token lacks required claims") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != audience:  # OpenID Connect Core §3.1.3.7, rule 4 and 5
        raise rejected("IdTokenWrongAudience", "身份令牌不是签发给本站的 / the identity token is for another site")


def _identity(claims: dict[str, Any], *, today: date, now: datetime, leeway: int) -> VerifiedIdentity:
    raw_number, name, region = claims.get(ID_NUMBER_CLAIM), claims.get(NAME_CLAIM), claims.get(REGION_CLAIM)
    if not isinstance(raw_number, str):
        raise rejected("IdTokenMalformed", "身份令牌缺少身份证号 / the identity token carries no ID number")
    try:
        id_number = parse_resident_id(raw_number, today=today).number
    except ResidentIdError as error:
        raise rejected(
            "IdTokenBadIdNumber", f"身份令牌中的身份证号无效 / the ID number in the token: {error}"
        ) from None
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100 or not name.strip().isprintable():
        raise rejected("IdTokenMalformed", "身份令牌中的姓名无效 / the name in the identity token is not valid")
    if not isinstance(region, str) or not _REGION.fullmatch(region):
        raise rejected("IdTokenBadRegion", "身份令牌中的发卡地区无效 / the token's issuing region is not a region code")
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int) or auth_time > now.timestamp() + leeway:
        raise rejected("IdTokenMalformed", "身份令牌缺少确认时间 / the identity token has no valid auth_time")
    methods = claims.get("amr")
    method = next((m for m in ACCEPTED_METHODS if isinstance(methods, list) and m in methods), None)
    if method is None:
        raise rejected(
            "IdTokenWeakAuthentication",
            "身份令牌未经人脸或密码确认 / the identity was not confirmed with a face check or PIN",
        )
    token_id = claims["jti"]
    if not isinstance(token_id, str) or not 8 <= len(token_id) <= 100:
        raise rejected("IdTokenMalformed", "身份令牌编号无效 / the identity token's id (jti) is not valid")
    return VerifiedIdentity(
        id_number=id_number,
        name=name.strip(),
        region_code=region,
        authenticated_at=datetime.fromtimestamp(auth_time, UTC),
        method=method,
        token_id=token_id,
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
    )
