from django import forms
from django.utils.translation import gettext_lazy as _

from api.services.tokens import NAME_MAX_LENGTH


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What will use it, for example “bidding program on the office server”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
