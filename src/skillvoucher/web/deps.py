"""What a request handler may ask for: the runtime, a database session, the language, the page renderer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from skillvoucher.app import Runtime
from skillvoucher.web.templating import Pages, language_of


def get_runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


def read_session(request: Request) -> Iterator[Session]:
    """A session for reading; nothing it does is committed. Closed as soon as the handler returns."""
    with get_runtime(request).uow.read() as session:
        yield session


def current_language(request: Request) -> str:
    return language_of(request, get_runtime(request).settings.default_language)


def get_pages(request: Request) -> Pages:
    return cast(Pages, request.app.state.pages)


ReadSession = Annotated[Session, Depends(read_session, scope="function")]
CurrentLanguage = Annotated[str, Depends(current_language)]
PageRenderer = Annotated[Pages, Depends(get_pages)]
