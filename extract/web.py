"""`extract review --web`: the review in the browser, served on 127.0.0.1 by Starlette and uvicorn.

Imported only by `--web` (the framework costs nothing to the other commands). The page is one HTML
document with its own CSS and script inlined (no CDN, nothing fetched from elsewhere); it renders
every text from the files with `textContent`, so article text is never markup. Decisions go
through `extract.review.decide`, like the terminal's: under the review file's lock, checked against
the version the page showed, so two tabs (or a tab and the terminal) never overwrite each other.

Guards: the server listens on 127.0.0.1 only; every request needs the random token of the URL it
prints; the Host header must name 127.0.0.1 or localhost (no DNS rebinding); a POST needs the
page's CSRF token in a header and, when the browser sends one, a same-origin Origin.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import click
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from extract.errors import InputError
from extract.models import Evidence, Mention, Proposal
from extract.review import ConflictError, Request, decide
from extract.reviewfile import _article_text, read_review, version
from extract.reviewui import LONG_CELL, best_evidence, contradiction_of, diff_segments, text_after
from extract.unrecorded import read_unrecorded, unrecorded_path

ACTIONS = ("approve", "reject", "edit", "note", "undo")


class _TokenGuard:
    """Refuse every request without the URL's token, and every POST without the page's CSRF token."""

    def __init__(self, app: ASGIApp, token: str, csrf: str) -> None:
        self.app, self.token, self.csrf = app, token, csrf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/favicon.ico":
            # the browser asks for it without the token; a refusal would show as a console error
            await Response(status_code=204)(scope, receive, send)
            return
        if scope["type"] == "http":
            request = HttpRequest(scope)
            given = request.query_params.get("t") or request.headers.get("x-token", "")
            refusal = None
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                refusal = "missing or wrong token: open the URL that `extract review --web` printed"
            elif request.method != "GET":
                origin = request.headers.get("origin")
                host = request.headers.get("host", "")
                if not secrets.compare_digest(request.headers.get("x-csrf-token", "").encode(),
                                              self.csrf.encode()):
                    refusal = "missing or wrong CSRF token: reload the page"
                elif origin is not None and origin != f"http://{host}":
                    refusal = f"cross-origin request from {origin} refused"
            if refusal is not None:
                await PlainTextResponse(refusal, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class ReviewApp:
    """The review of one file: what the routes read and decide on."""

    def __init__(self, path: Path, *, reviewer: str, articles_dir: Path | None,
                 mentions_file: Path | None, token: str, csrf: str) -> None:
        self.path = path
        self.reviewer = reviewer
        self.articles_dir = articles_dir
        self.token = token
        self.csrf = csrf
        self.articles: dict[str, str | InputError] = {}
        self.mentions = _mentions_by_article(mentions_file)

    def app(self) -> Starlette:
        routes = [
            Route("/", self.page),
            Route("/api/state", self.state),
            Route("/api/context/{proposal_id}", self.context),
            Route("/api/decide", self.decide, methods=["POST"]),
            Route("/api/unrecorded", self.unrecorded),
        ]
        middleware = [
            Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"]),
            Middleware(_TokenGuard, token=self.token, csrf=self.csrf),
        ]
        return Starlette(routes=routes, middleware=middleware)

    def page(self, request: HttpRequest) -> Response:
        nonce = secrets.token_urlsafe(16)
        html = (_asset("review.html")
                .replace("{{CSS}}", _asset("review.css"))
                .replace("{{JS}}", _asset("review.js"))
                .replace("{{NONCE}}", nonce)
                .replace("{{CSRF}}", self.csrf))
        policy = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                  "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
                  "frame-ancestors 'none'")
        return HTMLResponse(html, headers={
            "Content-Security-Policy": policy, "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

    def state(self, request: HttpRequest) -> Response:
        proposals = read_review(self.path).proposals
        unrecorded = read_unrecorded(unrecorded_path(self.path))
        return JSONResponse({"file": str(self.path), "reviewer": self.reviewer,
                             "proposals": [_shown(p, proposals) for p in proposals],
                             "unrecorded": len(unrecorded)})

    def context(self, request: HttpRequest) -> Response:
        """Each evidence item inside its paragraph, with the mentions found there."""
        wanted = request.path_params["proposal_id"]
        for proposal in read_review(self.path).proposals:
            if proposal.id == wanted:
                return JSONResponse([self._evidence(e) for e in best_evidence(proposal.evidence)])
        return JSONResponse({"error": f"no proposal {wanted}"}, status_code=404)

    async def decide(self, request: HttpRequest) -> Response:
        try:
            body = await request.json()
            requests = [_request(item) for item in body.get("requests", [])]
            # The lock and the file writes block: off the event loop.
            saved = await run_in_threadpool(decide, self.path, requests, reviewer=self.reviewer, via="web")
        except (ValueError, AttributeError):
            return JSONResponse({"error": "the request is not a JSON object with requests"}, status_code=400)
        except ConflictError as exc:
            return JSONResponse({"error": str(exc), "conflict": True}, status_code=409)
        except InputError as exc:
            return JSONResponse({"error": f"{exc.what} — {exc.fix}" if exc.fix else exc.what},
                                status_code=400)
        # the rivals of a decided proposal are shown again: their contradiction may have gone with it
        proposals = await run_in_threadpool(lambda: read_review(self.path).proposals)
        rivals = {i for p in saved for i in p.conflicts_with} - {p.id for p in saved}
        return JSONResponse({"saved": [_shown(p, proposals) for p in saved],
                             "refreshed": [_shown(p, proposals) for p in proposals if p.id in rivals]})

    def unrecorded(self, request: HttpRequest) -> Response:
        facts = read_unrecorded(unrecorded_path(self.path))
        return JSONResponse([fact.model_dump(mode="json") for fact in facts])

    def _evidence(self, evidence: Evidence) -> dict[str, Any]:
        shown: dict[str, Any] = evidence.model_dump(mode="json")
        root = self.articles_dir
        text = _article_text(evidence.article, root, self.articles) if root is not None else None
        if not isinstance(text, str) or text[evidence.start:evidence.end] != evidence.quote:
            # The article is not at hand (or changed): the quote alone, as the review file has it.
            shown |= {"paragraph": evidence.quote, "offset": evidence.start, "mentions": []}
            return shown
        start = text.rfind("\n", 0, evidence.start) + 1
        end = text.find("\n", evidence.end)
        end = len(text) if end < 0 else end
        mentions = [{"start": m.start, "end": m.end, "label": m.label}
                    for m in self.mentions.get(evidence.article, []) if start <= m.start and m.end <= end]
        shown |= {"paragraph": text[start:end], "offset": start, "mentions": mentions}
        return shown


def _request(item: dict[str, Any]) -> Request:
    action = item.get("action")
    if action not in ACTIONS or not isinstance(item.get("id"), str):
        raise InputError(f"unknown decision {action!r}", fix=f"use one of {', '.join(ACTIONS)}")
    return Request(item["id"], action, item.get("version"), value=item.get("value"), note=item.get("note"))


def _shown(proposal: Proposal, others: Sequence[Proposal] = ()) -> dict[str, Any]:
    """A proposal as the page needs it: the saved fields, its version, the diff to draw and, when
    pending rivals among `others` give the field other values, the contradiction side by side."""
    old, new = proposal.old_value or "", text_after(proposal)
    long = max(len(old), len(new)) > LONG_CELL or "\n" in old or "\n" in new
    found = contradiction_of(proposal, [o for o in others if o.id in proposal.conflicts_with])
    return {**proposal.model_dump(mode="json"), "version": version(proposal),
            "diff": [list(segment) for segment in diff_segments(old, new)], "long": long,
            "best_evidence": best_evidence(proposal.evidence)[0].model_dump(mode="json"),
            "contradiction": found.model_dump(mode="json") if found else None}


def _mentions_by_article(path: Path | None) -> dict[str, list[Mention]]:
    from extract.jsonl import read_models

    if path is None or not path.exists():
        return {}
    found: dict[str, list[Mention]] = {}
    for mention in read_models(path, Mention):
        found.setdefault(mention.article, []).append(mention)
    return found


@cache
def _asset(name: str) -> str:
    return (resources.files("extract") / "webui" / name).read_text(encoding="utf-8")


def serve(path: Path, *, reviewer: str, articles_dir: Path | None, mentions_file: Path | None,
          port: int = 0) -> None:
    """Serve the review of `path` on 127.0.0.1 until Ctrl-C; print the URL with its token."""
    import uvicorn

    read_review(path)  # a missing or broken file is an error now, not in the browser
    review = ReviewApp(path, reviewer=reviewer, articles_dir=articles_dir, mentions_file=mentions_file,
                       token=secrets.token_urlsafe(24), csrf=secrets.token_urlsafe(24))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(64)  # before the URL is printed: a browser opening it at once is queued, not refused
    except OSError as exc:
        raise InputError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror})",
                         fix="give another --port, or 0 for any free one") from None
    actual = sock.getsockname()[1]
    click.echo(f"Reviewing {path} as {reviewer} at http://127.0.0.1:{actual}/?t={review.token}")
    click.echo("Ctrl-C stops the server; every decision is saved as it is made.", err=True)
    server = uvicorn.Server(uvicorn.Config(review.app(), log_level="warning", access_log=False,
                                           lifespan="off"))
    server.run(sockets=[sock])

