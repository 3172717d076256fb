from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 100


class SiteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (this has %(show_value)d)."
            )
        },
    )
