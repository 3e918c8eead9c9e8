"""The signed-in part of every page's header, built in Python: it is on every page.

It writes what base.html's template wrote (tests/reference_templates/base.html keeps it, and
tests/test_site_header.py compares the two).
"""

from __future__ import annotations

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from sta_tracker.context_processors import reverse

register = template.Library()
CURRENT = ' aria-current="page"'


@register.simple_tag(takes_context=True)
def signed_in_header(context: template.Context) -> SafeString:
    """The main navigation and the log-out form, for a signed-in person only."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return SafeString("")
    current = context.get("nav")
    roles = context.get("user_roles")
    esc = conditional_escape
    links = "".join(
        f'<li><a href="{esc(item.url)}"{CURRENT if current == item.key else ""}>'
        f"{esc(item.label)}</a></li>\n        "
        for item in context.get("nav_items") or ()
    )
    who = str(esc(user.get_username()))
    if roles:
        who += " (" + ", ".join(str(esc(role.label)) for role in roles) + ")"
    tokens = f'<a href="{esc(reverse("account_tokens"))}">API tokens</a>' if roles else ""
    csrf = CsrfTokenNode().render(context)
    # Why every space: the page is byte for byte what the template wrote.
    return mark_safe(  # noqa: S308  # nosec B308 B703 - every part above is escaped
        '\n    <nav aria-label="Main">\n      <ul>\n        '
        f"{links}\n      </ul>\n    </nav>\n"
        f'    <form class="logout" method="post" action="{esc(reverse("logout"))}">\n'
        f"      {csrf}\n"
        f'      <span class="who">{who}</span>\n'
        f"      {tokens}\n"
        '      <button type="submit">Log out</button>\n'
        "    </form>\n    "
    )
