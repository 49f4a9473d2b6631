"""Template helpers: accessible form fields, localised names, suppressed counts, navigation.

Load with ``{% load knooppunt %}``.
"""

from __future__ import annotations

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MULTIPLE_INPUT_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-help")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.inclusion_tag("web/_field.html")
def form_field(field: BoundField, css: str = "", mark_optional: bool = True) -> dict:
    """Label, help text, error message and widget, tied together for screen readers.

    `mark_optional=False` leaves out "(niet verplicht)", for forms where every field is
    optional, such as filters.
    """
    widget = field.field.widget
    if isinstance(widget, forms.DateInput) and widget.input_type == "date":
        # A date picker only understands ISO dates, whatever the page's language.
        widget.format = "%Y-%m-%d"
    attrs: dict[str, str] = {}
    described = _describedby(field)
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and not isinstance(widget, forms.CheckboxInput):
        attrs["aria-required"] = "true"
    return {
        "field": field,
        "widget_html": field.as_widget(attrs=attrs),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "is_group": isinstance(widget, MULTIPLE_INPUT_WIDGETS),
        "css": css,
        "mark_optional": mark_optional,
    }


@register.inclusion_tag("web/_error_summary.html")
def error_summary(form: forms.Form, title: str = "") -> dict:
    """The list of all errors at the top of a form, each linking to its field."""
    field_errors = [
        (form[name], error) for name, errors in form.errors.items()
        if name != forms.forms.NON_FIELD_ERRORS for error in errors
    ]
    return {
        "form": form,
        "non_field_errors": form.non_field_errors(),
        "field_errors": field_errors,
        "title": title,
    }


@register.simple_tag
def fields_named(form: forms.Form, names: str) -> list[BoundField]:
    """The bound fields with the given space-separated names that the form has."""
    return [form[name] for name in names.split() if name in form.fields]


@register.simple_tag
def fields_except(form: forms.Form, names: str) -> list[BoundField]:
    """The form's visible fields not named, so a new field is never silently hidden."""
    excluded = set(names.split())
    return [field for field in form.visible_fields() if field.name not in excluded]


@register.filter
def localized_name(obj: object) -> str:
    """A taxonomy entry's English name when the page is in English and one is set."""
    if obj is None:
        return ""
    return getattr(obj, "localized_name", None) or str(obj)


@register.filter
def count_or_suppressed(value: int | None) -> str:
    """A count, or '<5' when `scope.suppress_small` withheld it."""
    if value is None:
        return f"<{settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD}"
    return str(value)


@register.filter
def count_or_shielded(value: int | None) -> str:
    """A count, or "afgeschermd" where it is withheld: on pages that also hide a large
    count to protect a small one (secondary suppression, decision 0026), "<5" would be
    untrue for that cell, and telling which hidden cell is the small one would help
    work it out. As the reports print it (`reports.labels.suppression_note`)."""
    from django.utils.translation import gettext

    return gettext("afgeschermd") if value is None else str(value)


@register.simple_tag(takes_context=True)
def current(context: template.Context, *view_names: str) -> SafeString:
    """'aria-current="page"' when the request resolved to one of the named views."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    for name in view_names:
        if name == match.view_name or (name.endswith(":*") and match.namespace == name[:-2]):
            return mark_safe('aria-current="page"')  # noqa: S308 - a constant
    return mark_safe("")  # noqa: S308 - a constant
