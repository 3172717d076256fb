from datetime import date
from decimal import Decimal

import factory

from innovations.choices import Category, PatentKind, PatentStatus, Status, TechnicalField
from innovations.models import Contributor, Innovation, Patent
from innovations.patent_numbers import check_character
from tests.factories.accounts import EnterpriseFactory, UserFactory


class InnovationFactory(factory.django.DjangoModelFactory):
    """A draft with its owner as the only contributor at 100%."""

    class Meta:
        model = Innovation
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"数控车床刀具快速定位装置{n}")
    summary = "用定位块代替人工对刀，换刀时间由15分钟缩短到3分钟。"
    description = "<p>在刀架上加装可调定位块，换刀后无需重新对刀。</p>"
    category = Category.INVENTION
    technical_field = TechnicalField.BASIC_PROCESSES
    employer = factory.SubFactory(EnterpriseFactory)
    expected_benefit = Decimal("120000.00")
    status = Status.DRAFT

    @factory.post_generation
    def with_owner_as_contributor(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Contributor.objects.create(
                innovation=self, user=self.owner, name=self.owner.get_full_name(), share=100
            )


def cn_application_number(n: int, *, year: int = 2023, type_digit: int = 1) -> str:
    """A well-formed CN application number in canonical form, distinct for each n."""
    digits = f"{year}{type_digit}{n:07d}"
    return f"CN{digits}.{check_character(digits)}"


class PatentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patent

    innovation = factory.SubFactory(InnovationFactory)
    number = factory.Sequence(cn_application_number)
    kind = PatentKind.INVENTION
    status = PatentStatus.PENDING
    filing_date = date(2023, 3, 1)
    holders = "上海申江精密机械有限公司"
