"""The read API, version 1 (``/api/v1/``): django-ninja, typed schemas, OpenAPI 3.

Why django-ninja: the schemas are plain pydantic models, the OpenAPI 3 document is generated
from the same type hints that validate the input, and its Swagger UI is served from the
package's own static files (with ``ninja`` in INSTALLED_APPS, no CDN). It is one small
dependency (plus pydantic) against DRF + drf-spectacular + a sidecar for the assets.

Every operation here is a thin view: parse (ninja), ask ``selectors`` (which start from
the access policy), answer a page (``paginering``). Errors are problem details (``problem``).
"""

import datetime

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

Limit = Query(STANDARD_ANTAL, ge=1, le=MAX_ANTAL, description="Rader per sida (1–500).")
Cursor = Query(None, max_length=200, description="next_cursor från föregående sida.")


def _omgang_param(beskrivning="Bara omgången med detta id."):
    return Query(None, ge=1, le=MAX_ID, description=beskrivning)


OmgangQ = _omgang_param()
AtgardOmgangQ = _omgang_param("Bara åtgärder som lades till i omgången med detta id.")
RegionQ = Query(None, pattern=REGION_KOD, description="Bara regionen med denna länskod.")


VardcentralQ = Query(
    None, pattern=HSA_ID, max_length=31, description="Bara vårdcentralen med detta HSA-id."
)
TemaQ = Query(None, pattern=KOD, description="Bara temat med denna kod.")
AndradQ = Query(
    None,
    description="Bara rader ändrade efter denna tidpunkt (ISO 8601; utan tidszon: svensk tid).",
)


def _objekt(request, data: dict, schema) -> HttpResponse:
    return json_response(request, schema.model_validate(data).model_dump_json().encode())


# --- The instrument ---------------------------------------------------------------------------


@api.get(
    "/malbild/versioner",
    response={200: Sida[schemas.MalbildVersionKort], 304: None, **FEL_LAS},
    summary="Målbildens versioner",
    tags=["Målbilden"],
)
def malbild_version_list(request, limit: int = Limit, cursor: str | None = Cursor):
    """Målbildens versioner."""
    return sida_response(
        request,
        selectors.malbild_version_list(),
        schemas.MalbildVersionKort,
        limit=limit,
        cursor=cursor,
    )


@api.get(
    "/malbild/versioner/{slug}",
    response={200: schemas.MalbildVersion, 304: None, **FEL_OBJEKT},
    summary="En målbildsversion, hel",
    tags=["Målbilden"],
)
def malbild_version_detail(request, slug: str = Path(..., pattern=KOD)):
    """En version med teman, kriterier, nivåbeskrivningar och vilka kriterier de ersätter."""
    return _objekt(request, selectors.malbild_version_get(slug), schemas.MalbildVersion)


# --- Regions, kommuner and units --------------------------------------------------------------


@api.get(
    "/regioner",
    response={200: Sida[schemas.Region], 304: None, **FEL_LAS},
    summary="Regioner",
    tags=["Regioner och vårdcentraler"],
)
def region_list(request, limit: int = Limit, cursor: str | None = Cursor):
    """Regionerna du ser: din egen, eller alla (nationell läsare)."""
    qs = selectors.region_list(request.user)
    return sida_response(request, qs, schemas.Region, limit=limit, cursor=cursor)


@api.get(
    "/regioner/{kod}",
    response={200: schemas.Region, 304: None, **FEL_OBJEKT},
    summary="En region",
    tags=["Regioner och vårdcentraler"],
)
def region_detail(request, kod: str = Path(..., pattern=REGION_KOD)):
    return _objekt(request, selectors.region_get(request.user, kod), schemas.Region)


@api.get(
    "/kommuner",
    response={200: Sida[schemas.Kommun], 304: None, **FEL_OBJEKT},
    summary="Kommuner",
    tags=["Regioner och vårdcentraler"],
)
def kommun_list(
    request, region: str | None = RegionQ, limit: int = Limit, cursor: str | None = Cursor
):
    """Kommunerna i regionerna du ser."""
    qs = selectors.kommun_list(request.user, region=region)
    return sida_response(request, qs, schemas.Kommun, limit=limit, cursor=cursor)


@api.get(
    "/vardcentraler",
    response={200: Sida[schemas.Vardcentral], 304: None, **FEL_OBJEKT},
    summary="Vårdcentraler",
    tags=["Regioner och vårdcentraler"],
)
def vardcentral_list(
    request,
    region: str | None = RegionQ,
    aktiv: bool | None = Query(None, description="Bara aktiva (true) eller inaktiva (false)."),
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Vårdcentralerna du ser (inte för nationella läsare: de ser bara sammanställningar)."""
    qs = selectors.vardcentral_list(request.user, region=region, aktiv=aktiv)
    return sida_response(request, qs, schemas.Vardcentral, limit=limit, cursor=cursor)


@api.get(
    "/vardcentraler/{hsa_id}",
    response={200: schemas.Vardcentral, 304: None, **FEL_OBJEKT},
    summary="En vårdcentral",
    tags=["Regioner och vårdcentraler"],
)
def vardcentral_detail(request, hsa_id: str = Path(..., pattern=HSA_ID, max_length=31)):
    return _objekt(request, selectors.vardcentral_get(request.user, hsa_id), schemas.Vardcentral)


# --- Rounds, self-assessments, answers, targets, requirements, actions -----------------------


@api.get(
    "/omgangar",
    response={200: Sida[schemas.Omgang], 304: None, **FEL_OBJEKT},
    summary="Bedömningsomgångar",
    tags=["Omgångar och svar"],
)
def omgang_list(
    request, region: str | None = RegionQ, limit: int = Limit, cursor: str | None = Cursor
):
    """Bedömningsomgångarna i regionerna du arbetar i."""
    qs = selectors.omgang_list(request.user, region=region)
    return sida_response(request, qs, schemas.Omgang, limit=limit, cursor=cursor)


@api.get(
    "/omgangar/{omgang_id}",
    response={200: schemas.Omgang, 304: None, **FEL_OBJEKT},
    summary="En bedömningsomgång",
    tags=["Omgångar och svar"],
)
def omgang_detail(request, omgang_id: int = Path(..., ge=1, le=MAX_ID)):
    return _objekt(request, selectors.omgang_get(request.user, omgang_id), schemas.Omgang)


@api.get(
    "/sjalvskattningar",
    response={200: Sida[schemas.Sjalvskattning], 304: None, **FEL_OBJEKT},
    summary="Självskattningar",
    tags=["Omgångar och svar"],
)
def sjalvskattning_list(
    request,
    omgang: int | None = OmgangQ,
    region: str | None = RegionQ,
    vardcentral: str | None = VardcentralQ,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Självskattningarna (en per vårdcentral och omgång) med status.

    Utan `andrad_efter`: en statusändring ändrar inte `senast_andrad`, så listan läses hel
    (en rad per vårdcentral och omgång)."""
    qs = selectors.sjalvskattning_list(
        request.user,
        omgang=omgang,
        region=region,
        vardcentral=vardcentral,
    )
    return sida_response(request, qs, schemas.Sjalvskattning, limit=limit, cursor=cursor)


@api.get(
    "/svar",
    response={200: Sida[schemas.Svar], 304: None, **FEL_OBJEKT},
    summary="Svar",
    tags=["Omgångar och svar"],
)
def svar_list(
    request,
    omgang: int | None = OmgangQ,
    region: str | None = RegionQ,
    vardcentral: str | None = VardcentralQ,
    tema: str | None = TemaQ,
    andrad_efter: datetime.datetime | None = AndradQ,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Svaren per vårdcentral, omgång och kriterium: en nivå, "vet_ej" eller "ej_tillampligt"."""
    qs = selectors.svar_list(
        request.user,
        omgang=omgang,
        region=region,
        vardcentral=vardcentral,
        tema=tema,
        andrad_efter=andrad_efter,
    )
    return sida_response(request, qs, schemas.Svar, limit=limit, cursor=cursor)


@api.get(
    "/malnivaer",
    response={200: Sida[schemas.Malniva], 304: None, **FEL_OBJEKT},
    summary="Målnivåer",
    tags=["Omgångar och svar"],
)
def malniva_list(
    request,
    omgang: int | None = OmgangQ,
    region: str | None = RegionQ,
    tema: str | None = TemaQ,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Regionens målnivå per kriterium och omgång."""
    qs = selectors.malniva_list(request.user, omgang=omgang, region=region, tema=tema)
    return sida_response(request, qs, schemas.Malniva, limit=limit, cursor=cursor)


@api.get(
    "/krav",
    response={200: Sida[schemas.Krav], 304: None, **FEL_OBJEKT},
    summary="Krav",
    tags=["Omgångar och svar"],
)
def krav_list(
    request,
    omgang: int | None = OmgangQ,
    region: str | None = RegionQ,
    tema: str | None = TemaQ,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Regionens krav per kriterium och omgång."""
    qs = selectors.krav_list(request.user, omgang=omgang, region=region, tema=tema)
    return sida_response(request, qs, schemas.Krav, limit=limit, cursor=cursor)


@api.get(
    "/atgarder",
    response={200: Sida[schemas.Atgard], 304: None, **FEL_OBJEKT},
    summary="Åtgärder",
    tags=["Omgångar och svar"],
)
def atgard_list(
    request,
    omgang: int | None = AtgardOmgangQ,
    region: str | None = RegionQ,
    vardcentral: str | None = VardcentralQ,
    tema: str | None = TemaQ,
    andrad_efter: datetime.datetime | None = AndradQ,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Vårdcentralernas åtgärder (färdplanerna)."""
    qs = selectors.atgard_list(
        request.user,
        omgang=omgang,
        region=region,
        vardcentral=vardcentral,
        tema=tema,
        andrad_efter=andrad_efter,
    )
    return sida_response(request, qs, schemas.Atgard, limit=limit, cursor=cursor)


# --- Aggregated figures -----------------------------------------------------------------------


@api.get(
    "/regioner/{kod}/sammanstallning",
    response={200: schemas.RegionSammanstallning, 304: None, **FEL_OBJEKT},
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
    data = sammanstallning.region_sammanstallning_get(request.user, kod=kod, omgang_id=omgang)
    return _objekt(request, data, schemas.RegionSammanstallning)


@api.get(
    "/nationellt/sammanstallning",
    response={200: schemas.NationellSammanstallning, 304: None, **FEL_OBJEKT},
    summary="Rikets siffror per tema och region",
    tags=["Sammanställningar"],
)
def nationell_sammanstallning(request):
    """Den nationella översiktens siffror (nationella läsare): per tema och per region × tema,
    från varje regions senaste omgång med inskickade självskattningar."""
    data = sammanstallning.nationell_sammanstallning_get(request.user)
    return _objekt(request, data, schemas.NationellSammanstallning)
