import factory

from craftsmen.choices import Level, Trade
from craftsmen.models import Craftsman, Honour, Studio
from tests.factories.accounts import EnterpriseFactory


class CraftsmanFactory(factory.django.DjangoModelFactory):
    """A published skilled worker without a portrait."""

    class Meta:
        model = Craftsman
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"工匠{n}")
    name_en = factory.Sequence(lambda n: f"Craftsman {n}")
    slug = factory.Sequence(lambda n: f"craftsman-{n}")
    level = Level.SKILLED_WORKER
    employer = factory.SubFactory(EnterpriseFactory)
    trade = Trade.FITTER
    story_zh = "三十年如一日钻研钳工技艺。"
    story_en = "Thirty years perfecting the fitter's craft."


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    craftsman = factory.SubFactory(CraftsmanFactory)
    year = 2021
    name_zh = "全国五一劳动奖章"
    name_en = "National May Day Labour Medal"


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    craftsman = factory.SubFactory(CraftsmanFactory)
    name_zh = factory.LazyAttribute(lambda studio: f"{studio.craftsman.name}创新工作室")
    name_en = factory.LazyAttribute(lambda studio: f"{studio.craftsman.name_en} Innovation Studio")
    founded_year = 2016
    description_zh = "聚焦数控加工工艺改进。"
    description_en = "Works on CNC machining processes."
