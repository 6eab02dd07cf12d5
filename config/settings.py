"""Settings for the målbild app, read from the environment.

Every variable is listed in README.md ("Konfiguration i produktion").
Without DATABASE_URL the app runs on an embedded SQLite file, so a new user
needs no server; compose, CI and production set DATABASE_URL to PostgreSQL.
"""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str(
    "SECRET_KEY",
    default="dev-only-insecure-key-change-me" if DEBUG else None,
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "ninja",  # its Swagger UI from the package's own static files, never a CDN
    "malbild",
    "vardcentraler",
    "uppfoljning",
    "api",
    # --- issue 18a: accounts and single sign-on ---
    "konton",
    "mozilla_django_oidc",
    "notiser",
    "team",  # issue 15: team self-assessment and evidence
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lib.middleware.UploadGransMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lib.middleware.PrivatCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "vardcentraler.context_processors.behorighet",
                "config.context_processors.navigering",
            ],
            "builtins": ["lib.templatetags.malbild_extras", "lib.templatetags.format"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded default for a single user; WAL and a busy timeout
    # keep the live-server browser tests and autosave from tripping on locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A request body above this is refused from its Content-Length before it is read (413);
# the largest legitimate body is a piece of evidence (10 MB, team/underlag.py) with its
# multipart wrapping. Set the reverse proxy's limit to the same (nginx:
# client_max_body_size 11m). Form fields without files stay within 3 MB, and uploads over
# 3 MB go to a temporary file rather than memory.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 11 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Swedish formats, but only ISO dates are accepted as input (the sv locale
# would also accept US month/day order).
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # plotly.js from the plotly package itself (static/vendor/plotly/plotly.min.js), never a CDN.
    ("vendor/plotly", Path(find_spec("plotly").submodule_search_locations[0]) / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Content Security Policy: nothing loads from another host, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# The default cache stays per process; the API's per-token request counters are in the
# database ("api"), so that every worker counts together (api/auth.py). Its table is made
# by the api app's migration.
# The default cache holds what every app instance must agree on: the follow-up's shared
# comparison figures (uppfoljning/selectors/jamforelse.py, keyed by the rounds' summary
# versions), the team links' miss counters. In the database by default (the table is made
# by `migrate`); CACHE_URL=redis://host:6379/0 uses Django's RedisCache instead (needs the
# redis package, not installed by default).
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "delad_cache",
            # Figures per round and kind (two kinds, a few hundred rounds) and miss counters.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
    "api": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "api_anropsraknare",
        # One row per token used in the last minute; culling past this resets counters.
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
API_ANROP_PER_MINUT = env_int("API_ANROP_PER_MINUT", 120)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

# HSTS preload puts the whole domain on browsers' built-in lists; that is the
# decision of the region that owns the domain (often an internal one), not of
# the app, so it stays opt-in via SECURE_HSTS_PRELOAD and its check is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# A ZIP job without a sign of life (a PDF finished) for this long is given up (uppfoljning/arkiv.py).
ARKIV_TIDSGRANS = env_int("ARKIV_TIDSGRANS", 30 * 60)
# Seconds one PDF may take to render before it is stopped with a Swedish message.
PDF_TIDSGRANS = env_int("PDF_TIDSGRANS", 60)

# Render a self-assessment's färdplan in the background after the writes that change it, so
# the download serves a stored file (uppfoljning/fardplanlager.py). Stored under MEDIA_ROOT.
FARDPLAN_FORBERED = env_bool("FARDPLAN_FORBERED", True)

# Background work (the region's ZIP of färdplaner): Django's tasks framework with the
# database-backed queue of django-tasks-db. The worker is `python manage.py db_worker`
# (README: "Bakgrundsjobb"). TASKS_BACKEND=immediate runs tasks inline instead.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_str("TASKS_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- E-mail (notifications) -----------------------------------------------------------------
# Sent by the background worker, never inside a request. Development prints mail to the
# console; production sends through the region's SMTP relay. SITE_URL makes links absolute.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        },
    }
}
if MAILERS["default"]["BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"].pop("OPTIONS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Målbild psykisk ohälsa <noreply@localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- issue 18a: accounts, password reset and single sign-on (OpenID Connect) ----------------
# README: "Konton och inloggning". The SSO client is mozilla-django-oidc (konton/sso.py).
INBJUDAN_GILTIG_DAGAR = env_int("INBJUDAN_GILTIG_DAGAR", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
SSO_PA = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
# The claim an invited account is matched by at its first SSO login: "email" (the
# account's e-mail) or another claim holding the person's HSA-id (Konto.sso_hsa_id).
OIDC_MATCH_CLAIM = env_str("OIDC_MATCH_CLAIM", "email")
SSO_NAMN = env_str("SSO_NAMN", "regionens inloggning")
if SSO_PA and not all(
    (OIDC_OP_ISSUER, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT)
    + (OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT)
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "OIDC_RP_CLIENT_ID is set: also set OIDC_OP_ISSUER and the authorization, token, "
        "user and JWKS endpoints (README: Konton och inloggning)."
    )
OIDC_CREATE_USER = False  # accounts come from invitations only
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_CALLBACK_CLASS = "konton.sso.SsoCallbackView"
OIDC_AUTHENTICATION_CALLBACK_URL = "konton:sso_callback"
OIDC_OP_LOGOUT_URL_METHOD = "konton.sso.op_logout_url"
LOGIN_REDIRECT_URL_FAILURE = "konton:sso_nekad"
# With SSO on, LOKALA_LOSENORD=0 switches local passwords off (login, reset, invitations).
LOKALA_LOSENORD = env_bool("LOKALA_LOSENORD", default=True) or not SSO_PA
AUTHENTICATION_BACKENDS = (["konton.sso.SsoBackend"] if SSO_PA else []) + (
    ["django.contrib.auth.backends.ModelBackend"] if LOKALA_LOSENORD else []
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("konton.context_processors.konton")
if OIDC_OP_LOGOUT_ENDPOINT:
    # Logout is a form POST answered by a redirect to the provider's end-session
    # endpoint; CSP form-action also governs that redirect.
    from urllib.parse import urlsplit

    _op = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    SECURE_CSP["form-action"] = [*SECURE_CSP["form-action"], f"{_op.scheme}://{_op.netloc}"]
# --- end issue 18a ------------------------------------------------------------------------

# --- Issue 18b: throttled login (django-axes), second factor (django-otp), operations -------
# (Kept in one block; the users/invitations/SSO half of issue 18 has its own block.)
INSTALLED_APPS += ["axes", "inloggning", "drift"]  # noqa: F405
# axes must see every login, the admin's and single sign-on's too: its backend goes in front
# of those issue 18a chose (above), its middleware last.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

# A lock per account and address (AXES_FAILURE_LIMIT), per address over all accounts
# (a region's proxy may carry many users: higher) and per account over all addresses.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("INLOGGNING_GRANS", 5)
INLOGGNING_GRANS_PER_ADRESS = env_int("INLOGGNING_GRANS_PER_ADRESS", 30)
INLOGGNING_GRANS_PER_KONTO = env_int("INLOGGNING_GRANS_PER_KONTO", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("INLOGGNING_SPARR_MINUTER", 15))
AXES_HANDLER = "inloggning.throttling.InloggningHandler"
AXES_LOCKOUT_CALLABLE = "inloggning.throttling.lasning_response"
AXES_CLIENT_IP_CALLABLE = "inloggning.throttling.klientadress"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Operations (README "Drift"): request id and log context first, so every later
# middleware's log lines carry them; JSON-lines logs; the worker's heartbeat; /metrics.
MIDDLEWARE.insert(0, "drift.middleware.request_context_middleware")
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"kontext": {"()": "lib.loggning.KontextFilter"}},
    "formatters": {
        "json": {"()": "lib.loggning.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["kontext"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # axes' own lines repeat ours (inloggning.signals) at INFO; keep its warnings.
        "axes": {"level": "WARNING"},
        # Django's task lines repeat ours (drift.jobblogg), which add the duration.
        "django.tasks": {"level": "WARNING"},
    },
}
# Bearer token for /metrics (Prometheus); unset: /metrics answers 404.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
if not DEBUG:
    # Prometheus often scrapes the container directly over the internal network.
    SECURE_REDIRECT_EXEMPT += [r"^metrics$"]

# Second factor (django-otp, TOTP): offered to planners and administrators with a local
# password, required for administrators, Django admin included. Under DEBUG (make run,
# the tests) it is not required unless OTP_REQUIRED_FOR_ADMINS=1: the demo admin is a
# shared account on fake data, and a secret printed in the README would be no second
# factor. In production (DEBUG off) it is always required.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "inloggning.middleware.TvastegMiddleware",
)
TVASTEG_KRAVS_FOR_ADMIN = env_bool("OTP_REQUIRED_FOR_ADMINS", default=False) if DEBUG else True
OTP_TOTP_ISSUER = "Målbild psykisk ohälsa"
# django-otp's own back-off after wrong codes: 1 s, 2 s, 4 s … between tries.
OTP_TOTP_THROTTLE_FACTOR = 1
