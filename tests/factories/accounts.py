"""Staff accounts for tests, made through the real actions, and signing them in through the real pages.

TOTP codes: enrolment is confirmed with the code of the previous 30-second step (accepted for clock drift), so
the current and the next step's codes are still unused for sign-ins that follow.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from skillvoucher.app import Runtime
from skillvoucher.essc.emulator import DEMO_PIN
from skillvoucher.identity import Binding, Role, begin_totp_enrolment, confirm_totp_enrolment, create_staff, get_staff

PASSWORD = "Tea-garden-Anxi-42"  # known to the tests (the secret scan looks for it)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class StaffUser:
    id: int
    username: str
    password: str
    totp_secret: str | None = None
    _last_step: int = field(default=0, repr=False)

    def next_code(self) -> str:
        """A code that has not been used yet (the next time step after the last one used)."""
        assert self.totp_secret is not None, f"{self.username} has no authenticator"
        totp = pyotp.TOTP(self.totp_secret)
        current = int(time.time() // totp.interval)
        if self._last_step + 1 > current + 1:  # both usable steps spent: wait for the clock
            time.sleep(totp.interval - time.time() % totp.interval + 0.1)
            current += 1
        self._last_step = max(self._last_step + 1, current - 1)
        return totp.generate_otp(self._last_step)


def make_staff(
    runtime: Runtime,
    username: str,
    role: Role,
    *,
    region_code: str | None = None,
    institution_id: int | None = None,
    assessment_body_id: int | None = None,
    password: str = PASSWORD,
    totp: bool | None = None,
) -> StaffUser:
    """An account with a password of its own (no change needed); with an authenticator if its role needs one."""
    binding = Binding(
        role, region_code=region_code, institution_id=institution_id, assessment_body_id=assessment_body_id
    )
    with runtime.uow.begin() as session:
        account, _ = create_staff(
            session, username=username, display_name=username.title(), binding=binding, by=None, password=password
        )
        account_id = account.id
    user = StaffUser(id=account_id, username=username, password=password)
    if totp if totp is not None else role in (Role.BUREAU_OFFICER, Role.AUDITOR, Role.ADMIN):
        enrol_totp(runtime, user)
    return user


def enrol_totp(runtime: Runtime, user: StaffUser) -> None:
    with runtime.uow.begin() as session:
        account = get_staff(session, user.id)
        uri = begin_totp_enrolment(session, account=account, cipher=runtime.cipher)
        secret = pyotp.parse_uri(uri).secret
        totp = pyotp.TOTP(secret)
        previous = int(time.time() // totp.interval) - 1
        confirm_totp_enrolment(session, account=account, code=totp.generate_otp(previous), cipher=runtime.cipher)
    user.totp_secret, user._last_step = secret, previous


def csrf(client: TestClient, path: str = "/sign-in/staff") -> str:
    """The session's CSRF token, as a page's form carries it."""
    found = _CSRF.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: TestClient, user: StaffUser, *, code: str | None = None, next_path: str = "") -> Response:
    """Password, then the authenticator code if asked for; returns the last response (a redirect on success)."""
    form = {"username": user.username, "password": user.password, "next": next_path, "csrf_token": csrf(client)}
    response = client.post("/sign-in/staff", data=form, follow_redirects=False)
    if response.status_code == 303 and response.headers["location"].startswith("/sign-in/staff/code"):
        data = {"code": code or user.next_code(), "next": next_path, "csrf_token": csrf(client)}
        response = client.post("/sign-in/staff/code", data=data, follow_redirects=False)
    return response


_USER_CODE = re.compile(r'id="user-code">([A-Z-]+)<')
_VERIFICATION = re.compile(r'id="verification-link" href="([^"]+)"')
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class DeviceRequest:
    user_code: str
    verification_url: str


def start_device_flow(client: TestClient, path: str = "/sign-in/worker") -> DeviceRequest:
    """Open the site's e-SSC page; what its QR code says."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    code, url = _USER_CODE.search(page.text), _VERIFICATION.search(page.text)
    assert code, "no user code on the page"
    assert url, "no verification link on the page"
    return DeviceRequest(user_code=code.group(1), verification_url=url.group(1).replace("&amp;", "&"))


def confirm_on_phone(
    app: FastAPI, device: DeviceRequest, *, id_number: str, name: str, region: str = "", action: str = "pin"
) -> Response:
    """The holder's phone (a client of its own) opens the verification URL and answers."""
    with TestClient(app) as phone:
        page = phone.get(device.verification_url)
        found = _CSRF.search(page.text)
        assert found, page.text
        form = {
            "csrf_token": found.group(1),
            "user_code": device.user_code,
            "holder": "other",
            "id_number": id_number,
            "name": name,
            "region": region,
            "pin": DEMO_PIN,
            "action": action,
        }
        return phone.post("/essc-emulator/device", data=form)


def poll(client: TestClient, path: str = "/sign-in/worker/poll") -> Response:
    """What htmx does every few seconds."""
    return client.post(path, headers={**HTMX, "X-CSRF-Token": csrf(client)})


def sign_in_worker(app: FastAPI, client: TestClient, *, id_number: str, name: str = "王小明") -> Response:
    """The whole QR flow; returns the poll's answer (HX-Redirect to /me on success)."""
    device = start_device_flow(client)
    answered = confirm_on_phone(app, device, id_number=id_number, name=name)
    assert answered.status_code == 200, answered.text
    return poll(client)
