"""Django settings, read from environment variables.

DATABASE_URL (default: an SQLite file in KNOOPPUNT_DATA_DIR), SECRET_KEY, DEBUG,
ALLOWED_HOSTS, KNOOPPUNT_DEMO, OIDC_* (see docs/architecture.md).
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from knooppunt.charts.svg_styles import csp_hashes as svg_style_hashes

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("KNOOPPUNT_DATA_DIR", Path.cwd() / "var")).resolve()
DEMO_MODE = env_bool("KNOOPPUNT_DEMO")
DEBUG = env_bool("DEBUG", default=False)

TESTING = env_bool("KNOOPPUNT_TESTING")
DEMO_SECRET_KEY = "knooppunt-insecure-demo-key-do-not-use-in-production"  # noqa: S105

_secret = os.environ.get("SECRET_KEY")
if not _secret:
    if not (DEMO_MODE or TESTING):
        # Refuse to start with the published demo key, also with DEBUG=1 (decision 0029):
        # a DEBUG instance reachable by others would sign sessions with a public key.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt; alleen de demo (KNOOPPUNT_DEMO=1) draait zonder / "
            "SECRET_KEY is not set; only the demo (KNOOPPUNT_DEMO=1) runs without one."
        )
    _secret = DEMO_SECRET_KEY
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "knooppunt.apps.KnooppuntAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "knooppunt.geo",
    "knooppunt.taxonomy",
    "knooppunt.registers",
    "knooppunt.organisations",
    "knooppunt.audit",
    "knooppunt.signals",
    "knooppunt.intake",
    "knooppunt.events",
    "knooppunt.subjects",
    "knooppunt.cases",
    "knooppunt.entities",
    "knooppunt.matches",
    "knooppunt.visits",
    "knooppunt.analytics",
    "knooppunt.forecasts",
    "knooppunt.monitoring",
    "knooppunt.charts",
    "knooppunt.dashboards",
    "knooppunt.reports",
    "knooppunt.web",
    "knooppunt.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "knooppunt.api.middleware.ProblemDetailsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "knooppunt.audit.middleware.AuditContextMiddleware",
    "knooppunt.api.middleware.ApiVersionMiddleware",
    "axes.middleware.AxesMiddleware",
    # After authentication and OTP: end idle sessions, then hold back a session that
    # still owes its second factor (decision 0029).
    "knooppunt.web.sessions.IdleTimeoutMiddleware",
    "knooppunt.web.second_factor.SecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "knooppunt.urls"
WSGI_APPLICATION = "knooppunt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "knooppunt.web.context_processors.knooppunt",
            ],
        },
    }
]

if not os.environ.get("DATABASE_URL"):
    # The embedded default: make its folder so `knooppunt migrate` works on a fresh clone.
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'knooppunt.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the embedded database usable by the web server and
    # background commands at the same time.
    # Transactions begin IMMEDIATE: a transaction that reads first and writes later would
    # otherwise fail at once with "database is locked" when another process writes (SQLite
    # cannot upgrade its read lock), without waiting the busy timeout. Several server
    # workers (decision 0032) write at the same time. Reads through a memory map (256 MB)
    # skip a read call per page: the map's 100,000 points read ~30% faster (decision 0040).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                        "PRAGMA mmap_size=268435456;",
         "transaction_mode": "IMMEDIATE"}
    )
    # Tests use a file too, not the in-memory default: in-memory databases share one cache
    # whose table locks fail at once ("database table is locked") instead of waiting the
    # busy timeout, so concurrent writers would behave unlike the embedded database they
    # stand in for. One file per process: test runs side by side never meet.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"knooppunt-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

OIDC_ENABLED = env_bool("OIDC_ENABLED")
if OIDC_ENABLED:
    # OpenID Connect single sign-on, switched on by settings only.
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "knooppunt.organisations.oidc.KnooppuntOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", default=False)

# NIST SP 800-63B / BIO: a long minimum for new passwords and a check against common ones;
# no composition rules and no periodic expiry (decision 0029).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("KNOOPPUNT_PASSWORD_MIN_LENGTH", "12"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60)))

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Second factor (TOTP): required for these roles, and for every admin (is_staff) account.
# A user of such a role without a confirmed device sets one up right after the password
# and can do nothing else until it is confirmed (web.second_factor, decision 0029).
KNOOPPUNT_REQUIRE_2FA_ROLES = env_list(
    "KNOOPPUNT_REQUIRE_2FA_ROLES", "beheerder,coordinator,analist"
)

# Sessions end after this much inactivity, and in any case this long after login
# (web.sessions); the cookie lives no longer than that either.
KNOOPPUNT_SESSION_IDLE_SECONDS = int(os.environ.get("KNOOPPUNT_SESSION_IDLE_SECONDS", "1800"))
KNOOPPUNT_SESSION_MAX_SECONDS = int(os.environ.get("KNOOPPUNT_SESSION_MAX_SECONDS", "36000"))
SESSION_COOKIE_AGE = KNOOPPUNT_SESSION_MAX_SECONDS

# django-axes: lock a username/IP combination after AXES_FAILURE_LIMIT failures, and an
# IP address after KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT failures across all accounts
# (password spraying). Nobody locks an account from another address: there is no lockout
# per username alone. A lockout ends AXES_COOLOFF_TIME after the last counted failure;
# attempts during a lockout do not prolong it (web.lockout, decision 0029).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "knooppunt.web.lockout.KnooppuntAxesHandler"
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy: the number of proxies that add X-Forwarded-For, so the client's
# own address is counted, not the proxy's.
if os.environ.get("AXES_IPWARE_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_IPWARE_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Mail (the daily case digest, `knooppunt case_digest --send`).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "knooppunt@localhost")
# The address in mails that link to a page (scheduled reports): where users reach Knooppunt.
KNOOPPUNT_BASE_URL = os.environ.get("KNOOPPUNT_BASE_URL", "http://localhost:8000")

OTP_TOTP_ISSUER = "Knooppunt"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not (DEBUG or DEMO_MODE):
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    # Behind a TLS-terminating proxy: set SECURE_PROXY_SSL_HEADER via the proxy's header.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Both apply to Knooppunt's own host name and its subdomains only.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if env_bool("TRUST_X_FORWARDED_PROTO"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from Knooppunt
# itself only; no inline script, no eval, no inline <style> element. Inline style
# *attributes* are not allowed either. Nothing may frame Knooppunt (decision 0029).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Plus the fixed <style> of Knooppunt's own SVG maps, by hash (charts.svg_styles).
        "style-src": ["'self'", *svg_style_hashes()],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The map library's workers are module scripts from Knooppunt itself (decision 0036).
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The interactive map (decision 0036): no online tiles by default. A base map is an
# optional URL: a MapLibre style (JSON) or a raster tile template with {z}/{x}/{y}. Its
# origin is added to the policy: connect-src (style, tiles) and img-src (raster tiles, which
# the library decodes through blob: URLs).
KNOOPPUNT_BASEMAP_URL = os.environ.get("KNOOPPUNT_BASEMAP_URL", "").strip()
if KNOOPPUNT_BASEMAP_URL:
    from urllib.parse import urlsplit as _urlsplit

    _basemap = _urlsplit(KNOOPPUNT_BASEMAP_URL)
    _origin = f"{_basemap.scheme}://{_basemap.netloc}"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(_origin)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += [_origin, "blob:"]
# A grid layer over more cells than this is refused (the view is too large for the size).
KNOOPPUNT_MAP_MAX_CELLS = int(os.environ.get("KNOOPPUNT_MAP_MAX_CELLS", "50000"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knooppunt.organisations.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API speaks JSON only: no browsable HTML, no form posts.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["knooppunt.api.parsers.ApiJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "knooppunt.api.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "knooppunt.api.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "knooppunt.api.exception_handler.problem_exception_handler",
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
    "DEFAULT_THROTTLE_CLASSES": ["knooppunt.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_RATE", "600/minute")},
}

API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Knooppunt API",
    # GeoJSON's "type" member takes a different fixed set in each kind of object.
    "ENUM_NAME_OVERRIDES": {
        "GeoJsonAreaGeometryTypeEnum": ["Polygon", "MultiPolygon"],
        "GeoJsonPolygonTypeEnum": ["Polygon"],
        "GeoJsonFeatureTypeEnum": ["Feature"],
        "GeoJsonFeatureCollectionTypeEnum": ["FeatureCollection"],
    },
    "DESCRIPTION": (
        "API voor partnersystemen: signalen van ondermijning aanleveren en opvragen.\n\n"
        "* Authenticatie met een API-sleutel per partnersysteem: "
        "`Authorization: Token <sleutel>`.\n"
        "* U ziet alleen de signalen van uw eigen organisatie en die een partner via een "
        "geldig convenant met u deelt; elke opvraging wordt vastgelegd in het "
        "verwerkingenlog.\n"
        "* Fouten volgen RFC 9457 (`application/problem+json`) met een Nederlandse "
        "toelichting; bij ongeldige invoer noemt `invalidParams` elk veld.\n"
        "* Elk antwoord draagt de header `API-Version`."
    ),
    "VERSION": API_VERSION,
    "SERVERS": [{"url": "/api/v1", "description": "Deze Knooppunt-installatie"}],
    "TAGS": [
        {"name": "Signalen", "description": "Signalen van mogelijke ondermijning."},
        {"name": "Aanleveringen", "description": "Bestanden met signalen van partners."},
        {"name": "Casussen", "description": "Casussen, fasen en besluiten van de overleggen."},
        {"name": "Vergaderingen", "description": "Vergaderingen: agenda, aanwezigen, besluiten."},
        {"name": "Interventies", "description": "Interventies en hun terugkoppeling."},
        {"name": "Opvolging", "description": "Opvolging per gemeente (geaggregeerd)."},
        {"name": "Monitoring", "description": "Indicatoren, cijfers, streefcijfers, "
         "statistieken, signaleringen, benchmark en verplaatsing (geaggregeerd)."},
        {"name": "Rapportages", "description": "Rapportages voor bestuur en raad maken, "
         "lezen en als PDF downloaden (vastgelegd en gelogd)."},
        {"name": "Analyses", "description": "Ruimtelijke analyses: hotspots (Gi*, "
         "kerndichtheid, opkomende hotspots) per cel, met de methode."},
        {"name": "Voorspellingen", "description": "Plaatsgebonden voorspellingen: hoe goed "
         "ze het in het verleden deden (trefkans, PAI, PEI per maand tegen basislijnen)."},
        {"name": "Entiteiten en relaties", "description": "Personen, bedrijven, adressen "
         "en voertuigen en hun relaties als FollowTheMoney-uitspraken met herkomst; "
         "need-to-know per uitspraak, gelogd; FtM-export en -import per casus."},
        {"name": "Koppelingen", "description": "Kandidaat-koppelingen tussen personen van "
         "verschillende partners (Splink), met uitleg per veld; bevestigen, afwijzen en "
         "terugdraaien met een reden, gelogd. Nooit een samenvoeging."},
        {"name": "Kwetsbare plekken", "description": "Kwetsbare plekken in het buitengebied "
         "(module 5): lijst met redenen en toetsing, bezoeken, aantallen per gemeente."},
        {"name": "Gebieden", "description": "Gemeenten en wijken met naam, en hun grenzen "
         "als GeoJSON (WGS84); alleen uw eigen gemeenten."},
        {"name": "Kaart", "description": "Lagen van de interactieve kaart: gebieden en "
         "rastercellen met aantallen (kleine aantallen afgeschermd), signaalpunten en de "
         "pop-up van één signaal (need-to-know, gelogd)."},
        {"name": "Politie-incidenten", "description": "Incidentregistraties van de politie "
         "(datum, uur, code, plaats) uit incidentenbestanden; x/y in het stelsel van het "
         "bestand (besluit 0037)."},
        {"name": "Gebiedsscan", "description": "Gebiedsscan van een gemeente, wijk of straal "
         "rond een adres: vastgoed, bedrijven, signalen, casussen (geaggregeerd; lijsten "
         "alleen met toegang tot persoonsgegevens, gelogd)."},
    ],
    "LICENSE": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "knooppunt.api.schema.code_lists",
    ],
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Dashboard figures (dashboards.figures): shared between processes, so the compute job can
# warm it for the web server. File-based by default; any Django cache backend will do.
CACHES["figures"] = {
    "BACKEND": os.environ.get(
        "KNOOPPUNT_FIGURE_CACHE_BACKEND",
        "django.core.cache.backends.locmem.LocMemCache" if env_bool("KNOOPPUNT_TESTING")
        else "django.core.cache.backends.filebased.FileBasedCache"),
    "LOCATION": os.environ.get("KNOOPPUNT_FIGURE_CACHE_LOCATION",
                               str(DATA_DIR / "figure-cache")),
    "OPTIONS": {"MAX_ENTRIES": 20000},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Knooppunt's own settings.
KNOOPPUNT_SHARED_DATA = os.environ.get("KNOOPPUNT_SHARED_DATA", "")
KNOOPPUNT_SMALL_COUNT_THRESHOLD = int(os.environ.get("KNOOPPUNT_SMALL_COUNT_THRESHOLD", "5"))
# The key of pseudonyms (decision 0054); empty: derived from SECRET_KEY with a purpose
# string. Changing it changes every pseudonym (patterns followed by pseudonym start over).
KNOOPPUNT_PSEUDONYM_KEY = os.environ.get("KNOOPPUNT_PSEUDONYM_KEY", "")
# Hotspots (decision 0038): largest grid, longest period, and cells x time steps.
KNOOPPUNT_HOTSPOT_MAX_CELLS = int(os.environ.get("KNOOPPUNT_HOTSPOT_MAX_CELLS", "100000"))
KNOOPPUNT_HOTSPOT_MAX_DAYS = int(os.environ.get("KNOOPPUNT_HOTSPOT_MAX_DAYS", "1830"))
# Study-area grids kept per area, cell size and boundary in DATA_DIR/cache/hotspot-grids
# (analytics.hotspot_grids); "0" turns the cache off.
KNOOPPUNT_HOTSPOT_GRID_CACHE = os.environ.get("KNOOPPUNT_HOTSPOT_GRID_CACHE", "1") != "0"
# A polygon drawn for the area scan (analytics.drawn): at most this many corners and km².
KNOOPPUNT_AREASCAN_MAX_VERTICES = int(os.environ.get("KNOOPPUNT_AREASCAN_MAX_VERTICES", "200"))
KNOOPPUNT_AREASCAN_MAX_POLYGON_KM2 = float(
    os.environ.get("KNOOPPUNT_AREASCAN_MAX_POLYGON_KM2", "25"))
KNOOPPUNT_HOTSPOT_MAX_CELL_STEPS = int(
    os.environ.get("KNOOPPUNT_HOTSPOT_MAX_CELL_STEPS", "5000000"))

# Registers (see docs/registers.md): which adapter answers, and the remote API's settings.
KNOOPPUNT_ADDRESS_REGISTER = os.environ.get(
    "KNOOPPUNT_ADDRESS_REGISTER", "knooppunt.registers.addresses.LocalAddressRegister"
)
KNOOPPUNT_COMPANY_REGISTER = os.environ.get(
    "KNOOPPUNT_COMPANY_REGISTER", "knooppunt.registers.companies.LocalCompanyRegister"
)
# Permits and zoning (registers.planning): no adapter by default; the demo's synthetic one
# in the demo.
KNOOPPUNT_PLANNING_REGISTER = os.environ.get(
    "KNOOPPUNT_PLANNING_REGISTER",
    "knooppunt.registers.planning.DemoPlanningRegister" if DEMO_MODE else "")
# Company-register extracts (companies, officers, addresses) that add entities and links
# (entities.registers, decision 0047): none by default; the demo reads its own data.
KNOOPPUNT_COMPANY_EXTRACTS = os.environ.get(
    "KNOOPPUNT_COMPANY_EXTRACTS",
    "knooppunt.entities.registers.DemoCompanyExtracts" if DEMO_MODE
    else "knooppunt.entities.registers.NoCompanyExtracts")
KNOOPPUNT_ENERGY_REGISTER = os.environ.get(
    "KNOOPPUNT_ENERGY_REGISTER", "knooppunt.registers.energy.LocalEnergyRegister"
)
KNOOPPUNT_BAG_API_URL = os.environ.get(
    "KNOOPPUNT_BAG_API_URL", "https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2"
)
KNOOPPUNT_BAG_API_KEY = os.environ.get("KNOOPPUNT_BAG_API_KEY", "")
KNOOPPUNT_KVK_API_URL = os.environ.get("KNOOPPUNT_KVK_API_URL", "https://api.kvk.nl/api")
KNOOPPUNT_KVK_API_KEY = os.environ.get("KNOOPPUNT_KVK_API_KEY", "")
# Deliveries up to this size are processed during the upload; larger ones by the worker.
KNOOPPUNT_INLINE_IMPORT_BYTES = int(os.environ.get("KNOOPPUNT_INLINE_IMPORT_BYTES", "1000000"))
# The largest delivery file accepted (page and API). Uploads above Django's
# FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) are streamed to a temporary file and read from disk.
KNOOPPUNT_MAX_UPLOAD_BYTES = int(os.environ.get("KNOOPPUNT_MAX_UPLOAD_BYTES", str(200 * 1024**2)))
# How long a delivery waits for another one of the same profile and organisation to finish
# storing (SQLite: for the database's write lock) before it fails.
KNOOPPUNT_DELIVERY_LOCK_SECONDS = int(os.environ.get("KNOOPPUNT_DELIVERY_LOCK_SECONDS", "3600"))
# A delivery of at least this many new signals that at least doubles the signal table is
# stored as a bulk load: secondary indexes and (PostgreSQL) foreign keys dropped and
# re-created in the same transaction; PostgreSQL readers of the tables wait meanwhile
# (decision 0017). 0 switches it off.
KNOOPPUNT_BULK_LOAD_MIN_ROWS = int(os.environ.get("KNOOPPUNT_BULK_LOAD_MIN_ROWS", "50000"))
# On PostgreSQL that bulk load drops foreign keys, which locks the referenced tables
# (auth_user, organisations, themes, ...) until COMMIT: every login and page waits. Only a
# beheerder switches it on, for a planned load (or `import-signals --bulk-load-locking`);
# off, a large delivery takes the ordinary path and nobody waits (decision 0031).
KNOOPPUNT_BULK_LOAD_LOCKING = env_bool("KNOOPPUNT_BULK_LOAD_LOCKING", default=False)
# Accepted rows of a delivery carried as columns from validation to the writer (decision
# 0022); "0" keeps a dict per row all the way, as before (same stored values, slower).
KNOOPPUNT_IMPORT_COLUMNS = os.environ.get("KNOOPPUNT_IMPORT_COLUMNS", "1") != "0"
# The analytics engine (decisions 0008, 0051): "duckdb" embedded (default), "spark" (pyspark
# in local mode, the optional extra `spark`, Java 17) or a dotted path to a factory.
KNOOPPUNT_ANALYTICS_ENGINE = os.environ.get("KNOOPPUNT_ANALYTICS_ENGINE", "duckdb")
