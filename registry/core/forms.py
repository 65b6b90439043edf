"""Form glue shared by every app: one way to show a DomainError, one strict ISO date field."""

from django import forms

from registry.core.errors import DomainError


def show_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused action on the form: on its field when the form has one, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.detail)


class IsoDateField(forms.DateField):
    """A date typed as YYYY-MM-DD (what `<input type=date>` sends), the same reading as the API's."""

    input_formats = ["%Y-%m-%d"]
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
