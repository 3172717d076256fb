from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The "five small" (五小) kinds of worker innovation."""

    INVENTION = "invention", _("Small invention")
    CREATION = "creation", _("Small creation")
    RENOVATION = "renovation", _("Small renovation")
    DESIGN = "design", _("Small design")
    SUGGESTION = "suggestion", _("Small suggestion")


class TechnicalField(models.TextChoices):
    """The focus areas named in the union's 2024 policy, plus "other"."""

    BASIC_PARTS = "basic_parts", _("Basic parts and components")
    BASIC_PROCESSES = "basic_processes", _("Basic processes")
    BASIC_MATERIALS = "basic_materials", _("Basic materials")
    KEY_INSTRUMENTS = "key_instruments", _("Key instruments")
    MEASURING_EQUIPMENT = "measuring_equipment", _("Measuring equipment")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Tier(models.TextChoices):
    """Tiered incubation (分级梯次培育): only ready-to-transact innovations can be sold."""

    NURTURE = "nurture", _("Nurture")
    INCUBATE = "incubate", _("Incubate")
    TRANSACT = "transact", _("Ready to transact")


class PatentKind(models.TextChoices):
    INVENTION = "invention", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design patent")


class PatentStatus(models.TextChoices):
    PENDING = "pending", _("Application pending")
    GRANTED = "granted", _("Granted")
    LAPSED = "lapsed", _("Lapsed")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned for changes")
    REJECT = "reject", _("Rejected")
    GRADE = "grade", _("Grade changed")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")
