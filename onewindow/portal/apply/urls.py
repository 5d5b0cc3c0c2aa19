"""Public pages of online applications (网上申报): apply for an item, one application (form,
uploads, submit, resubmit, what to do next), the applicant's own files."""

from __future__ import annotations

from django.urls import path

from onewindow.portal.apply import bundle_views, helpers, views

urlpatterns = [
    path("items/<str:code>/", views.apply_item, name="apply_item"),
    path("bundles/<str:code>/", helpers.applicant_page(bundle_views.apply_bundle), name="apply_bundle"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/save/", views.save, name="application_save"),
    path("applications/<int:pk>/upload/", views.upload, name="application_upload"),
    path("applications/<int:pk>/files/<int:file_id>/", views.download, name="application_file"),
    path("applications/<int:pk>/files/<int:file_id>/remove/", views.remove, name="application_file_remove"),
    path("applications/<int:pk>/submit/", views.submit, name="application_submit"),
    path("applications/<int:pk>/delete/", views.delete, name="application_delete"),
]
