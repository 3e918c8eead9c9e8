from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import login, tokens, views

# Error pages render without the request, so they work before sign-in and during an outage.
handler400 = "sta_tracker.security.bad_request"
handler403 = "sta_tracker.security.permission_denied"
handler404 = "sta_tracker.security.page_not_found"
handler500 = "sta_tracker.security.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", login.LoginPage.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", tokens.tokens_page, name="account_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", tokens.token_revoke_page, name="account_token_revoke"),
    path("admin/", admin.site.urls),
    path("api/", include("sta_tracker.api_urls")),
    path("reviews/", include("reviews.urls")),
    # Search depends on both apps, so it is neither's address.
    path("", include("sta_tracker.search.urls")),
    path("", include("clauses.urls")),
]
