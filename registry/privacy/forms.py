"""The confirmation form for closing an account."""

from django import forms
from django.core.cache import cache


class CloseAccountForm(forms.Form):
    """Closing an account: type the registry ID and give your own password (wrong passwords are throttled)."""

    MAX_PASSWORD_FAILURES = 5
    FAILURE_WINDOW_SECONDS = 15 * 60

    confirmation = forms.CharField(
        label="Type the registry ID to confirm",
        max_length=20,
        help_text="As shown above, e.g. TR-7KQ3-M9XD.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, talent, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.talent = user, talent

    def _failures_key(self) -> str:
        return f"talent-close-password-failures:{self.user.pk}"

    def clean_confirmation(self):
        typed = " ".join(self.cleaned_data["confirmation"].split()).upper()
        if typed != self.talent.registry_id:
            raise forms.ValidationError(f"Type {self.talent.registry_id} exactly to confirm.")
        return typed

    def clean_password(self):
        password = self.cleaned_data["password"]
        key = self._failures_key()
        if cache.get(key, 0) >= self.MAX_PASSWORD_FAILURES:
            raise forms.ValidationError("Too many wrong passwords. Wait 15 minutes and try again.")
        if not self.user.check_password(password):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, self.FAILURE_WINDOW_SECONDS)
            raise forms.ValidationError("That is not your password.")
        cache.delete(key)
        return password
