"""Login with a second factor, and the form that checks a TOTP code.

A user without a confirmed device logs in with username and password (a role that must use
a second factor then sets one up before anything else, see `web.second_factor`). Once a
user has confirmed a TOTP device the login also needs its code. Every failure — unknown
user, wrong password, missing or wrong code, throttled code — gets the same answer, so the
page never tells that a password was right; each counts towards the lockout.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

TOKEN_PATTERN = re.compile(r"^\d{6,8}$")

OTP_MESSAGES = {
    **OTPAuthenticationFormMixin.otp_error_messages,
    "token_required": _(
        "U gebruikt tweestapsverificatie. Vul uw wachtwoord opnieuw in, met de "
        "verificatiecode uit uw app."
    ),
    "invalid_token": _(
        "De verificatiecode klopt niet. Vul uw wachtwoord opnieuw in en probeer een nieuwe code."
    ),
    "n_failed_attempts": ngettext_lazy(
        "Verificatie tijdelijk geblokkeerd na %(failure_count)d mislukte poging. "
        "Probeer het zo opnieuw.",
        "Verificatie tijdelijk geblokkeerd na %(failure_count)d mislukte pogingen. "
        "Probeer het zo opnieuw.",
        "failure_count",
    ),
    "verification_not_allowed": _(
        "Verificatie is tijdelijk niet mogelijk. Probeer het zo opnieuw."
    ),
    "device_required": _("Er is geen bruikbare app voor tweestapsverificatie gevonden."),
}


def token_field(*, required: bool = True, help_text: str = "") -> forms.CharField:
    """A field for a one-time code that phones and password managers can fill in."""
    return forms.CharField(
        label=_("Verificatiecode"),
        required=required,
        max_length=12,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Username, password and (for users who have set up the app) the TOTP code."""

    otp_error_messages = OTP_MESSAGES
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam, wachtwoord en verificatiecode klopt niet. "
            "Gebruikt u een app voor tweestapsverificatie, vul dan ook de nieuwste code in. "
            "Na herhaalde fouten moet u even wachten."
        ),
    }
    otp_token = token_field(
        required=False,
        help_text=_("Als u tweestapsverificatie gebruikt: de 6 cijfers die uw app nu toont."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A code is never shown back: after a failure it is used or wrong, and an echoed
        # code would be the one difference between the answers.
        self.fields["otp_token"].widget.format_value = lambda value: None

    def clean_otp_token(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data.get("otp_token") or "")

    def clean(self):
        self.cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            try:
                self.clean_otp(user)
            except forms.ValidationError:
                # The same answer as for a wrong password, and counted like one (axes).
                self.user_cache = None
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
                raise self.get_invalid_login_error() from None
        return self.cleaned_data

    def _chosen_device(self, user) -> Device | None:
        # Knooppunt keeps one confirmed TOTP device per user, so there is nothing to choose.
        devices = list(devices_for_user(user, confirmed=True, for_verify=True))
        totp = [device for device in devices if isinstance(device, TOTPDevice)]
        return (totp or devices or [None])[0]

    def _update_form(self, user) -> None:
        # Never send the password back to the browser after a failed second factor.
        return None


class TokenForm(forms.Form):
    """One code from the user's authenticator app, checked against `device`."""

    token = token_field(help_text=_("De code van 6 cijfers die uw app nu toont."))

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = re.sub(r"\s", "", self.cleaned_data["token"])
        if not TOKEN_PATTERN.match(token):
            raise forms.ValidationError(_("Een verificatiecode bestaat uit 6 cijfers."))
        allowed, extra = self.device.verify_is_allowed()
        if not allowed:
            if (extra or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                raise forms.ValidationError(OTP_MESSAGES["n_failed_attempts"] % extra)
            raise forms.ValidationError(OTP_MESSAGES["verification_not_allowed"])
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer de "
                  "nieuwste code.")
            )
        return token
