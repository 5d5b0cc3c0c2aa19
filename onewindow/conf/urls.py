from django.contrib import admin
from django.urls import include, path

from onewindow.web.views.favicon import favicon

admin.site.site_header = "onewindow 政务服务中心管理"
admin.site.site_title = "onewindow"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("onewindow.api.urls")),
    path("staff/", include("onewindow.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("onewindow.portal.urls")),
]
