"""Settings for zwgk.

Everything that differs between the embedded demo and production comes from the environment:
DATABASE_URL (default: SQLite under var/), REDIS_URL (cache and RQ tasks), ZWGK_* for the rest.
Nothing secret is committed: ZWGK_SECRET_KEY must be set when ZWGK_DEBUG is off.
"""

import os
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zwgk.screening.middleware.WithdrawnPageMiddleware",
    # Last, so a cached page goes back out through every middleware above like a fresh one.
    "zwgk.portal.cache.PortalCacheMiddleware",
]

ROOT_URLCONF = "zwgk.urls"
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
WAGTAIL_SITE_NAME = os.environ.get("ZWGK_SITE_NAME", "zwgk 政务公开平台")
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
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

LOGIN_URL = "wagtailadmin_login"

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
WAGTAILDOCS_MAX_UPLOAD_SIZE = WAGTAILIMAGES_MAX_UPLOAD_SIZE = ZWGK_UPLOAD_MAX_MB * 1024 * 1024
# Documents go out through Wagtail's serve view only, so the "used by a live page" check always runs.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The document form checks the limits above and sends a replaced live attachment through 三审.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "zwgk.disclosure.documents.DocumentForm"

# --- zwgk rules that are configurable because the spec marks them [M] -----------------------
# 索引号 pattern (spec §7.4: no national standard; default {统一社会信用代码}/{YYYY}-{NNNNN}).
ZWGK_INDEX_NUMBER_PATTERN = os.environ.get("ZWGK_INDEX_NUMBER_PATTERN", "{credit_code}/{year}-{seq:05d}")
# Working days after which an unpublished-interpretation 规范性文件 is listed as 待解读 (spec §6.2).
ZWGK_INTERPRETATION_DAYS = int(os.environ.get("ZWGK_INTERPRETATION_DAYS", "3"))
# Art. 26: proactive disclosure within 20 working days of formation.
ZWGK_PUBLICATION_DAYS = int(os.environ.get("ZWGK_PUBLICATION_DAYS", "20"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZWGK_LOG_LEVEL", "WARNING")},
}
