"""Errors as problem details (RFC 9457, ``application/problem+json``), in Swedish.

Every error the API gives has the same shape: ``type`` (``about:blank``: the status says
what kind of error it is), ``title`` (the status in Swedish), ``status``, ``detail`` (what
went wrong and what to do), ``instance`` (the path asked for) and, for bad input, ``errors``
with the parameter that failed and why. ninja's validation errors are mapped here too.
"""

from django.http import Http404, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

MEDIA_TYPE = "application/problem+json"

TITLAR = {
    400: "Ogiltig förfrågan",
    401: "Inloggning krävs",
    404: "Hittades inte",
    405: "Metoden stöds inte",
    429: "För många anrop",
}


class Faltfel(Schema):
    falt: str
    plats: str
    detail: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[Faltfel] = []


# The documented error responses of every operation (the OpenAPI schema lists them).
FEL_LAS = {400: Problem, 401: Problem, 429: Problem}  # lists
FEL_OBJEKT = {400: Problem, 401: Problem, 404: Problem, 429: Problem}  # one object by id


class ApiFel(Exception):
    """Bad input found after validation (a cursor that is not ours). Becomes a 400."""

    def __init__(self, *, falt: str, detail: str, plats: str = "query"):
        self.falt, self.detail, self.plats = falt, detail, plats


def problem_response(
    request, status: int, detail: str, errors: list[dict] | None = None
) -> JsonResponse:
    data = Problem(
        title=TITLAR.get(status, "Fel"),
        status=status,
        detail=detail,
        instance=request.path,
        errors=errors or [],
    ).model_dump()
    return JsonResponse(
        data, status=status, content_type=MEDIA_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def _meddelande(fel: dict) -> str:
    """A pydantic error in Swedish, by its type (the English ``msg`` is never shown)."""
    typ, ctx = fel.get("type", ""), fel.get("ctx") or {}
    if typ == "missing":
        return "Värdet måste anges."
    if typ in ("int_parsing", "int_type", "int_from_float"):
        return "Ange ett heltal."
    if typ in ("greater_than_equal", "greater_than"):
        return f"Värdet måste vara minst {ctx.get('ge', ctx.get('gt'))}."
    if typ in ("less_than_equal", "less_than"):
        return f"Värdet får vara högst {ctx.get('le', ctx.get('lt'))}."
    if typ.startswith("datetime") or typ.startswith("date") or typ.startswith("timezone"):
        return "Ange en tidpunkt enligt ISO 8601, t.ex. 2026-05-01T00:00:00+02:00."
    if typ == "string_too_long":
        return f"Värdet får vara högst {ctx.get('max_length')} tecken."
    if typ == "string_too_short":
        return f"Värdet måste vara minst {ctx.get('min_length')} tecken."
    if typ == "string_pattern_mismatch":
        return "Värdet har fel format."
    if typ in ("literal_error", "enum"):
        return f"Värdet måste vara ett av: {ctx.get('expected', '')}."
    return "Ogiltigt värde."


def install(api: NinjaAPI) -> None:
    """Replace ninja's English error responses with problem details."""

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        errors = []
        for fel in exc.errors:
            loc = [str(d) for d in fel.get("loc", ())]
            plats = loc[0] if loc else ""
            falt = ".".join(loc[1:]) or plats
            errors.append({"falt": falt, "plats": plats, "detail": _meddelande(fel)})
        namn = ", ".join(dict.fromkeys(e["falt"] for e in errors))
        return problem_response(request, 400, f"Ogiltiga parametrar: {namn}.", errors)

    @api.exception_handler(ApiFel)
    def _api_fel(request, exc: ApiFel):
        fel = {"falt": exc.falt, "plats": exc.plats, "detail": exc.detail}
        return problem_response(request, 400, exc.detail, [fel])

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        response = problem_response(
            request,
            401,
            "Ange en giltig API-token i huvudet Authorization: Bearer <token>. "
            "En återkallad eller utgången token gäller inte; skapa en ny under API-token.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem_response(
            request, 404, "Det finns inget sådant objekt som du har behörighet att se."
        )

    @api.exception_handler(Throttled)
    def _throttled(request, exc: Throttled):
        response = problem_response(
            request,
            429,
            "Tokenen har gjort för många anrop. Vänta det antal sekunder som huvudet "
            "Retry-After anger och försök igen.",
        )
        response["Retry-After"] = "60"  # ninja replaces it with the exact wait when it knows it
        return response

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        return problem_response(request, exc.status_code, str(exc))
