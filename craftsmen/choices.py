from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The craftsman pyramid of the 2024 policy, top to bottom (the order of the members)."""

    SHANGHAI_CRAFTSMAN = "shanghai_craftsman", _("Shanghai craftsman")
    CRAFTSMAN_TALENT = "craftsman_talent", _("Craftsman talent")
    SKILLED_WORKER = "skilled_worker", _("Skilled worker")


class Distinction(models.TextChoices):
    """Titles a craftsman may hold besides their level; each is a boolean on Craftsman, named
    `is_<value>`."""

    MODEL_WORKER = "model_worker", _("Model worker")
    CHIEF_TECHNICIAN = "chief_technician", _("Chief technician")
    SKILL_MASTER = "skill_master", _("Skill master")


class Trade(models.TextChoices):
    """Common trades (工种) of Shanghai's skilled workers; "other" for the rest."""

    FITTER = "fitter", _("Fitter")
    ELECTRICIAN = "electrician", _("Electrician")
    WELDER = "welder", _("Welder")
    LATHE_OPERATOR = "lathe_operator", _("Lathe operator")
    CNC_OPERATOR = "cnc_operator", _("CNC machine operator")
    MOULD_MAKER = "mould_maker", _("Mould maker")
    INSTRUMENT_TECHNICIAN = "instrument_technician", _("Instrument technician")
    AUTO_REPAIR = "auto_repair", _("Automotive repair")
    CHEMICAL_OPERATOR = "chemical_operator", _("Chemical process operator")
    ELECTRONICS_ASSEMBLY = "electronics_assembly", _("Electronics assembly")
    CONSTRUCTION = "construction", _("Construction")
    RAIL_TRANSIT = "rail_transit", _("Rail transit")
    OTHER = "other", _("Other")
