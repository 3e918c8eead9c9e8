from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .roles import Role, has_role

# Where each role's work is, most specific first: a person holding several roles lands on the
# work only they can do (an administrator's imports before anything they may also read).
LANDINGS = (
    (Role.ADMINISTRATOR, "clauses:import_upload"),
    (Role.REVIEWER, "reviews:queue"),
    (Role.SECURITY_REVIEWER, "reviews:queue"),
    (Role.SUBMITTER, "reviews:my_proposals"),
    (Role.ANALYST, "clauses:agreement_list"),
)


def landing_for(user: AbstractBaseUser | AnonymousUser) -> str:
    """The name of the page ``user`` starts from: the work of their role."""
    for role, url_name in LANDINGS:
        if has_role(user, role):
            return url_name
    return "clauses:agreement_list"


def home(request: HttpRequest) -> HttpResponse:
    """After login and at "/": each person lands on their work (see ``LANDINGS``)."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(landing_for(request.user))
