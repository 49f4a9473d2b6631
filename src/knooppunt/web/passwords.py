"""Changing and resetting one's password: Django's own views with Knooppunt's templates.

The policy is in settings (AUTH_PASSWORD_VALIDATORS): at least 12 characters, not a common
password, not like the user's name; no composition rules and no expiry (NIST 800-63B, BIO).
A reset mail links to KNOOPPUNT_BASE_URL, never to the host a request claims to be, and
says the same whether or not the address belongs to an account. A reset password does not
skip the second factor: the next login still asks for the code.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from knooppunt.organisations.permissions import Action as Do


class PasswordChangeView(auth_views.PasswordChangeView):
    knooppunt_actions = (Do.SESSION,)  # the visitor's own password only
    template_name = "web/password/change.html"
    success_url = reverse_lazy("web:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    knooppunt_actions = (Do.SESSION,)  # the visitor's own password only
    template_name = "web/password/change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    knooppunt_actions = (Do.SESSION,)  # the visitor's own password only
    template_name = "web/password/reset.html"
    email_template_name = "web/password/reset_email.txt"
    subject_template_name = "web/password/reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")

    def form_valid(self, form):
        base = urlsplit(settings.KNOOPPUNT_BASE_URL)
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={"site_name": "Knooppunt"},
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    knooppunt_actions = (Do.SESSION,)  # the visitor's own password only
    template_name = "web/password/reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    knooppunt_actions = (Do.SESSION,)  # the visitor's own password only
    template_name = "web/password/reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    knooppunt_actions = (Do.SESSION,)  # the visitor's own password only
    template_name = "web/password/reset_complete.html"
