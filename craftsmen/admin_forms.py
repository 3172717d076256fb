from django.db.models import Case, IntegerField, Value, When
from wagtail.admin.forms import WagtailAdminModelForm

from innovations.choices import Status
from innovations.models import Innovation


class CraftsmanAdminForm(WagtailAdminModelForm):
    """Staff link a craftsman to innovations they can see: a draft is its submitter's own
    (innovations.admin_permissions). The profile itself shows only approved ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("innovations")
        if field is not None:
            field.queryset = (
                Innovation.objects.exclude(status=Status.DRAFT)
                .annotate(
                    approved_first=Case(
                        When(status=Status.APPROVED, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    )
                )
                .order_by("approved_first", "title", "pk")
            )
