"""Craftsmen (上海工匠 and the pyramid below them): plain data that union staff curate in the
admin and the craftsmen index page shows. Each text a visitor reads exists in Chinese and
English; the property without a suffix picks the active language (as innovations.Industry)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from craftsmen.choices import Distinction, Level, Trade

# Honours and studios of the People's Republic; a year outside this range is a typing error.
FIRST_YEAR = 1949
LAST_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def _in_english() -> bool:
    return translation.get_language() == "en"


def _year_in_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})


class CraftsmanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Craftsman(ClusterableModel):
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(
        _("name (English)"), max_length=100, help_text=_("In pinyin, family name first.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The last part of the profile's address, e.g. wang-jianguo."),
    )
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    is_model_worker = models.BooleanField(Distinction.MODEL_WORKER.label, default=False)
    is_chief_technician = models.BooleanField(Distinction.CHIEF_TECHNICIAN.label, default=False)
    is_skill_master = models.BooleanField(Distinction.SKILL_MASTER.label, default=False)
    employer = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="craftsmen",
    )
    trade = models.CharField(_("trade"), max_length=30, choices=Trade.choices)
    portrait = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("portrait"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    # Alt text belongs to this use of the image (a portrait of this person), so it lives here
    # and is required whenever a portrait is chosen, in both languages.
    portrait_alt_zh = models.CharField(
        _("portrait description (Chinese)"),
        max_length=200,
        blank=True,
        help_text=_("What the portrait shows, for people who cannot see it."),
    )
    portrait_alt_en = models.CharField(
        _("portrait description (English)"), max_length=200, blank=True
    )
    story_zh = models.TextField(_("story (Chinese)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    innovations = models.ManyToManyField(
        "innovations.Innovation",
        verbose_name=_("innovations"),
        blank=True,
        related_name="craftsmen",
        help_text=_("Only approved innovations are shown on the profile."),
    )
    is_published = models.BooleanField(
        _("shown on the site"),
        default=True,
        help_text=_("Untick to hide the profile without deleting it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CraftsmanQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
                FieldPanel("slug"),
                FieldPanel("is_published"),
            ],
            heading=_("Person"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldRowPanel(
                    [
                        FieldPanel("is_model_worker"),
                        FieldPanel("is_chief_technician"),
                        FieldPanel("is_skill_master"),
                    ]
                ),
                FieldRowPanel([FieldPanel("employer"), FieldPanel("trade")]),
            ],
            heading=_("Title and work"),
        ),
        MultiFieldPanel(
            [FieldPanel("portrait"), FieldPanel("portrait_alt_zh"), FieldPanel("portrait_alt_en")],
            heading=_("Portrait"),
        ),
        FieldPanel("story_zh"),
        FieldPanel("story_en"),
        InlinePanel("honours", heading=_("Honours"), label=_("Honour")),
        FieldPanel("innovations"),
    ]

    class Meta:
        ordering = ["name_en", "pk"]
        verbose_name = _("craftsman")
        verbose_name_plural = _("craftsmen")
        indexes = [models.Index(fields=["is_published", "level"], name="craftsman_published_level")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="craftsman_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(portrait__isnull=True)
                | (~models.Q(portrait_alt_zh="") & ~models.Q(portrait_alt_en="")),
                name="craftsman_portrait_has_alt_text",
                violation_error_message=_(
                    "Describe the portrait in Chinese and English for people who cannot see it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self):
        super().clean()
        if self.portrait_id is not None:
            message = _("Required when a portrait is chosen.")
            errors = {
                field: message
                for field in ("portrait_alt_zh", "portrait_alt_en")
                if not getattr(self, field).strip()
            }
            if errors:
                raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.name_en if _in_english() else self.name

    @property
    def story(self) -> str:
        # A profile not yet translated shows its Chinese story rather than nothing.
        return (self.story_en or self.story_zh) if _in_english() else self.story_zh

    @property
    def portrait_alt(self) -> str:
        return self.portrait_alt_en if _in_english() else self.portrait_alt_zh

    @property
    def distinctions(self) -> list[str]:
        """The labels of the distinctions held, in the order of Distinction."""
        return [
            distinction.label
            for distinction in Distinction
            if getattr(self, f"is_{distinction.value}")
        ]


class Honour(models.Model):
    craftsman = ParentalKey(
        Craftsman, verbose_name=_("craftsman"), on_delete=models.CASCADE, related_name="honours"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)

    panels = [FieldRowPanel([FieldPanel("year"), FieldPanel("name_zh"), FieldPanel("name_en")])]

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        constraints = [
            models.CheckConstraint(condition=_year_in_range("year"), name="honour_year_in_range")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if _in_english() else self.name_zh


class Studio(models.Model):
    """An innovation studio (创新工作室) led by one craftsman; at most one each."""

    craftsman = models.OneToOneField(
        Craftsman, verbose_name=_("craftsman"), on_delete=models.CASCADE, related_name="studio"
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)
    founded_year = models.PositiveSmallIntegerField(_("year founded"), validators=YEAR_VALIDATORS)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("craftsman"),
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldPanel("founded_year"),
        FieldPanel("description_zh"),
        FieldPanel("description_en"),
    ]

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("innovation studio")
        verbose_name_plural = _("innovation studios")
        constraints = [
            models.CheckConstraint(
                condition=_year_in_range("founded_year"), name="studio_founded_year_in_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _in_english() else self.name_zh

    @property
    def description(self) -> str:
        return (
            (self.description_en or self.description_zh) if _in_english() else self.description_zh
        )
