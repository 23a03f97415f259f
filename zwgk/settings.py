"""Settings for zwgk.

Everything that differs between the embedded demo and production comes from the environment:
DATABASE_URL (default: SQLite under var/), REDIS_URL (cache and RQ tasks), ZWGK_* for the rest.
Nothing secret is committed: ZWGK_SECRET_KEY must be set when ZWGK_DEBUG is off.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZWGK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("ZWGK_DEBUG", True)
SECRET_KEY = os.environ.get("ZWGK_SECRET_KEY") or ("embedded-demo-only-not-secret" if DEBUG else None)
if not SECRET_KEY:
    raise RuntimeError("ZWGK_SECRET_KEY must be set when ZWGK_DEBUG is off")
ALLOWED_HOSTS = os.environ.get("ZWGK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZWGK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "zwgk.core",
    "zwgk.disclosure",
    "zwgk.portal",
    "zwgk.screening",
    "zwgk.search",
    "zwgk.applications",
    "zwgk.reports",
    "zwgk.interaction",
    "zwgk.interaction.consultations",
    "zwgk.catalog",
    "zwgk.monitoring",
    "zwgk.demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zwgk.core.security.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zwgk.core.security.AdminIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zwgk.screening.middleware.WithdrawnPageMiddleware",
    "zwgk.disclosure.admin_scope.AdminPageScopeMiddleware",
    # Turns a login refused by django-axes (too many failures) into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
    # Anonymous portal reads from the replica, when ZWGK_REPLICA_URL is set (zwgk/portal/replica.py).
    "zwgk.portal.replica.ReplicaMiddleware",
    # Last, so a cached page goes back out through every middleware above like a fresh one.
    "zwgk.portal.cache.PortalCacheMiddleware",
]

ROOT_URLCONF = "zwgk.urls"
# Error reports (the DEBUG page, mails to ADMINS) hide DATABASE_URL and REDIS_URL like passwords.
DEFAULT_EXCEPTION_REPORTER_FILTER = "zwgk.core.errors.ExceptionReporterFilter"
CSRF_FAILURE_VIEW = "zwgk.portal.views.csrf_failure"  # a Chinese 403 page, not Django's English one
WSGI_APPLICATION = "zwgk.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zwgk.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers numbering 索引号 or
    # 申请编号 serialise instead of failing with "database is locked" half-way; WAL lets the
    # portal read while the back office writes. 16 KB pages (for a new database file: the size is set
    # before its first write, before WAL): an entry of the search index (~7 KB) fits in one page
    # instead of spilling into overflow pages, and at 150,000 items FTS5 loaded its index in 20 % and
    # merged it in 25 % less time than with 4 KB pages and the unicode61 tokenizer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not the shared-cache in-memory database: the browser tests' live server answers
    # from several threads, and shared-cache tables fail with "table is locked" instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-zwgk.sqlite3")}
# A PostgreSQL streaming replica for the portal's and search's anonymous reads (zwgk/core/db_router.py,
# docs/operator.md): writes, transactions and the back office stay on the primary; a browser that has
# just written, and every reader right after a publication, read the primary for
# ZWGK_REPLICA_STICKY_SECONDS. PostgreSQL only; tests reach the replica under the test database name.
ZWGK_REPLICA_URL = os.environ.get("ZWGK_REPLICA_URL", "")
ZWGK_REPLICA_STICKY_SECONDS = float(os.environ.get("ZWGK_REPLICA_STICKY_SECONDS", "5"))
if ZWGK_REPLICA_URL and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["replica"] = dj_database_url.parse(ZWGK_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["zwgk.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and tasks ------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
# Full-page cache of anonymous portal pages (zwgk/portal/cache.py); 0 turns it off.
ZWGK_PAGE_CACHE_SECONDS = int(os.environ.get("ZWGK_PAGE_CACHE_SECONDS", "600"))
ZWGK_PAGE_CACHE_ALIAS = "default"
# Fragments under the same generation (paginator counts, home-page lists, navigation); 0 turns them off.
ZWGK_FRAGMENT_CACHE_SECONDS = int(os.environ.get("ZWGK_FRAGMENT_CACHE_SECONDS", "600"))
# Shared "generation" of the local-memory page cache across processes (a file's modification time).
ZWGK_PAGE_CACHE_STAMP = VAR_DIR / "portal-cache-generation"
# Static-HTML publishing for nginx (zwgk/portal/static_html.py, docs/nginx-static.conf); off when empty.
ZWGK_STATIC_HTML_DIR = os.environ.get("ZWGK_STATIC_HTML_DIR", "")

# ZWGK_TASKS: "database" (a `zwgk db_worker` process runs them; the default), "immediate"
# (run inline; the test suite), or "rq" (django-tasks-rq on REDIS_URL, to scale out).
TASKS_MODE = os.environ.get("ZWGK_TASKS", "database")
if TASKS_MODE == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_MODE == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# The project's own catalogue (zwgk/locale): Wagtail's strings its zh_Hans catalogue lacks; the .mo files
# are committed, so a fresh clone needs no gettext tools.
LOCALE_PATHS = [BASE_DIR / "zwgk" / "locale"]
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Applicants' letters and other personal files: never under MEDIA_ROOT (zwgk.core.storage).
ZWGK_PRIVATE_DIR = VAR_DIR / "private"
# A TrueType CJK font for PDF letters; empty = the first Debian font found (zwgk.applications.letters).
ZWGK_CJK_FONT = os.environ.get("ZWGK_CJK_FONT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("ZWGK_SITE_NAME", "政务公开平台")
WAGTAILADMIN_BASE_URL = os.environ.get("ZWGK_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "zwgk.disclosure.publishing.publish_approved"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "csv",
    "txt",
    "ofd",
    "wps",
    "zip",
    "rar",
    "jpg",
    "png",
]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No gravatar: the back office asks no outside server (the CSP allows none); staff see the built-in avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No "what's new in Wagtail" banner: it links to wagtail.org in English; 帮助 opens the clerk's guide.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

LOGIN_URL = "wagtailadmin_login"

# --- security (docs/operator.md "安全设置") ----------------------------------------------------
# With ZWGK_DEBUG=0 everything is on and `zwgk check --deploy` is silent; each ZWGK_* below turns a
# piece off for a site served over plain HTTP or behind a proxy that terminates TLS.
ZWGK_HTTPS = env_bool("ZWGK_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("ZWGK_SSL_REDIRECT", ZWGK_HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("ZWGK_HSTS_SECONDS", str(365 * 24 * 3600) if ZWGK_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZWGK_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds the whole domain to HTTPS in every browser for years; an operator opts in.
SECURE_HSTS_PRELOAD = env_bool("ZWGK_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("ZWGK_SECURE_COOKIES", ZWGK_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview marks its own frame SAMEORIGIN
# Behind nginx (or a load balancer) that terminates TLS: trust its X-Forwarded-Proto. Never set it
# without such a proxy in front (a client could then claim HTTPS).
ZWGK_PROXY_SSL_HEADER = env_bool("ZWGK_PROXY_SSL_HEADER", False)
if ZWGK_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours append to X-Forwarded-For: the client's address for the audit log and the
# login throttle is then taken from it (zwgk.core.security.client_ip); 0 = REMOTE_ADDR.
ZWGK_TRUSTED_PROXIES = int(os.environ.get("ZWGK_TRUSTED_PROXIES", "1" if ZWGK_PROXY_SSL_HEADER else "0"))
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy (django-csp 4). Scripts and styles come only from our own origin, so an
# injected <script>, on*= handler or style does nothing; portal pages carry no inline script or style.
# The back office (/admin/) needs 'unsafe-inline' for scripts and styles: zwgk.core.security.CSPMiddleware
# adds it there only, and says why. Images also from data:/blob: (Wagtail's image previews and the
# rich-text editor's pasted images).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Login throttling (django-axes): 5 failures lock the account and, separately, the address for 30 minutes.
AUTHENTICATION_BACKENDS = [
    "zwgk.core.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("ZWGK_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = int(os.environ.get("ZWGK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ZWGK_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "zwgk.core.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "core/login_locked.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账号或本机地址已被暂时锁定，请稍后再试。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，账号已被锁定，请联系管理员解锁。"
AXES_DISABLE_ACCESS_LOG = True  # logins are in zwgk's audit log (zwgk.core.signals)
AXES_ENABLE_ADMIN = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zwgk.core.security.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A back-office session ends after this many idle minutes (zwgk.core.security.AdminIdleTimeoutMiddleware).
ZWGK_SESSION_IDLE_MINUTES = int(os.environ.get("ZWGK_SESSION_IDLE_MINUTES", "30"))
# 依申请公开 查询码 (zwgk/applications/views.py): wrong codes allowed per address in the window (cache
# counter), and how long a granted look-up stays open in the browser session.
ZWGK_TRACK_MAX_FAILURES = int(os.environ.get("ZWGK_TRACK_MAX_FAILURES", "10"))
ZWGK_TRACK_WINDOW_MINUTES = int(os.environ.get("ZWGK_TRACK_WINDOW_MINUTES", "10"))
ZWGK_TRACK_SESSION_MINUTES = int(os.environ.get("ZWGK_TRACK_SESSION_MINUTES", "30"))
# 互动交流 (zwgk/interaction): [M] reply period in working days per kind of box ("kind=days,…"; a box may
# set its own), messages one address may leave per hour, attachments per message.
ZWGK_INTERACTION_REPLY_DAYS = {
    kind.strip(): int(days)
    for kind, _, days in (
        part.partition("=")
        for part in os.environ.get(
            "ZWGK_INTERACTION_REPLY_DAYS",
            "leader=13,department=13,consult=3,complaint=13,suggestion=13,error=3",
        ).split(",")
        if "=" in part
    )
}
ZWGK_INTERACTION_MAX_PER_HOUR = int(os.environ.get("ZWGK_INTERACTION_MAX_PER_HOUR", "5"))
ZWGK_INTERACTION_MAX_FILES = int(os.environ.get("ZWGK_INTERACTION_MAX_FILES", "3"))
# 意见征集 (zwgk/interaction/consultations): shortest window for 行政规范性文件 in working days
# (国办发〔2018〕37号 "一般不少于7个工作日" [M]); comments one address may leave per hour.
ZWGK_CONSULTATION_NORMATIVE_MIN_WORKDAYS = int(
    os.environ.get("ZWGK_CONSULTATION_NORMATIVE_MIN_WORKDAYS", "7")
)
ZWGK_CONSULTATION_COMMENTS_PER_HOUR = int(os.environ.get("ZWGK_CONSULTATION_COMMENTS_PER_HOUR", "5"))

# --- uploads (documents and images; zwgk/screening/extract.py, zwgk/disclosure/documents.py) ---------
# Largest uploaded file in MB: bounds disk use and the screening task's memory.
ZWGK_UPLOAD_MAX_MB = int(os.environ.get("ZWGK_UPLOAD_MAX_MB", "50"))
# Most MB the parts of an Office/ZIP file may expand to: a zip bomb is refused, never decompressed.
ZWGK_UNZIPPED_MAX_MB = int(os.environ.get("ZWGK_UNZIPPED_MAX_MB", "100"))
# Most uncompressed:compressed ratio of an Office/ZIP file over 4 MB unzipped (real DOCX/XLSX stay under 20).
ZWGK_ZIP_MAX_RATIO = int(os.environ.get("ZWGK_ZIP_MAX_RATIO", "100"))
# Most pages of an uploaded PDF: the text of every page is screened.
ZWGK_PDF_MAX_PAGES = int(os.environ.get("ZWGK_PDF_MAX_PAGES", "500"))
# Wagtail's own upload checks use the same size limit.
# OCR of images and scanned PDF pages (zwgk/screening/ocr.py; docs/operator.md): the command ("off": none),
# the largest image read as it is, seconds per image or page, the resolution and the pages per PDF.
ZWGK_OCR = os.environ.get("ZWGK_OCR", "tesseract")
ZWGK_OCR_MAX_PIXELS = int(os.environ.get("ZWGK_OCR_MAX_PIXELS", "12000000"))
ZWGK_OCR_TIMEOUT = int(os.environ.get("ZWGK_OCR_TIMEOUT", "120"))
ZWGK_OCR_DPI = int(os.environ.get("ZWGK_OCR_DPI", "200"))
ZWGK_OCR_MAX_PAGES = int(os.environ.get("ZWGK_OCR_MAX_PAGES", "30"))
# Link domains page HTML may point to besides gov.cn, .政务 and the installation's own sites: a hidden link
# or a spam-like link elsewhere is a 禁止 finding 疑似暗链/被植入内容 (zwgk/screening/spam.py).
ZWGK_ALLOWED_LINK_DOMAINS = [
    d.strip() for d in os.environ.get("ZWGK_ALLOWED_LINK_DOMAINS", "").split(",") if d.strip()
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = WAGTAILIMAGES_MAX_UPLOAD_SIZE = ZWGK_UPLOAD_MAX_MB * 1024 * 1024
# Documents go out through Wagtail's serve view only, so the "used by a live page" check always runs.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The document form checks the limits above and sends a replaced live attachment through 三审.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "zwgk.disclosure.documents.DocumentForm"
# Images under /media/original_images/ and /media/images/ go out through Django (zwgk/disclosure/images.py),
# which checks that a live page shows them; with this set to an nginx internal location (e.g.
# "/protected-media/"), Django only decides and nginx sends the file (X-Accel-Redirect).
ZWGK_MEDIA_ACCEL_REDIRECT = os.environ.get("ZWGK_MEDIA_ACCEL_REDIRECT", "")

# --- zwgk rules that are configurable because the spec marks them [M] -----------------------
# 索引号 pattern (spec §7.4: no national standard; default {统一社会信用代码}/{YYYY}-{NNNNN}).
ZWGK_INDEX_NUMBER_PATTERN = os.environ.get("ZWGK_INDEX_NUMBER_PATTERN", "{credit_code}/{year}-{seq:05d}")
# Working days after which an unpublished-interpretation 规范性文件 is listed as 待解读 (spec §6.2).
ZWGK_INTERPRETATION_DAYS = int(os.environ.get("ZWGK_INTERPRETATION_DAYS", "3"))
# Art. 26: proactive disclosure within 20 working days of formation.
ZWGK_PUBLICATION_DAYS = int(os.environ.get("ZWGK_PUBLICATION_DAYS", "20"))
# 有效期评估 of a 规范性文件 opens this many months before 有效期至 (spec §7.3, the 山东 rule [M]).
ZWGK_POLICY_REVIEW_MONTHS = int(os.environ.get("ZWGK_POLICY_REVIEW_MONTHS", "6"))
# 登记号 / 统一登记编号 of 规范性文件 where the province uses one: a regular expression (empty: any text) and
# an example shown in the error message (spec §7.3 [M]), e.g. ^[\u4e00-\u9fa5]+规〔\d{4}〕[1-9]\d*号$.
ZWGK_REGISTRATION_NUMBER_PATTERN = os.environ.get("ZWGK_REGISTRATION_NUMBER_PATTERN", "")
ZWGK_REGISTRATION_NUMBER_EXAMPLE = os.environ.get("ZWGK_REGISTRATION_NUMBER_EXAMPLE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZWGK_LOG_LEVEL", "WARNING")},
}
