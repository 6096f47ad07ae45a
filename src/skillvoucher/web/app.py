"""The web application: JSON API, pages, static files, error handling, request context."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from skillvoucher.app import Runtime
from skillvoucher.db.migrate import head_revision
from skillvoucher.jobs import BackgroundJobs
from skillvoucher.vouchers import JOB_STEPS
from skillvoucher.web.api import access as access_api
from skillvoucher.web.api import catalog as catalog_api
from skillvoucher.web.api import catalogues as catalogues_api
from skillvoucher.web.api import enrolment as enrolment_api
from skillvoucher.web.api import health, v1
from skillvoucher.web.api import staff as staff_api
from skillvoucher.web.api import statistics as statistics_api
from skillvoucher.web.api import voucher_keys as voucher_keys_api
from skillvoucher.web.api import vouchers as vouchers_api
from skillvoucher.web.auth import SESSION_COOKIE
from skillvoucher.web.errors import install_error_handlers, unexpected_error
from skillvoucher.web.middleware import RequestContextMiddleware
from skillvoucher.web.nav import page_context, remember_viewer
from skillvoucher.web.templating import STATIC_DIR, Pages
from skillvoucher.web.ui import (
    account,
    assessor,
    bureau,
    bureau_demand,
    bureau_voucher_jobs,
    bureau_vouchers,
    certificates,
    courses,
    essc_emulator,
    institution,
    institution_enrolment,
    institution_keys,
    persons,
    public,
    sign_in,
    staff_admin,
    staff_steps,
    stats,
    worker,
    worker_enrolment,
    worker_sign_in,
    worker_vouchers,
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    jobs: BackgroundJobs = app.state.jobs
    jobs.resume_pending()  # what a previous process left unfinished
    yield
    jobs.shutdown()


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="skillvoucher",
        summary="Vocational training vouchers (职业培训券): the JSON API.",
        version=version("skillvoucher"),
        # The interactive docs load their scripts from a CDN; pages must work without one.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(remember_viewer)],
    )
    app.state.runtime = runtime
    app.state.jobs = BackgroundJobs(runtime.uow, JOB_STEPS)
    app.state.pages = Pages(context_hook=page_context)
    app.state.head_revision = head_revision(runtime.engine)
    app.add_middleware(
        RequestContextMiddleware, default_language=runtime.settings.default_language, on_error=unexpected_error
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=base64.b64encode(runtime.settings.keys.session_secret).decode(),
        session_cookie=SESSION_COOKIE,
        max_age=runtime.settings.session_hours * 3600,
        same_site="lax",
        https_only=not runtime.settings.is_development,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(v1.router)
    app.include_router(catalog_api.router)
    app.include_router(catalogues_api.router)
    app.include_router(access_api.router)
    app.include_router(staff_api.router)
    app.include_router(voucher_keys_api.router)
    app.include_router(vouchers_api.router)
    app.include_router(enrolment_api.router)
    app.include_router(statistics_api.router)
    for pages in (
        public,
        courses,
        sign_in,
        staff_steps,
        worker_sign_in,
        account,
        worker,
        persons,
        staff_admin,
        institution_keys,
        institution,
        bureau,
        bureau_demand,
        bureau_vouchers,
        bureau_voucher_jobs,
        worker_vouchers,
        institution_enrolment,
        worker_enrolment,
        assessor,
        certificates,
        stats,
    ):
        app.include_router(pages.router)
    if runtime.settings.emulator_enabled:  # development and demo mode, unless configured otherwise
        app.include_router(essc_emulator.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def create_app_from_environment() -> FastAPI:
    """For `uvicorn --factory` (used by `skillvoucher serve --reload`): settings from the environment."""
    from skillvoucher.app import build_runtime
    from skillvoucher.logging import configure_logging

    runtime = build_runtime()
    configure_logging(runtime.settings.effective_log_format)
    return create_app(runtime)
