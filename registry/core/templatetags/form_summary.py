"""`{% error_summary form [other_form …] %}`: a form's errors at its top, each linked to its field (built in).

A composite form (one with a `forms` attribute, such as the terms draft) gives the errors of each part. A part
may name itself (`summary_label`, shown before its field labels) and the element its form-wide errors link to
(`summary_anchor`).
"""

from django import forms, template

register = template.Library()


def _parts(forms):
    for form in forms:
        if form is None:
            continue
        parts = getattr(form, "forms", None)
        if parts is not None and not hasattr(form, "fields"):
            yield from _parts(parts)
        else:
            yield form


def field_anchor(field) -> str:
    """The id a link to this field should reach: its input, or the first option of a radio/checkbox list."""
    # RadioSelect and CheckboxSelectMultiple (its subclass) render one input per option, `<auto_id>_0` first.
    if isinstance(field.field.widget, forms.RadioSelect) and getattr(field.field, "choices", None):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def summary_items(*forms) -> list[dict]:
    """(text, href) of every error of the forms, form-wide errors first, then fields in their order."""
    items = []
    for form in _parts(forms):
        if not form.is_bound or not form.errors:
            continue
        prefix = getattr(form, "summary_label", "")
        anchor = getattr(form, "summary_anchor", "")
        for error in form.non_field_errors():
            text = f"{prefix}: {error}" if prefix else str(error)
            items.append({"text": text, "href": f"#{anchor}" if anchor else ""})
        for field in form:
            for error in field.errors:
                label = f"{prefix} — {field.label}" if prefix else str(field.label)
                href = "" if field.is_hidden else f"#{field_anchor(field)}"
                joined = f"{label} {error}" if label.endswith(("?", ":")) else f"{label}: {error}"
                items.append({"text": joined if href else str(error), "href": href})
    return items


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms, id="error-summary"):
    return {"items": summary_items(*forms), "summary_id": id}
