"""Bad input never reaches a view (issue 12 §5): one middleware checks every request's decoded
input before anything else reads it, on the pages and on the API alike.

- A body larger than settings.DATA_UPLOAD_MAX_MEMORY_SIZE (files apart: uploads have their own
  limit) answers 413 `payload_too_large`.
- A body that cannot be parsed (multipart without a boundary, too many fields or files, a body
  cut short) answers 400 `bad_request`.
- A NUL character or a lone surrogate in any string the request carries (the path, query
  parameters and their names, cookies, form fields and uploaded file names, every string of a
  JSON body, at any depth) answers 422 `validation_failed` naming the field: PostgreSQL cannot store NUL
  and no encoder writes a lone surrogate, so either would otherwise end as a 500 wherever the
  string is used.

On the API paths (settings.API_PATH_PREFIXES) the answer is the API's JSON error
`{"code", "message", "details"}`; on the pages it is a short page that says what to fix. The
middleware sits after LocaleMiddleware in both chains, so messages are in the request's language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import UnreadablePostError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def bad_character(value: str) -> str | None:
    """The first character PostgreSQL or an encoder would refuse (NUL, a lone surrogate), or None."""
    if "\x00" in value:
        return "\x00"
    if value.isascii():
        return None
    for char in value:
        if "\ud800" <= char <= "\udfff":
            return char
    return None


def _walk(value: Any, loc: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(location, string) for every string in a decoded JSON value, keys included. Iterative: a
    body nested as deep as the JSON parser allows must not exhaust the Python stack."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, loc)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            yield where, node
        elif isinstance(node, dict):
            for key, item in reversed(node.items()):
                stack.append((item, (*where, str(key))))
                stack.append((str(key), (*where, str(key))))
        elif isinstance(node, list):
            stack.extend((item, (*where, str(i))) for i, item in reversed(list(enumerate(node))))


_MAY_HIDE_BAD_CHARACTERS = re.compile(rb"\\[uU]|\xed[\xa0-\xbf]")


def _strings(request: HttpRequest) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string of the request with where it was found. Reading the body may raise
    RequestDataTooBig or a parse error: the caller answers them."""
    yield ("path",), request.path_info
    for key, values in request.GET.lists():
        yield ("query", key), key
        for value in values:
            yield ("query", key), value
    for key, value in request.COOKIES.items():  # the session key reaches the database
        yield ("cookie", key), key
        yield ("cookie", key), value
    if request.method not in BODY_METHODS:
        return
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            yield ("form", key), key
            for value in values:
                yield ("form", key), value
        for key, files in request.FILES.lists():
            for upload in files:
                yield ("form", key), str(upload.name or "")
        return
    raw = request.body  # the API reads every other body as JSON (Ninja's parser)
    # json.loads turns \u0000 and \udXXX escapes, and raw bytes that encode a surrogate (UTF-8
    # ED A0..BF, decoded with surrogatepass), into characters; a raw NUL is not valid JSON. A body
    # with neither an escape nor such bytes (most intakes, Chinese text included) is not parsed twice.
    if not raw or _MAY_HIDE_BAD_CHARACTERS.search(raw) is None:
        return
    try:
        decoded = json.loads(raw)
    except (ValueError, RecursionError):
        return  # not JSON, or nested too deep to parse: the view answers it (the API: 400 bad_request)
    yield from _walk(decoded, ("body",))


def _shown(text: str) -> str:
    """A name as it can be written in a response: NUL and lone surrogates as escapes (a lone
    surrogate in the answer would fail to encode, the very 500 this module prevents)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def _problem(request: HttpRequest) -> tuple[int, str, str, Any] | None:
    """(status, code, message, details) for input refused before the view, or None."""
    try:
        for loc, value in _strings(request):
            char = bad_character(value)
            if char is not None:
                loc = tuple(_shown(part) for part in loc)
                field = ".".join(loc[1:]) or loc[0]
                message = (
                    _("%(field)s contains a NUL character; remove it.")
                    if char == "\x00"
                    else _("%(field)s contains an invalid character (a lone surrogate); retype it.")
                ) % {"field": field}
                return 422, "validation_failed", message, [{"loc": list(loc), "message": message}]
    except RequestDataTooBig:
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return (
            413,
            "payload_too_large",
            _("The request is too large: send at most %(size)s MB (files apart).") % {"size": limit_mb},
            {"max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        )
    except (TooManyFieldsSent, TooManyFilesSent):
        return 400, "bad_request", _("The request has too many fields or files."), None
    except (MultiPartParserError, UnreadablePostError):
        return (
            400,
            "bad_request",
            _("The request body cannot be read: send a valid form or multipart body (with its boundary)."),
            None,
        )
    return None


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(tuple(settings.API_PATH_PREFIXES))


def refusal(request: HttpRequest, status: int, code: str, message: str, details: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"code": code, "message": message, "details": details},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    page = render_to_string("core/bad_input.html", {"status": status, "message": message})
    return HttpResponse(page, status=status)


class InputGuardMiddleware:
    """Refuses a request whose input no view could use (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _problem(request)
        if problem is not None:
            return refusal(request, *problem)
        return self.get_response(request)
