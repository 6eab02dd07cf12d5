"""The read API, version 1 (``/api/v1/``): django-ninja, typed schemas, OpenAPI 3.

Why django-ninja: the schemas are plain pydantic models, the OpenAPI 3 document is generated
from the same type hints that validate the input, and its Swagger UI is served from the
package's own static files (with ``ninja`` in INSTALLED_APPS, no CDN). It is one small
dependency (plus pydantic) against DRF + drf-spectacular + a sidecar for the assets.

Every operation here is a thin view: parse (ninja), ask ``selectors`` (which start from
the access policy), answer a page (``paginering``). Errors are problem details (``problem``).
"""

import datetime
import functools
import inspect

from django.http import HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja.openapi.docs import Swagger

from . import sammanstallning, schemas, selectors
from .auth import TokenAuth, TokenThrottle
from .paginering import MAX_ANTAL, STANDARD_ANTAL, Sida, json_response, sida_response
from .problem import FEL_LAS, FEL_OBJEKT, MEDIA_TYPE, install

MAX_ID = 2**63 - 1  # the largest key the database stores; larger ids are a 400, not a 500
REGION_KOD = r"^[0-9]{2}$"
HSA_ID = r"^SE[0-9]{10}-[A-Za-z0-9]+$"
KOD = r"^[A-Za-z0-9._-]{1,40}$"


class MalbildApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """ninja documents every response as application/json; errors are problem+json."""
        schema = super().get_openapi_schema(**kwargs)
        for operationer in schema.get("paths", {}).values():
            for operation in operationer.values():
                for status, svar in operation.get("responses", {}).items():
                    innehall = svar.get("content", {})
                    if int(status) >= 400 and "application/json" in innehall:
                        innehall[MEDIA_TYPE] = innehall.pop("application/json")
        return schema


api = MalbildApi(
    title="Målbild psykisk ohälsa – API",
    version="1",
    description=(
        "Läs-API för regionernas egna analysverktyg. Det visar aldrig mer än användaren ser i "
        "webbläsaren: en token bär sin användares roll och behörighet. Listor pagineras med "
        "`next_cursor`/`next` och har ETag (svara med If-None-Match för 304). Fel är "
        "problem details (RFC 9457) på svenska."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs=Swagger(settings={"deepLinking": False, "validatorUrl": None}),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
install(api)


def _filter(namn: str, typ, query) -> inspect.Parameter:
    """One query parameter of the list endpoints, declared once for every list that takes it."""
    return inspect.Parameter(namn, inspect.Parameter.KEYWORD_ONLY, annotation=typ, default=query)


def _omgang_param(beskrivning="Bara omgången med detta id."):
    return Query(None, ge=1, le=MAX_ID, description=beskrivning)


OMGANG = _filter("omgang", int | None, _omgang_param())
ATGARD_OMGANG = _filter(
    "omgang", int | None, _omgang_param("Bara åtgärder som lades till i omgången med detta id.")
)
REGION = _filter(
    "region",
    str | None,
    Query(None, pattern=REGION_KOD, description="Bara regionen med denna länskod."),
)
VARDCENTRAL = _filter(
    "vardcentral",
    str | None,
    Query(None, pattern=HSA_ID, max_length=31, description="Bara vårdcentralen med detta HSA-id."),
)
TEMA = _filter(
    "tema", str | None, Query(None, pattern=KOD, description="Bara temat med denna kod.")
)
AKTIV = _filter(
    "aktiv",
    bool | None,
    Query(None, description="Bara aktiva (true) eller inaktiva (false)."),
)
ANDRAD_EFTER = _filter(
    "andrad_efter",
    datetime.datetime | None,
    Query(
        None,
        description="Bara rader ändrade efter denna tidpunkt (ISO 8601; utan tidszon: svensk tid).",
    ),
)
# Paging, last on every list: ``_lista`` reads them, the endpoint's own function never does.
_SIDA = (
    _filter(
        "limit",
        int,
        Query(STANDARD_ANTAL, ge=1, le=MAX_ANTAL, description="Rader per sida (1–500)."),
    ),
    _filter(
        "cursor",
        str | None,
        Query(None, max_length=200, description="next_cursor från föregående sida."),
    ),
)
_REQUEST = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _lista(path: str, schema, *, summary: str, tags: list[str], filtren=(), fel=FEL_OBJEKT):
    """Register a list endpoint. The decorated function takes the request and its filters
    (keyword arguments, declared in ``filtren``) and returns the ``values()`` queryset; this adds
    ``limit`` and ``cursor``, answers one page with its ETag (``sida_response``) and documents
    ``Sida[schema]``, 304 and the errors ``fel``. The OpenAPI operation keeps the function's
    name and docstring."""

    def decorator(queryset_for):
        @functools.wraps(queryset_for)
        def view(request, *, limit: int, cursor: str | None, **filtervarden):
            qs = queryset_for(request, **filtervarden)
            return sida_response(request, qs, schema, limit=limit, cursor=cursor)

        view.__signature__ = inspect.Signature([_REQUEST, *filtren, *_SIDA])
        response = {200: Sida[schema], 304: None, **fel}
        return api.get(path, response=response, summary=summary, tags=tags)(view)

    return decorator


def _objekt(path: str, schema, *, summary: str, tags: list[str]):
    """Register a single-object endpoint. The decorated function takes the request and its
    path (and query) parameters and returns the object's data; this validates it against
    ``schema``, answers it with its ETag (``json_response``) and documents 304 and the errors."""

    def decorator(data_for):
        @functools.wraps(data_for)  # ninja reads the parameters through __wrapped__
        def view(request, **params) -> HttpResponse:
            data = data_for(request, **params)
            return json_response(request, schema.model_validate(data).model_dump_json().encode())

        response = {200: schema, 304: None, **FEL_OBJEKT}
        return api.get(path, response=response, summary=summary, tags=tags)(view)

    return decorator


# --- The instrument ---------------------------------------------------------------------------


@_lista(
    "/malbild/versioner",
    schemas.MalbildVersionKort,
    summary="Målbildens versioner",
    tags=["Målbilden"],
    fel=FEL_LAS,
)
def malbild_version_list(request):
    """Målbildens versioner."""
    return selectors.malbild_version_list()


@_objekt(
    "/malbild/versioner/{slug}",
    schemas.MalbildVersion,
    summary="En målbildsversion, hel",
    tags=["Målbilden"],
)
def malbild_version_detail(request, slug: str = Path(..., pattern=KOD)):
    """En version med teman, kriterier, nivåbeskrivningar och vilka kriterier de ersätter."""
    return selectors.malbild_version_get(slug)


# --- Regions, kommuner and units --------------------------------------------------------------


@_lista(
    "/regioner",
    schemas.Region,
    summary="Regioner",
    tags=["Regioner och vårdcentraler"],
    fel=FEL_LAS,
)
def region_list(request):
    """Regionerna du ser: din egen, eller alla (nationell läsare)."""
    return selectors.region_list(request.user)


@_objekt(
    "/regioner/{kod}",
    schemas.Region,
    summary="En region",
    tags=["Regioner och vårdcentraler"],
)
def region_detail(request, kod: str = Path(..., pattern=REGION_KOD)):
    return selectors.region_get(request.user, kod)


@_lista(
    "/kommuner",
    schemas.Kommun,
    summary="Kommuner",
    tags=["Regioner och vårdcentraler"],
    filtren=(REGION,),
)
def kommun_list(request, **filtren):
    """Kommunerna i regionerna du ser."""
    return selectors.kommun_list(request.user, **filtren)


@_lista(
    "/vardcentraler",
    schemas.Vardcentral,
    summary="Vårdcentraler",
    tags=["Regioner och vårdcentraler"],
    filtren=(REGION, AKTIV),
)
def vardcentral_list(request, **filtren):
    """Vårdcentralerna du ser (inte för nationella läsare: de ser bara sammanställningar)."""
    return selectors.vardcentral_list(request.user, **filtren)


@_objekt(
    "/vardcentraler/{hsa_id}",
    schemas.Vardcentral,
    summary="En vårdcentral",
    tags=["Regioner och vårdcentraler"],
)
def vardcentral_detail(request, hsa_id: str = Path(..., pattern=HSA_ID, max_length=31)):
    return selectors.vardcentral_get(request.user, hsa_id)


# --- Rounds, self-assessments, answers, targets, requirements, actions -----------------------


@_lista(
    "/omgangar",
    schemas.Omgang,
    summary="Bedömningsomgångar",
    tags=["Omgångar och svar"],
    filtren=(REGION,),
)
def omgang_list(request, **filtren):
    """Bedömningsomgångarna i regionerna du arbetar i."""
    return selectors.omgang_list(request.user, **filtren)


@_objekt(
    "/omgangar/{omgang_id}",
    schemas.Omgang,
    summary="En bedömningsomgång",
    tags=["Omgångar och svar"],
)
def omgang_detail(request, omgang_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.omgang_get(request.user, omgang_id)


@_lista(
    "/sjalvskattningar",
    schemas.Sjalvskattning,
    summary="Självskattningar",
    tags=["Omgångar och svar"],
    filtren=(OMGANG, REGION, VARDCENTRAL),
)
def sjalvskattning_list(request, **filtren):
    """Självskattningarna (en per vårdcentral och omgång) med status.

    Utan `andrad_efter`: en statusändring ändrar inte `senast_andrad`, så listan läses hel
    (en rad per vårdcentral och omgång)."""
    return selectors.sjalvskattning_list(request.user, **filtren)


@_lista(
    "/svar",
    schemas.Svar,
    summary="Svar",
    tags=["Omgångar och svar"],
    filtren=(OMGANG, REGION, VARDCENTRAL, TEMA, ANDRAD_EFTER),
)
def svar_list(request, **filtren):
    """Svaren per vårdcentral, omgång och kriterium: en nivå, "vet_ej" eller "ej_tillampligt"."""
    return selectors.svar_list(request.user, **filtren)


@_lista(
    "/malnivaer",
    schemas.Malniva,
    summary="Målnivåer",
    tags=["Omgångar och svar"],
    filtren=(OMGANG, REGION, TEMA),
)
def malniva_list(request, **filtren):
    """Regionens målnivå per kriterium och omgång."""
    return selectors.malniva_list(request.user, **filtren)


@_lista(
    "/krav",
    schemas.Krav,
    summary="Krav",
    tags=["Omgångar och svar"],
    filtren=(OMGANG, REGION, TEMA),
)
def krav_list(request, **filtren):
    """Regionens krav per kriterium och omgång."""
    return selectors.krav_list(request.user, **filtren)


@_lista(
    "/atgarder",
    schemas.Atgard,
    summary="Åtgärder",
    tags=["Omgångar och svar"],
    filtren=(ATGARD_OMGANG, REGION, VARDCENTRAL, TEMA, ANDRAD_EFTER),
)
def atgard_list(request, **filtren):
    """Vårdcentralernas åtgärder (färdplanerna)."""
    return selectors.atgard_list(request.user, **filtren)


# --- Aggregated figures -----------------------------------------------------------------------


@_objekt(
    "/regioner/{kod}/sammanstallning",
    schemas.RegionSammanstallning,
    summary="Regionens siffror per tema",
    tags=["Sammanställningar"],
)
def region_sammanstallning(
    request,
    kod: str = Path(..., pattern=REGION_KOD),
    omgang: int | None = _omgang_param("Omgången (standard: som regionöversikten väljer)."),
):
    """Regionöversiktens median, fördelning och utveckling per tema, över de vårdcentraler du
    ser. Grupper med färre än 5 vårdcentraler visas inte (`undertryckt`, värdet är `null`)."""
    return sammanstallning.region_sammanstallning_get(request.user, kod=kod, omgang_id=omgang)


@_objekt(
    "/nationellt/sammanstallning",
    schemas.NationellSammanstallning,
    summary="Rikets siffror per tema och region",
    tags=["Sammanställningar"],
)
def nationell_sammanstallning(request):
    """Den nationella översiktens siffror (nationella läsare): per tema och per region × tema,
    från varje regions senaste omgång med inskickade självskattningar."""
    return sammanstallning.nationell_sammanstallning_get(request.user)
