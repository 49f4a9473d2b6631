"""Functional management (beheer): organisations, members and roles, covenants, API keys.

Signals are deliberately not in the admin: all access to them goes through `scope`.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import api_keys, memberships
from .models import (
    ApiScope,
    ApiToken,
    Covenant,
    KeyStatus,
    Membership,
    Organisation,
    Role,
    SystemAccount,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        # Who holds which role decides what they may read: every grant, change and
        # withdrawal goes into the processing log, which nobody rewrites.
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # Deleting clears the primary key; keep it for the log row.
        removed = [f.instance.pk for f in formset.deleted_forms if f.instance.pk]
        super().save_formset(request, form, formset, change)
        memberships.log_admin_changes(request.user, formset, removed)


@admin.register(Covenant)
class CovenantAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_basis", "max_confidentiality", "valid_from", "valid_until"]
    filter_horizontal = ["parties", "themes"]
    search_fields = ["name", "legal_basis"]


class SystemAccountForm(forms.ModelForm):
    """A new system account: a user without password, one membership, the flag."""

    username = forms.CharField(
        label=_("gebruikersnaam"), max_length=150,
        help_text=_("Bijv. systeem.netbeheerder. Het account kan niet inloggen op de website."),
    )
    role = forms.ChoiceField(
        label=_("rol"), choices=[(r.value, r.label) for r in Role if r != Role.BEHEERDER],
        initial=Role.MEDEWERKER,
        help_text=_("Begrenst wat een sleutel van dit account mag zien; de bevoegdheden "
                    "van de sleutel beperken verder."),
    )

    class Meta:
        model = SystemAccount
        fields = ["organisation", "description"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("Deze gebruikersnaam bestaat al."))
        return username


@admin.register(SystemAccount)
class SystemAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "description", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "organisation__name", "description"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SystemAccountForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Who the account is and whose it is never change; a new one is made instead.
        return ["user", "organisation", "created_at"] if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "organisation", "role", "description"]
        return ["user", "organisation", "description", "created_at"]

    def has_add_permission(self, request) -> bool:
        return api_keys.may_manage_keys(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return api_keys.may_manage_keys(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return api_keys.may_manage_keys(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.user = api_keys.create_system_account(
            username=form.cleaned_data["username"], organisation=obj.organisation,
            role=form.cleaned_data["role"], description=obj.description, by=request.user,
        ).user
        obj.pk = obj.user.system_account.pk


class ApiTokenForm(forms.ModelForm):
    """Issue a key: for a system account only, with scopes and an expiry."""

    scopes = forms.MultipleChoiceField(
        label=_("bevoegdheden"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Een sleutel met toegang tot persoonsgegevens werkt pas na goedkeuring "
                    "door een tweede beheerder."),
    )
    expires_at = forms.SplitDateTimeField(
        label=_("verloopt op"), help_text=_("Hooguit een jaar vooruit."),
        widget=AdminSplitDateTime,
        initial=lambda: timezone.now() + api_keys.DEFAULT_LIFETIME,
    )

    class Meta:
        model = ApiToken
        fields = ["name", "user", "scopes", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(
            system_account__isnull=False, is_active=True).order_by("username")

    def clean(self) -> dict:
        data = super().clean()
        if all(data.get(f) for f in ("user", "scopes", "expires_at")):
            api_keys.validate_issue(data["user"], data["scopes"], data["expires_at"])
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "organisation", "prefix", "status", "expires_at",
                    "last_used_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["name", "user__username", "organisation__name", "prefix"]
    actions = ["approve_keys", "revoke_keys"]
    # Everything of an issued key is read-only: holder, organisation and scopes are fixed
    # at issue, and approval and revocation go through the actions (and the log).
    readonly_fields = ["name", "user", "organisation", "scopes", "prefix", "status",
                       "created_at", "expires_at", "last_used_at", "issued_by", "approved_by",
                       "approved_at", "revoked_by", "revoked_at", "revoked_reason"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return ApiTokenForm.Meta.fields if obj is None else self.readonly_fields

    def has_add_permission(self, request) -> bool:
        return api_keys.may_manage_keys(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return api_keys.may_manage_keys(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return api_keys.may_manage_keys(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoke instead: the key's record stays, for the log and for who held it.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of an issued key is editable
        try:
            token, raw = api_keys.issue(
                system_user=form.cleaned_data["user"], name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"], expires_at=form.cleaned_data["expires_at"],
                issued_by=request.user,
            )
        except ValidationError as error:
            # Checked again in `issue`; the form's own checks normally catch it first.
            raise PermissionDenied("; ".join(error.messages)) from error
        obj.pk = token.pk
        messages.warning(
            request,
            _("Nieuwe API-sleutel (wordt maar één keer getoond): %(key)s") % {"key": raw},
        )
        if token.status == KeyStatus.PENDING:
            messages.info(request, _("De sleutel werkt pas als een tweede beheerder hem "
                                     "goedkeurt."))

    def save_related(self, request, form, formsets, change):
        pass  # the key has no related forms; issue() wrote everything

    @admin.action(description=_("Geselecteerde sleutels goedkeuren (tweede beheerder)"))
    def approve_keys(self, request, queryset):
        for token in queryset:
            try:
                api_keys.approve(token, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, f"{token}: {' '.join(_messages(error))}")
            else:
                messages.success(request, _("%(key)s goedgekeurd.") % {"key": token})

    @admin.action(description=_("Geselecteerde sleutels intrekken (definitief)"))
    def revoke_keys(self, request, queryset):
        for token in queryset:
            api_keys.revoke(token, by=request.user, reason=_("ingetrokken in beheer"))
            messages.success(request, _("%(key)s ingetrokken.") % {"key": token})


def _messages(error: Exception) -> list[str]:
    return list(getattr(error, "messages", None) or error.args)
