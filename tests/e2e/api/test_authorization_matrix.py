"""Who may use which route: every API route and page, from the app's own route table, for every kind of principal,
on a resource inside and outside their scope.

- A route must declare exactly one of `public`, `machine_public` or `require(Permission.X)`.
- A route must have a rule in RULES below: a new route without one fails `test_every_route_has_a_rule`.
- Each rule names who may use the route; `scoped` rules are tried on a resource inside the principal's region or
  institution (allowed as the rule says) and outside it (only an administrator). Denied means 403, or for someone
  not signed in: 401, or a redirect to the sign-in page.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response
from tests.factories.accounts import csrf, make_staff, sign_in, sign_in_worker
from tests.factories.identity import make_id_number, make_record
from tests.factories.training import assessment_body_row, institution_row
from tests.factories.vouchers import terms

from skillvoucher.app import Runtime
from skillvoucher.core import Actor, utc_now
from skillvoucher.identity import Principal, Role, create_api_key, register_person
from skillvoucher.vouchers import Eligibility, Validity, claim_from_policy, define_policy, start_batch
from skillvoucher.web.app import create_app
from skillvoucher.web.auth import Requirement, machine_public, public

ANONYMOUS, WORKER, INSTITUTION, ASSESSOR = "anonymous", "worker", "institution_staff", "assessor"
PROVINCE, CITY, COUNTY, AUDITOR, ADMIN, API_KEY = (
    "province_officer",
    "city_officer",
    "county_officer",
    "auditor",
    "admin",
    "api_key",
)
PRINCIPALS: Final = (ANONYMOUS, WORKER, INSTITUTION, ASSESSOR, PROVINCE, CITY, COUNTY, AUDITOR, ADMIN, API_KEY)
ALL: Final = frozenset(PRINCIPALS)
SIGNED_IN: Final = ALL - {ANONYMOUS}
STAFF: Final = frozenset({INSTITUTION, ASSESSOR, PROVINCE, CITY, COUNTY, AUDITOR, ADMIN})
READERS: Final = frozenset({PROVINCE, CITY, COUNTY, AUDITOR, ADMIN})
MANAGERS: Final = frozenset({PROVINCE, CITY, COUNTY, ADMIN})
NOBODY: Final = frozenset[str]()
NO_STATUS: Final = frozenset[int]()
# Scopes: Fujian (province), Xiamen (city), Siming (county, in Xiamen); the outside is Guangzhou's Tianhe district.
IN_REGION, OUT_REGION = "350203", "440106"


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    scoped: bool = False  # tried inside and outside the principal's scope; outside, only an administrator may
    also_ok: frozenset[int] = NO_STATUS  # statuses besides 2xx/3xx that mean "let in, then refused the input"
    body: Callable[[str, World], tuple[str, dict[str, Any]]] | None = None  # (form | json, fields) for a scope
    ends_session: int = 0  # run after everything else, in this order
    region_query: bool = False  # the resource is named by ?region=: the principal's scope, or outside it


def form(**fields: Any) -> Callable[[str, World], tuple[str, dict[str, Any]]]:
    return lambda scope, world: ("form", fields)


_names = itertools.count(1)


def new_staff(kind: str) -> Callable[[str, World], tuple[str, dict[str, Any]]]:
    def body(scope: str, world: World) -> tuple[str, dict[str, Any]]:
        region = IN_REGION if scope == "in" else OUT_REGION
        fields = {
            "username": f"made-{next(_names)}",
            "display_name": "新员工",
            "role": "auditor",
            "region_code": region,
        }
        return kind, fields

    return body


def binding(kind: str) -> Callable[[str, World], tuple[str, dict[str, Any]]]:
    def body(scope: str, world: World) -> tuple[str, dict[str, Any]]:
        region, institution = (
            (IN_REGION, world.institutions[0]) if scope == "in" else (OUT_REGION, world.institutions[1])
        )
        return kind, {"role": "institution_staff", "region_code": region, "institution_id": institution}

    return body


def json_body(**fields: Any) -> Callable[[str, World], tuple[str, dict[str, Any]]]:
    return lambda scope, world: ("json", fields)


EMPTY_JSON: Final = json_body()


def new_policy(kind: str) -> Callable[[str, World], tuple[str, dict[str, Any]]]:
    """A valid face-value policy in the scope's region (inside: the county officer's own county)."""

    def body(scope: str, world: World) -> tuple[str, dict[str, Any]]:
        region, today = (IN_REGION if scope == "in" else OUT_REGION), utc_now().date()
        days = {"opens_on": today, "closes_on": today + timedelta(days=30), "valid_until": today + timedelta(days=60)}
        dates = {key: value.isoformat() for key, value in days.items()}
        common = {"name": "矩阵测试政策", "kind": "face_value", "funding_source": "就业补助资金", **dates}
        if kind == "json":
            return kind, {**common, "region_code": region, "value_fen": 100_000}
        return kind, {**common, "region": region, "value_mode": "fixed", "value_yuan": "1000", "validity_mode": "until"}

    return body


INPUT_REFUSED: Final = frozenset({404, 409, 422})
INSTITUTION_SELF: Final = frozenset({INSTITUTION, API_KEY})  # the institution's staff and its systems
WORKER_ONLY: Final = frozenset({WORKER})
REASON_JSON: Final = json_body(reason="核查发现重复")
REASON_FORM: Final = form(reason="核查发现重复")
BAD_SIGN_IN = form(username="nobody", password="not-the-password")
NEW_PASSWORD = form(current="wrong-password-1", new="Another-pass-99", repeat="Another-pass-99")
RULES: Final[dict[tuple[str, str], Rule]] = {
    # framework, health, catalogues
    ("GET", "/openapi.json"): Rule(ALL),
    ("HEAD", "/openapi.json"): Rule(ALL),
    ("GET", "/healthz"): Rule(ALL),
    ("GET", "/.well-known/skillvoucher/voucher-keys.json"): Rule(ALL),  # voucher QR keys, for institutions' apps
    ("GET", "/api/v1/"): Rule(ALL),
    ("GET", "/api/v1/regions"): Rule(ALL),
    ("GET", "/api/v1/regions/{code}"): Rule(ALL),
    ("GET", "/api/v1/occupations"): Rule(ALL),
    ("GET", "/api/v1/skill-levels"): Rule(ALL),
    ("GET", "/"): Rule(ALL),
    ("GET", "/favicon.ico"): Rule(ALL),
    ("GET", "/regions"): Rule(ALL),
    ("GET", "/regions/{code}"): Rule(ALL),
    ("GET", "/occupations"): Rule(ALL),
    # signing in and out (public: they check credentials themselves)
    ("GET", "/sign-in"): Rule(ALL),
    ("GET", "/sign-in/staff"): Rule(ALL),
    ("POST", "/sign-in/staff"): Rule(ALL, also_ok=frozenset({400}), body=BAD_SIGN_IN),
    ("GET", "/sign-in/staff/code"): Rule(ALL),
    ("POST", "/sign-in/staff/code"): Rule(ALL, body=form(code="000000")),
    ("GET", "/sign-in/staff/new-password"): Rule(ALL),
    ("POST", "/sign-in/staff/new-password"): Rule(ALL, body=NEW_PASSWORD),
    ("GET", "/sign-in/staff/authenticator"): Rule(ALL),
    ("POST", "/sign-in/staff/authenticator"): Rule(ALL, body=form(code="000000")),
    ("GET", "/sign-in/worker"): Rule(ALL),
    ("POST", "/sign-in/worker/poll"): Rule(ALL, also_ok=frozenset({400})),
    ("GET", "/sign-in/confirm"): Rule(frozenset({WORKER})),
    ("POST", "/sign-in/confirm/poll"): Rule(frozenset({WORKER}), also_ok=frozenset({400})),
    ("POST", "/account/sign-out-everywhere"): Rule(SIGNED_IN - {API_KEY}, ends_session=1),
    ("POST", "/sign-out"): Rule(ALL, ends_session=2),
    # my account, my page
    ("GET", "/account"): Rule(SIGNED_IN),
    ("GET", "/account/password"): Rule(STAFF),
    ("POST", "/account/password"): Rule(STAFF, also_ok=frozenset({422}), body=NEW_PASSWORD),
    ("GET", "/me"): Rule(frozenset({WORKER})),
    ("GET", "/api/v1/me"): Rule(SIGNED_IN),
    # persons, for officers and auditors in their region
    ("GET", "/persons"): Rule(READERS),
    ("POST", "/persons"): Rule(READERS, body=form(q="张")),
    ("GET", "/persons/{person_id}"): Rule(READERS, scoped=True),
    ("GET", "/api/v1/persons"): Rule(READERS),
    ("GET", "/api/v1/persons/{person_id}"): Rule(READERS, scoped=True),
    # staff administration
    ("GET", "/staff"): Rule(READERS),
    ("GET", "/staff/new"): Rule(MANAGERS),
    ("POST", "/staff/new"): Rule(MANAGERS, scoped=True, body=new_staff("form")),
    ("GET", "/staff/{account_id}"): Rule(READERS, scoped=True),
    ("POST", "/staff/{account_id}/disable"): Rule(MANAGERS, scoped=True),
    ("POST", "/staff/{account_id}/enable"): Rule(MANAGERS, scoped=True),
    ("POST", "/staff/{account_id}/reset-password"): Rule(MANAGERS, scoped=True),
    ("POST", "/staff/{account_id}/reset-totp"): Rule(MANAGERS, scoped=True),
    ("POST", "/staff/{account_id}/role"): Rule(MANAGERS, scoped=True, body=binding("form")),
    ("GET", "/api/v1/staff"): Rule(READERS),
    ("POST", "/api/v1/staff"): Rule(MANAGERS, scoped=True, body=new_staff("json")),
    ("GET", "/api/v1/staff/{account_id}"): Rule(READERS, scoped=True),
    ("POST", "/api/v1/staff/{account_id}/disable"): Rule(MANAGERS, scoped=True),
    ("POST", "/api/v1/staff/{account_id}/enable"): Rule(MANAGERS, scoped=True),
    ("POST", "/api/v1/staff/{account_id}/reset-password"): Rule(MANAGERS, scoped=True),
    ("POST", "/api/v1/staff/{account_id}/reset-totp"): Rule(MANAGERS, scoped=True),
    ("POST", "/api/v1/staff/{account_id}/role"): Rule(MANAGERS, scoped=True, body=binding("json")),
    # an institution's API keys, by its staff (not by its keys)
    ("GET", "/institution/api-keys"): Rule(frozenset({INSTITUTION})),
    ("POST", "/institution/api-keys"): Rule(frozenset({INSTITUTION}), body=form(name="报名系统")),
    ("POST", "/institution/api-keys/{key_id}/revoke"): Rule(frozenset({INSTITUTION}), scoped=True),
    ("GET", "/api/v1/institution/api-keys"): Rule(frozenset({INSTITUTION})),
    ("POST", "/api/v1/institution/api-keys"): Rule(frozenset({INSTITUTION}), body=json_body(name="报名系统")),
    ("POST", "/api/v1/institution/api-keys/{key_id}/revoke"): Rule(frozenset({INSTITUTION}), scoped=True),
    # the two catalogues (docs/catalogues.md): checked here at the route (who holds the permission); the resource
    # checks (region, institution) are the catalogue tests'. Bodies are empty, so a principal let in gets 422.
    ("GET", "/api/v1/courses"): Rule(ALL),
    ("GET", "/courses"): Rule(ALL),
    ("GET", "/api/v1/institutions/{institution_id}"): Rule(ALL),
    ("GET", "/api/v1/demand-catalogue"): Rule(ALL, region_query=True),
    ("GET", "/api/v1/institutions"): Rule(READERS, scoped=True, region_query=True),
    ("GET", "/api/v1/class-applications"): Rule(READERS, scoped=True, region_query=True),
    ("POST", "/api/v1/institutions"): Rule(MANAGERS, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("POST", "/api/v1/institutions/{institution_id}/accreditation"): Rule(
        MANAGERS, also_ok=INPUT_REFUSED, body=EMPTY_JSON
    ),
    ("PUT", "/api/v1/institutions/{institution_id}/scope"): Rule(MANAGERS, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("POST", "/api/v1/institutions/{institution_id}/bank-account-changes"): Rule(
        INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=EMPTY_JSON
    ),
    ("POST", "/api/v1/bank-account-changes/{change_id}/decision"): Rule(
        MANAGERS, also_ok=INPUT_REFUSED, body=EMPTY_JSON
    ),
    ("POST", "/api/v1/demand-entries"): Rule(MANAGERS, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("POST", "/api/v1/courses"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("POST", "/api/v1/courses/{course_id}/withdrawal"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("POST", "/api/v1/classes"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("POST", "/api/v1/classes/{class_id}/decision"): Rule(MANAGERS, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("POST", "/api/v1/classes/{class_id}/cancellation"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("GET", "/api/v1/classes/{class_id}/roster"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("PUT", "/api/v1/classes/{class_id}/roster"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    # the catalogue pages (docs/catalogues.md): an institution's staff, and the bureau; empty forms are refused
    ("GET", "/institution"): Rule(INSTITUTION_SELF),
    ("GET", "/institution/courses"): Rule(INSTITUTION_SELF),
    ("POST", "/institution/courses"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("GET", "/institution/classes"): Rule(INSTITUTION_SELF),
    ("POST", "/institution/classes"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("POST", "/institution/classes/{class_id}/roster"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("POST", "/institution/classes/{class_id}/cancellation"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("POST", "/institution/courses/{course_id}/withdrawal"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("GET", "/bureau/classes"): Rule(READERS, scoped=True, region_query=True),
    ("POST", "/bureau/classes/{class_id}/decision"): Rule(MANAGERS, also_ok=INPUT_REFUSED),
    ("GET", "/bureau/institutions"): Rule(READERS, scoped=True, region_query=True),
    ("GET", "/bureau/demand"): Rule(READERS, scoped=True, region_query=True),
    ("POST", "/bureau/demand/import"): Rule(MANAGERS, also_ok=INPUT_REFUSED),
    ("POST", "/bureau/institutions/{institution_id}/accreditation"): Rule(MANAGERS, also_ok=INPUT_REFUSED),
    # vouchers (docs/vouchers.md): the bureau in its region, the worker for themself; actions refused for the state
    # the matrix leaves a policy in (closed, already claimed) still count as "let in"
    ("GET", "/api/v1/voucher-policies"): Rule(READERS, scoped=True, region_query=True),
    ("POST", "/api/v1/voucher-policies"): Rule(MANAGERS, scoped=True, body=new_policy("json")),
    ("GET", "/api/v1/voucher-policies/{policy_id}"): Rule(READERS, scoped=True),
    ("POST", "/api/v1/voucher-policies/{policy_id}/batches"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED),
    ("POST", "/api/v1/voucher-policies/{policy_id}/listed"): Rule(
        MANAGERS, scoped=True, also_ok=INPUT_REFUSED, body=json_body(id_numbers=["1"])
    ),
    ("POST", "/api/v1/voucher-policies/{policy_id}/roster-issue"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED),
    ("GET", "/api/v1/jobs/{job_id}"): Rule(READERS, scoped=True),
    ("POST", "/api/v1/jobs/{job_id}/revoke"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED, body=REASON_JSON),
    ("GET", "/api/v1/vouchers/{voucher_id}"): Rule(READERS, scoped=True),
    ("POST", "/api/v1/vouchers/{voucher_id}/revoke"): Rule(
        MANAGERS, scoped=True, also_ok=INPUT_REFUSED, body=REASON_JSON
    ),
    ("GET", "/api/v1/me/vouchers"): Rule(WORKER_ONLY),
    ("GET", "/api/v1/me/voucher-offers"): Rule(WORKER_ONLY),
    ("POST", "/api/v1/me/voucher-offers/{policy_id}/claim"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("POST", "/api/v1/me/vouchers/{voucher_id}/take-up"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("GET", "/api/v1/me/vouchers/{voucher_id}/qr-token"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("GET", "/bureau/policies"): Rule(READERS, scoped=True, region_query=True),
    ("GET", "/bureau/policies/new"): Rule(MANAGERS),
    ("POST", "/bureau/policies/new"): Rule(MANAGERS, scoped=True, body=new_policy("form")),
    ("GET", "/bureau/policies/{policy_id}"): Rule(READERS, scoped=True),
    ("POST", "/bureau/policies/{policy_id}/batch"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED),
    ("POST", "/bureau/policies/{policy_id}/listed"): Rule(
        MANAGERS, scoped=True, also_ok=INPUT_REFUSED, body=form(id_numbers="1")
    ),
    ("POST", "/bureau/policies/{policy_id}/roster-issue"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED),
    ("GET", "/bureau/jobs/{job_id}"): Rule(READERS, scoped=True),
    ("POST", "/bureau/jobs/{job_id}/revoke"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED, body=REASON_FORM),
    ("GET", "/bureau/vouchers"): Rule(READERS),
    ("GET", "/bureau/vouchers/{voucher_id}"): Rule(READERS, scoped=True),
    ("POST", "/bureau/vouchers/{voucher_id}/revoke"): Rule(
        MANAGERS, scoped=True, also_ok=INPUT_REFUSED, body=REASON_FORM
    ),
    ("GET", "/worker/vouchers"): Rule(WORKER_ONLY),
    ("POST", "/worker/vouchers/{voucher_id}/take-up"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("GET", "/worker/vouchers/{voucher_id}/qr"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("GET", "/worker/policies"): Rule(WORKER_ONLY),
    ("POST", "/worker/policies/{policy_id}/claim"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("POST", "/api/v1/voucher-policies/{policy_id}/close"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED),
    ("POST", "/bureau/policies/{policy_id}/close"): Rule(MANAGERS, scoped=True, also_ok=INPUT_REFUSED),
    # using a voucher (docs/enrolment.md): the institution for its classes, the worker for themself, assessors,
    # the bureau's evidence and revocations; the classes, sessions, enrolments and serials named do not exist
    ("POST", "/api/v1/classes/{class_id}/enrolments/verify"): Rule(
        INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=json_body(presented="x")
    ),
    ("GET", "/api/v1/classes/{class_id}/evidence"): Rule(INSTITUTION_SELF | READERS, also_ok=INPUT_REFUSED),
    ("POST", "/api/v1/classes/{class_id}/attendance-file"): Rule(
        INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=EMPTY_JSON
    ),
    ("GET", "/api/v1/sessions/{session_id}/screen-code"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("POST", "/api/v1/enrolments/{enrolment_id}/cancel"): Rule(
        INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=REASON_JSON
    ),
    ("GET", "/api/v1/me/enrolments"): Rule(WORKER_ONLY),
    ("POST", "/api/v1/me/enrolments/{enrolment_id}/confirm"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("POST", "/api/v1/me/enrolments/{enrolment_id}/cancel"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED, body=REASON_JSON),
    ("POST", "/api/v1/me/check-ins"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED, body=json_body(code="1.2.x")),
    ("POST", "/api/v1/classes/{class_id}/results"): Rule(frozenset({ASSESSOR}), also_ok=INPUT_REFUSED, body=EMPTY_JSON),
    ("GET", "/api/v1/certificates/{serial}"): Rule(ALL, also_ok=frozenset({404})),
    ("POST", "/api/v1/certificates/{serial}/revoke"): Rule(MANAGERS, also_ok=INPUT_REFUSED, body=REASON_JSON),
    ("GET", "/institution/classes/{class_id}/enrol"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("POST", "/institution/classes/{class_id}/enrol"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("GET", "/institution/classes/{class_id}/sessions/{session_id}/screen"): Rule(
        INSTITUTION_SELF, also_ok=INPUT_REFUSED
    ),
    ("GET", "/institution/classes/{class_id}/attendance-file"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("POST", "/institution/classes/{class_id}/attendance-file"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("GET", "/institution/classes/{class_id}/evidence"): Rule(INSTITUTION_SELF, also_ok=INPUT_REFUSED),
    ("POST", "/institution/classes/{class_id}/enrolments/{enrolment_id}/cancel"): Rule(
        INSTITUTION_SELF, also_ok=INPUT_REFUSED, body=REASON_FORM
    ),
    ("GET", "/worker/enrolments"): Rule(WORKER_ONLY),
    ("POST", "/worker/enrolments/{enrolment_id}/confirm"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED),
    ("POST", "/worker/enrolments/{enrolment_id}/cancel"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED, body=REASON_FORM),
    ("GET", "/worker/check-in"): Rule(WORKER_ONLY),
    ("POST", "/worker/check-in"): Rule(WORKER_ONLY, also_ok=INPUT_REFUSED, body=form(code="1.2.x")),
    ("GET", "/worker/record"): Rule(WORKER_ONLY),
    ("GET", "/assessor/classes"): Rule(frozenset({ASSESSOR})),
    ("GET", "/assessor/classes/{class_id}"): Rule(frozenset({ASSESSOR}), also_ok=INPUT_REFUSED),
    ("POST", "/assessor/classes/{class_id}"): Rule(frozenset({ASSESSOR}), also_ok=INPUT_REFUSED),
    ("GET", "/certificates"): Rule(ALL),
    ("GET", "/certificates/{serial}"): Rule(ALL, also_ok=frozenset({404})),
    ("GET", "/bureau/classes/{class_id}/evidence"): Rule(READERS, also_ok=INPUT_REFUSED),
    ("POST", "/bureau/certificates/{serial}/revoke"): Rule(
        MANAGERS, also_ok=INPUT_REFUSED, body=form(class_id="999999", reason="核查发现舞弊")
    ),
    # statistics (docs/statistics.md): officers and auditors in their region, the nation for an administrator
    ("GET", "/stats"): Rule(READERS),
    ("GET", "/stats/{region_code}"): Rule(READERS, scoped=True),
    ("GET", "/stats/{region_code}/tables/{table}.{file_format}"): Rule(READERS, scoped=True),
    ("GET", "/stats/{region_code}/report.xlsx"): Rule(READERS, scoped=True),
    ("GET", "/api/v1/statistics/{region_code}"): Rule(READERS, scoped=True),
    ("GET", "/api/v1/statistics/{region_code}/{table}"): Rule(READERS, scoped=True),
    # the e-SSC emulator (an external platform played in-process; its OAuth endpoints are for programs)
    ("POST", "/essc-emulator/oauth/device_authorization"): Rule(ALL, body=form(client_id="skillvoucher")),
    ("POST", "/essc-emulator/oauth/token"): Rule(
        ALL,
        also_ok=frozenset({400}),
        body=form(grant_type="urn:ietf:params:oauth:grant-type:device_code", device_code="x", client_id="skillvoucher"),
    ),
    ("GET", "/essc-emulator/.well-known/openid-configuration"): Rule(ALL),
    ("GET", "/essc-emulator/jwks.json"): Rule(ALL),
    ("GET", "/essc-emulator/device"): Rule(ALL),
    ("POST", "/essc-emulator/device"): Rule(
        ALL, also_ok=frozenset({404}), body=form(action="deny", user_code="BCDF-GHJK")
    ),
}
# The framework's own schema route declares nothing (it is FastAPI's); it is public by nature and has a rule above.
UNDECLARED: Final = {"/openapi.json"}
# Unsafe methods an auditor may use: their own sign-in, session and password, a search sent by POST (a read).
AUDITOR_MAY_POST: Final = {
    "/sign-in/staff",
    "/sign-in/staff/code",
    "/sign-in/staff/new-password",
    "/sign-in/staff/authenticator",
    "/sign-in/worker/poll",
    "/sign-out",
    "/account/sign-out-everywhere",
    "/account/password",
    "/persons",
    # the emulator plays the e-SSC platform (anyone's phone); it changes nothing of this system's records
    "/essc-emulator/device",
    "/essc-emulator/oauth/device_authorization",
    "/essc-emulator/oauth/token",
}


def routes(app: FastAPI) -> Iterator[tuple[str, str, Any]]:
    """(method, path, route) for every route the application answers, including those in included routers."""
    for context in iter_route_contexts(app.routes):
        for method in sorted(context.methods or ()):
            yield method, str(context.path), context


def declarations(context: Any) -> list[object]:
    dependant = getattr(context, "dependant", None)
    calls = [dependency.call for dependency in dependant.dependencies] if dependant else []
    return [call for call in calls if call in (public, machine_public) or isinstance(call, Requirement)]


def test_every_route_declares_who_may_use_it(runtime: Runtime) -> None:
    app = create_app(runtime)
    undeclared = []
    for method, path, context in routes(app):
        if path in UNDECLARED:
            assert not isinstance(context.original_route, APIRoute)
            continue
        if len(declarations(context)) != 1:
            undeclared.append(f"{method} {path}")
    assert undeclared == [], "declare Depends(public), Depends(machine_public) or Depends(require(...)), once"


def test_every_route_has_a_rule(runtime: Runtime) -> None:
    app = create_app(runtime)
    found = {(method, path) for method, path, _ in routes(app)}
    assert sorted(found - RULES.keys()) == [], "add a rule to RULES for each new route"
    assert sorted(RULES.keys() - found) == [], "these rules name routes that no longer exist"


def test_an_auditor_may_change_nothing() -> None:
    unsafe = [(method, path) for (method, path), rule in RULES.items() if AUDITOR in rule.allowed]
    changing = [path for method, path in unsafe if method not in ("GET", "HEAD")]
    assert sorted(set(changing) - AUDITOR_MAY_POST) == []


# --- the world the requests act on --------------------------------------------------------------------------------


@dataclass
class World:
    app: FastAPI
    clients: dict[str, TestClient]
    institutions: tuple[int, int]
    params: dict[str, tuple[str, str]] = field(default_factory=dict)  # path parameter -> (in scope, out of scope)


@pytest.fixture
def world(runtime: Runtime) -> Iterator[World]:
    app = create_app(runtime)
    with runtime.uow.begin() as session:
        home = institution_row(session, region_code=IN_REGION)
        away = institution_row(session, region_code=OUT_REGION)
        body = assessment_body_row(session)
        person_in = register_person(
            session, record=make_record(region_code=IN_REGION), cipher=runtime.cipher, actor=Actor.system("test")
        ).id
        person_out = register_person(
            session, record=make_record(region_code=OUT_REGION), cipher=runtime.cipher, actor=Actor.system("test")
        ).id
        keys = [
            create_api_key(
                session, institution_id=inst, name=name, by=_institution_principal(inst), now=runtime.clock.now()
            )
            for inst, name in ((home, "principal"), (home, "in"), (away, "out"))
        ]
    users = {
        INSTITUTION: make_staff(runtime, "inst", Role.INSTITUTION_STAFF, region_code=IN_REGION, institution_id=home),
        ASSESSOR: make_staff(runtime, "assessor", Role.ASSESSOR, assessment_body_id=body),
        PROVINCE: make_staff(runtime, "province", Role.BUREAU_OFFICER, region_code="350000"),
        CITY: make_staff(runtime, "city", Role.BUREAU_OFFICER, region_code="350200"),
        COUNTY: make_staff(runtime, "county", Role.BUREAU_OFFICER, region_code=IN_REGION),
        AUDITOR: make_staff(runtime, "auditor", Role.AUDITOR, region_code="350200"),
        ADMIN: make_staff(runtime, "admin", Role.ADMIN),
    }
    target_in = make_staff(runtime, "target-in", Role.INSTITUTION_STAFF, region_code=IN_REGION, institution_id=home)
    target_out = make_staff(runtime, "target-out", Role.INSTITUTION_STAFF, region_code=OUT_REGION, institution_id=away)
    clients = {name: TestClient(app) for name in PRINCIPALS}
    try:
        for name, user in users.items():
            signed_in = sign_in(clients[name], user)
            assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/account"), name
        worker = sign_in_worker(app, clients[WORKER], id_number=make_id_number(IN_REGION))
        assert worker.headers.get("HX-Redirect") == "/me"
        clients[API_KEY].headers["Authorization"] = f"Bearer {keys[0][1]}"
        csrf(clients[ANONYMOUS])  # an anonymous session with a CSRF token, as a browser on the sign-in page has
        params = {
            "person_id": (str(person_in), str(person_out)),
            "account_id": (str(target_in.id), str(target_out.id)),
            "key_id": (str(keys[1][0].id), str(keys[2][0].id)),
            "code": (IN_REGION, IN_REGION),
            "institution_id": (str(home), str(home)),
            "change_id": ("999999", "999999"),
            "course_id": ("999999", "999999"),
            "class_id": ("999999", "999999"),
            "session_id": ("999999", "999999"),
            "enrolment_id": ("999999", "999999"),
            "serial": ("202635020300000000012", "202635020300000000012"),
            "region_code": (IN_REGION, OUT_REGION),
            "table": ("regions", "regions"),
            "file_format": ("xlsx", "xlsx"),
            **_voucher_params(runtime, person_in, person_out),
        }
        yield World(app=app, clients=clients, institutions=(home, away), params=params)
    finally:
        for client in clients.values():
            client.close()


def _voucher_params(runtime: Runtime, person_in: int, person_out: int) -> dict[str, tuple[str, str]]:
    """A claimable policy open to anyone, a batch and a claimed voucher, in each region."""
    today = runtime.clock.now().date()
    made: dict[str, list[str]] = {"policy_id": [], "job_id": [], "voucher_id": []}
    with runtime.uow.begin() as session:
        for region, person_id in ((IN_REGION, person_in), (OUT_REGION, person_out)):
            policy_terms = terms(
                region_code=region,
                opens_on=today,
                closes_on=today + timedelta(days=30),
                validity=Validity(until=today + timedelta(days=60)),
                eligibility=Eligibility(),
            )
            policy = define_policy(session, terms=policy_terms, today=today, by=None)
            job = start_batch(session, policy_id=policy.id, today=today, by=None)
            voucher = claim_from_policy(session, policy_id=policy.id, person_id=person_id, today=today, by=None)
            for name, value in (("policy_id", policy.id), ("job_id", job.id), ("voucher_id", voucher.id)):
                made[name].append(str(value))
    return {name: (values[0], values[1]) for name, values in made.items()}


def _institution_principal(institution_id: int) -> Principal:
    return Principal(role=Role.INSTITUTION_STAFF, account_id=0, institution_id=institution_id)


# --- the matrix ----------------------------------------------------------------------------------------------------


def call(world: World, principal: str, method: str, path: str, rule: Rule, scope: str) -> Response:
    client = world.clients[principal]
    for name, values in world.params.items():
        path = path.replace("{" + name + "}", values[0 if scope == "in" else 1])
    assert "{" not in path, f"give test values for the parameters of {path}"
    headers: dict[str, str] = {}
    if method not in ("GET", "HEAD") and principal != API_KEY:
        headers["X-CSRF-Token"] = csrf(client)  # read afresh: the routes that end sessions change it
    kind, fields = rule.body(scope, world) if rule.body else ("form", {})
    query = {"region": IN_REGION if scope == "in" else OUT_REGION} if rule.region_query else None
    if kind == "json":
        return client.request(method, path, params=query, json=fields, headers=headers, follow_redirects=False)
    return client.request(method, path, params=query, data=fields, headers=headers, follow_redirects=False)


def verdict(response: Response, rule: Rule) -> str:
    status, location = response.status_code, response.headers.get("location", "")
    if status == 401 or (status == 303 and (location.startswith(("/sign-in?", "/sign-in/confirm?next=")))):
        return "sign in first"
    if status == 403:
        return "denied"
    if status < 400 or status in rule.also_ok:
        return "allowed"
    return f"unexpected {status}"


def expected(principal: str, rule: Rule, scope: str) -> str:
    allowed = rule.allowed if scope == "in" else rule.allowed & {ADMIN}
    if principal in allowed:
        return "allowed"
    return "sign in first" if principal == ANONYMOUS else "denied"


def test_every_route_for_every_principal_in_and_out_of_scope(world: World) -> None:
    cases = [
        (rule.ends_session, method, path, rule, scope, principal)
        for (method, path), rule in RULES.items()
        for scope in (("in", "out") if rule.scoped else ("in",))
        for principal in PRINCIPALS
    ]
    wrong = []
    for _, method, path, rule, scope, principal in sorted(cases, key=lambda case: case[0]):
        response = call(world, principal, method, path, rule, scope)
        got, want = verdict(response, rule), expected(principal, rule, scope)
        if got != want:
            wrong.append(f"{method} {path} [{scope}] as {principal}: {got} ({response.status_code}), expected {want}")
    assert wrong == []
