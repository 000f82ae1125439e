"""The room's web app: participants' pages, the facilitator's board, one process for everyone.

A Starlette (ASGI) app that serves plain HTML and a little JavaScript; no
Python kernel per participant, so fifty phones cost fifty HTTP connections,
not fifty interpreters. Every answer is an HTTP POST that returns only once
the answer is committed to the engagement's SQLite file
(:class:`~pmo_sim.assessment.store.AnswerStore`, WAL and ``synchronous=FULL``).

Routes:

* ``/`` and ``/j/CODE`` (the QR code's link): the join page; ``POST /join``;
* ``/answer``: the participant's questionnaire, one dimension at a time, their
  answers in place; ``POST /api/answer``, ``POST /api/comment``, ``GET /api/me``;
* ``/facilitator?key=SECRET``: sets the facilitator's cookie; ``/facilitator``
  shows the join code, the QR code and the live board (``/facilitator/board``).

Every write runs on one worker thread in order (SQLite's fsync never blocks the
event loop, and each connection is used by one thread only); pages read on a
second thread with their own connection (WAL: readers never wait for the
writer), and scoring for the board runs on a third.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import secrets
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qs

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from pmo_sim.assessment.groups import STANDARD_GROUPS, normalise_group
from pmo_sim.assessment.questionnaire import Questionnaire
from pmo_sim.assessment.store import AnswerStore
from pmo_sim.room.access import CODE_ALPHABET, RoomKeys
from pmo_sim.room.board import Board, room_board
from pmo_sim.room.forms import MAX_BODY_BYTES, AnswerIn, CommentIn, JoinForm, messages
from pmo_sim.room.pages import board_html, joinbox_html, templates
from pmo_sim.room.qr import qr_svg

__all__ = ["PARTICIPANT_COOKIE", "RoomConfig", "create_app"]

#: Cookie that carries a participant's signed token.
PARTICIPANT_COOKIE = "pmo_room"
FACILITATOR_COOKIE = "pmo_room_facilitator"
#: A participant's cookie lasts the workshop and the follow-up week.
COOKIE_SECONDS = 30 * 24 * 3600
#: Wrong join codes accepted from one address per minute before it has to wait.
MAX_WRONG_CODES = 10
_ANON_LENGTH = 4

T = TypeVar("T")


@dataclass
class RoomConfig:
    """What one room serves: the answer file, its questionnaire, the keys and the link."""

    database: Path
    questionnaire: Questionnaire
    keys: RoomKeys
    #: The base address participants use (``http://192.168.1.20:8000``), for the QR code.
    public_url: str
    #: Groups offered on the join page (standard names or the consultant's own).
    groups: tuple[str, ...] = STANDARD_GROUPS
    #: Workshop title shown on the pages (the client's name, if given).
    title: str = ""
    #: Send cookies with ``Secure`` (only when served over HTTPS behind a proxy).
    secure_cookies: bool = False

    @property
    def participant_link(self) -> str:
        """The link in the QR code: it carries the join code."""
        return f"{self.public_url.rstrip('/')}/j/{self.keys.code}"


@dataclass
class _Room:
    config: RoomConfig
    store: AnswerStore
    reader_store: AnswerStore
    board_store: AnswerStore
    writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="room-store")
    )
    reader: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="room-read")
    )
    scorer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="room-board")
    )
    board: Board | None = None
    wrong_codes: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    qr: str = ""

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.writer, fn, *args)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        # WAL lets this connection read while the writer commits: pages never queue behind fsyncs.
        return await asyncio.get_running_loop().run_in_executor(self.reader, fn, *args)

    async def current_board(self) -> Board:
        return await asyncio.get_running_loop().run_in_executor(self.scorer, self._board)

    def _board(self) -> Board:
        version = self.board_store.change_count()
        if self.board is None or self.board.version != version:
            self.board = room_board(
                self.board_store.respondents(),
                self.board_store.answers_frame(),
                self.config.questionnaire,
                version=version,
            )
        return self.board

    def close(self) -> None:
        self.writer.shutdown(wait=True)
        self.reader.shutdown(wait=True)
        self.scorer.shutdown(wait=True)
        self.store.close()
        self.reader_store.close()
        self.board_store.close()


_SECURITY_HEADERS = {
    # Scripts only from this server; the radar's inline <style> needs inline styles.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# Complexity: the routes are closures over the room; each is small.
def create_app(config: RoomConfig) -> Starlette:  # noqa: C901
    """The room's ASGI app on ``config.database`` (the file is created when missing)."""
    store = AnswerStore(config.database, config.questionnaire)
    reader_store = AnswerStore(config.database, config.questionnaire)
    board_store = AnswerStore(config.database, config.questionnaire)
    room = _Room(config=config, store=store, reader_store=reader_store, board_store=board_store)
    room.qr = qr_svg(config.participant_link)
    env = templates()
    joinbox = joinbox_html(config.keys, config.participant_link, config.title, room.qr)
    keys = config.keys
    questionnaire = config.questionnaire
    group_keys = {normalise_group(g): g for g in config.groups}

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = env.get_template(name).render(title=config.title, **context)
        return HTMLResponse(body, status_code=status, headers=_SECURITY_HEADERS)

    def respondent_of(request: Request) -> str | None:
        return keys.respondent_of(request.cookies.get(PARTICIPANT_COOKIE))

    def set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=config.secure_cookies,
            path="/",
        )

    def too_many_wrong(request: Request) -> bool:
        host = request.client.host if request.client else "?"
        now = time.monotonic()
        seen = room.wrong_codes[host]
        while seen and now - seen[0] > 60:
            seen.popleft()
        return len(seen) >= MAX_WRONG_CODES

    def wrong_code(request: Request) -> None:
        host = request.client.host if request.client else "?"
        room.wrong_codes[host].append(time.monotonic())

    def join_page(code: str = "", errors: list[str] | None = None, **form: Any) -> HTMLResponse:
        return page(
            "join.html",
            status=400 if errors else 200,
            code=code,
            errors=errors or [],
            groups=config.groups,
            form={"name": "", "group": "", "anonymous": False, **form},
            questionnaire=questionnaire,
        )

    async def home(request: Request) -> Response:
        if await _known(request):
            return RedirectResponse("/answer", status_code=303)
        return join_page()

    async def join_link(request: Request) -> Response:
        code = request.path_params["code"]
        if await _known(request):
            return RedirectResponse("/answer", status_code=303)
        # The link tells a right code from a wrong one, so it counts guesses like the form.
        if too_many_wrong(request):
            return join_page(
                errors=["Too many wrong codes from this device: wait a minute, then try again."]
            )
        if not keys.code_matches(code):
            wrong_code(request)
            return join_page(errors=["This link's code is not this workshop's: type the code."])
        return join_page(code=keys.display_code)

    async def _known(request: Request) -> bool:
        respondent = respondent_of(request)
        return (
            respondent is not None
            and await room.read(reader_store.group_of, respondent) is not None
        )

    async def join(request: Request) -> Response:
        body = await _body(request)
        if body is None:
            return join_page(errors=["The form is too large."])
        fields = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        form_values: dict[str, Any] = {
            "name": fields.get("name", "")[:80],
            "group": fields.get("group", "")[:80],
            "anonymous": fields.get("anonymous") == "1",
        }
        if too_many_wrong(request):
            return join_page(
                errors=["Too many wrong codes from this device: wait a minute, then try again."],
                **form_values,
            )
        try:
            form = JoinForm(
                code=fields.get("code", ""),
                name=fields.get("name", ""),
                anonymous=fields.get("anonymous") == "1",
                group=fields.get("group", ""),
            )
        except ValidationError as exc:
            return join_page(code=fields.get("code", "")[:32], errors=messages(exc), **form_values)
        if not keys.code_matches(form.code):
            wrong_code(request)
            return join_page(errors=[f"{form.code!r} is not this workshop's code."], **form_values)
        errors = []
        group = group_keys.get(normalise_group(form.group))
        if group is None:
            errors.append("Choose your group from the list.")
        try:
            name = form.checked_name()
        except ValueError as exc:
            errors.append(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
            name = None
        if errors or group is None:
            return join_page(code=keys.display_code, errors=errors, **form_values)
        try:
            respondent = await room.run(_add_participant, store, name, group)
        except ValueError as exc:
            return join_page(code=keys.display_code, errors=[str(exc)], **form_values)
        response = RedirectResponse("/answer", status_code=303)
        set_cookie(response, PARTICIPANT_COOKIE, keys.participant_token(respondent), COOKIE_SECONDS)
        return response

    async def answer_page(request: Request) -> Response:
        respondent = respondent_of(request)
        if respondent is None:
            return RedirectResponse("/", status_code=303)
        me = await room.read(_participant, reader_store, respondent)
        if me is None:
            return _forget(RedirectResponse("/", status_code=303))
        answers = me["answers"]
        start = next(
            (
                i
                for i, d in enumerate(questionnaire.dimensions)
                if any(q.id not in answers for q in d.questions)
            ),
            len(questionnaire.dimensions),
        )
        return page(
            "answer.html",
            questionnaire=questionnaire,
            me=me,
            start=start,
            n_questions=len(questionnaire.questions),
        )

    async def me(request: Request) -> Response:
        respondent = respondent_of(request)
        found = (
            None if respondent is None else await room.read(_participant, reader_store, respondent)
        )
        if found is None:
            return _json({"error": "not joined: open the workshop link again"}, 401)
        return _json(found)

    async def save_answer(request: Request) -> Response:
        respondent, data = await _api_input(request)
        if respondent is None:
            return data
        try:
            answer = AnswerIn.model_validate(data)
        except ValidationError as exc:
            return _json({"error": "; ".join(messages(exc))}, 422)
        if answer.question not in questionnaire.questions:
            return _json({"error": f"unknown question {answer.question!r}"}, 422)
        try:
            answered = await room.run(_record, store, respondent, answer.question, answer.level)
        except ValueError as exc:  # the respondent vanished from the file
            return _json({"error": str(exc)}, 401)
        return _json(
            {"saved": True, "question": answer.question, "level": answer.level, **answered}
        )

    async def save_comment(request: Request) -> Response:
        respondent, data = await _api_input(request)
        if respondent is None:
            return data
        try:
            comment = CommentIn.model_validate(data)
        except ValidationError as exc:
            return _json({"error": "; ".join(messages(exc))}, 422)
        if comment.dimension not in questionnaire.dimension_by_id:
            return _json({"error": f"unknown dimension {comment.dimension!r}"}, 422)
        try:
            await room.run(store.record_comment, respondent, comment.dimension, comment.comment)
        except ValueError as exc:
            return _json({"error": str(exc)}, 401)
        return _json({"saved": True, "dimension": comment.dimension})

    async def _api_input(request: Request) -> tuple[str | None, Any]:
        """The caller's respondent and JSON body, or (None, the error response)."""
        respondent = respondent_of(request)
        if respondent is None:
            return None, _json({"error": "not joined: open the workshop link again"}, 401)
        # JSON only: a form on another site cannot send it without the browser asking first.
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return None, _json({"error": "send JSON (Content-Type: application/json)"}, 415)
        body = await _body(request)
        if body is None:
            return None, _json({"error": "request too large"}, 413)
        try:
            return respondent, json.loads(body)
        except ValueError:
            return None, _json({"error": "the request is not JSON"}, 400)

    async def leave(_request: Request) -> Response:
        return _forget(RedirectResponse("/", status_code=303))

    def _forget(response: Response) -> Response:
        response.delete_cookie(PARTICIPANT_COOKIE, path="/")
        return response

    async def facilitator(request: Request) -> Response:
        given = request.query_params.get("key")
        if given is not None:
            if too_many_wrong(request) or not keys.secret_matches(given):
                wrong_code(request)
                return page("denied.html", status=403)
            # Off the address bar at once: the page is about to be projected.
            response = RedirectResponse("/facilitator", status_code=303)
            set_cookie(response, FACILITATOR_COOKIE, keys.facilitator_token(), 12 * 3600)
            return response
        if not keys.is_facilitator(request.cookies.get(FACILITATOR_COOKIE)):
            return page("denied.html", status=403)
        board = await room.current_board()
        return page(
            "facilitator.html",
            joinbox=joinbox,
            board_html=board_html(board),
            version=board.version,
            database=config.database.name,
        )

    async def board_fragment(request: Request) -> Response:
        if not keys.is_facilitator(request.cookies.get(FACILITATOR_COOKIE)):
            return _json({"error": "facilitator link needed"}, 403)
        board = await room.current_board()
        since = request.query_params.get("since")
        headers = {**_SECURITY_HEADERS, "X-Board-Version": str(board.version)}
        if since is not None and since == str(board.version):
            return Response(status_code=204, headers=headers)
        return HTMLResponse(board_html(board), headers=headers)

    async def qr(request: Request) -> Response:
        if not keys.is_facilitator(request.cookies.get(FACILITATOR_COOKIE)):
            return _json({"error": "facilitator link needed"}, 403)
        return Response(room.qr, media_type="image/svg+xml", headers=_SECURITY_HEADERS)

    async def health(_request: Request) -> Response:
        return _json({"ok": True})

    assets = _Assets()

    async def static(request: Request) -> Response:
        return assets.response(request)

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/j/{code}", join_link),
            Route("/join", join, methods=["POST"]),
            Route("/answer", answer_page),
            Route("/leave", leave),
            Route("/api/me", me),
            Route("/api/answer", save_answer, methods=["POST"]),
            Route("/api/comment", save_comment, methods=["POST"]),
            Route("/facilitator", facilitator),
            Route("/facilitator/board", board_fragment),
            Route("/facilitator/qr.svg", qr),
            Route("/healthz", health),
            Route("/static/{name}", static),
        ],
        # The questionnaire page is 65 kB of HTML, about 10 kB compressed: it matters on room Wi-Fi.
        middleware=[Middleware(GZipMiddleware, minimum_size=1024)],
        lifespan=_lifespan(room),
    )
    app.state.room = room
    return app


class _Assets:
    """The stylesheets and scripts, read once and kept in memory (plain and gzip-compressed).

    Fifty phones ask for them within a second: from memory, with an ETag and an hour of
    caching, they cost no file access and no thread hop.
    """

    _TYPES: ClassVar[dict[str, str]] = {
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
    }

    def __init__(self) -> None:
        folder = resources.files("pmo_sim.room") / "static"
        self.files: dict[str, tuple[bytes, bytes, str, str]] = {}
        for item in folder.iterdir():
            suffix = Path(item.name).suffix
            if suffix in self._TYPES:
                data = item.read_bytes()
                etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                packed = gzip.compress(data, mtime=0)
                self.files[item.name] = (data, packed, self._TYPES[suffix], etag)

    def response(self, request: Request) -> Response:
        found = self.files.get(request.path_params["name"])
        if found is None:
            return Response("not found", status_code=404, media_type="text/plain")
        data, packed, media_type, etag = found
        headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
            return Response(packed, media_type=media_type, headers=headers)
        return Response(data, media_type=media_type, headers=headers)


def _lifespan(room: _Room) -> Callable[[Starlette], Any]:
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            room.close()

    return lifespan


async def _body(request: Request) -> bytes | None:
    """The request body, or None when it is larger than :data:`MAX_BODY_BYTES`."""
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=_SECURITY_HEADERS)


def _add_participant(store: AnswerStore, name: str | None, group: str) -> str:
    """Add a new respondent; a name already in the file belongs to someone else."""
    if name is None:
        while True:
            name = "anon-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(_ANON_LENGTH))
            if store.group_of(name) is None:
                break
    elif store.group_of(name) is not None:
        raise ValueError(
            f"Someone has already joined as {name!r}: add an initial or a number to your name."
        )
    return store.add_respondent(name, group)


def _participant(store: AnswerStore, respondent: str) -> dict[str, Any] | None:
    group = store.group_of(respondent)
    if group is None:
        return None
    answers = store.answers_of(respondent)
    return {
        "respondent": respondent,
        "group": group,
        "answers": answers,
        "comments": store.comments_of(respondent),
        "answered": len(answers),
    }


def _record(store: AnswerStore, respondent: str, question: str, level: int | None) -> dict:
    store.record_answer(respondent, question, level)
    return {"answered": len(store.answers_of(respondent))}
