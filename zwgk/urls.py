from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from zwgk.disclosure import images as disclosure_images
from zwgk.portal import views as portal_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap),
    path("robots.txt", portal_views.robots_txt),
    path("favicon.ico", portal_views.favicon),
    path("theme.css", portal_views.theme_css, name="theme_css"),
    path("wzdt/", portal_views.site_map, name="site_map"),
    path("lxwm/", portal_views.contact_us, name="contact_us"),
    path("search/", include("zwgk.search.urls")),
    path("ysqgk/", include("zwgk.applications.urls")),
    path("bzml/", include("zwgk.catalog.urls")),  # 基层政务公开标准目录
    path("ndbb/", include("zwgk.monitoring.urls")),  # 政府网站工作年度报表
    path("hudong/zhengji/", include("zwgk.interaction.consultations.urls")),
    path("hudong/", include("zwgk.interaction.urls")),
]

# Images only while a live page shows them (staff in scope always): before any static media serving.
urlpatterns += disclosure_images.urlpatterns()

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# Chinese error pages in the portal's layout (zwgk/portal/templates/400.html … 500.html).
handler400 = "zwgk.portal.views.bad_request"
handler403 = "zwgk.portal.views.permission_denied"
handler404 = "zwgk.portal.views.page_not_found"
handler500 = "zwgk.portal.views.server_error"
