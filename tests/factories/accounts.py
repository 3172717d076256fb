import factory
from stdnum.cn import uscc

from accounts.models import Enterprise, User
from accounts.services.roles import user_assign_role

TEST_PASSWORD = "correct-horse-battery-staple"


def credit_code(n: int) -> str:
    """A valid unified social credit code, distinct for each n."""
    first_seventeen = f"91310115MA{n:07d}"
    return first_seventeen + uscc.calc_check_digit(first_seventeen)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"上海测试企业{n}有限公司")
    credit_code = factory.Sequence(credit_code)
    district = "pudong"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    mobile = factory.Sequence(lambda n: f"136{n:08d}")
    last_name = "王"
    first_name = factory.Sequence(lambda n: f"测试{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted is not None:
            user_assign_role(user=self, role=extracted)
