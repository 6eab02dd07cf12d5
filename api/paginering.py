"""Cursor pagination with a stable order, and ETags on every list page.

A page is ``{"items": [...], "next_cursor": "…" | null, "next": "https://…" | null}``. The
order is the rows' primary key, which never changes, so a client that follows ``next`` sees
every row that existed when it started exactly once, even while rows are added. The cursor
is opaque: the last key of the page, signed (``django.core.signing``) so that a cursor the
API did not give is a clear 400 rather than a surprise. Pages are 1–500 rows (default 100).

The ETag is a hash of the page's JSON: ``If-None-Match`` with it answers 304 and no body,
so a scheduled load that finds nothing new transfers almost nothing. Query cost: one query
for the page (``limit + 1`` rows, to know if there is a next page).
"""

import hashlib
from functools import cache
from typing import Generic, TypeVar

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from ninja import Schema
from pydantic import TypeAdapter

from .problem import ApiFel

T = TypeVar("T")

STANDARD_ANTAL = 100
MAX_ANTAL = 500
_SALT = "api.cursor"


class Sida(Schema, Generic[T]):  # noqa: UP046 (pydantic generic model)
    items: list[T]
    next_cursor: str | None
    next: str | None


@cache
def _adapter(schema: type[Schema]) -> TypeAdapter:
    return TypeAdapter(Sida[schema])


def _cursor_las(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        varde = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        varde = None
    if not isinstance(varde, int):
        raise ApiFel(
            falt="cursor",
            detail="Ogiltig cursor. Använd värdet i next_cursor från föregående sida, oförändrat.",
        )
    return varde


def _med_cursor(request, cursor: str) -> str:
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def json_response(request, body: bytes) -> HttpResponse:
    """A JSON response with an ETag; 304 when the client already has this body."""
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Authorization"])
    return get_conditional_response(request, etag=etag, response=response)


def sida_response(
    request, qs: QuerySet, schema: type[Schema], *, limit: int, cursor: str | None
) -> HttpResponse:
    """One page of ``qs`` (a ``values()`` queryset with ``id``) as ``Sida[schema]``. One query."""
    efter = _cursor_las(cursor)
    if efter is not None:
        qs = qs.filter(pk__gt=efter)
    rader = list(qs.order_by("pk")[: limit + 1])
    mer = len(rader) > limit
    rader = rader[:limit]
    nasta = signing.dumps(rader[-1]["id"], salt=_SALT) if mer else None
    sida = {
        "items": rader,
        "next_cursor": nasta,
        "next": _med_cursor(request, nasta) if nasta else None,
    }
    adapter = _adapter(schema)
    body = adapter.dump_json(adapter.validate_python(sida))
    return json_response(request, body)
