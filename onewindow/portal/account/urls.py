from __future__ import annotations

from django.urls import path

from onewindow.portal.account import oidc, views

urlpatterns = [
    path("", views.account, name="account"),
    path("signin/", views.signin_page, name="signin"),
    path("signout/", views.signout, name="signout"),
    path("act-for/", views.act_for, name="act_for"),
    path("elderly/", views.elderly, name="elderly"),
    path("oidc/", oidc.oidc_start, name="oidc_start"),
    path("oidc/callback/", oidc.oidc_callback, name="oidc_callback"),
]
