from django.db import migrations

INDUSTRIES = [
    ("equipment-manufacturing", "装备制造", "Equipment manufacturing"),
    ("automotive", "汽车", "Automotive"),
    ("electronics", "电子信息", "Electronics and IT"),
    ("biomedicine", "生物医药", "Biomedicine"),
    ("new-materials", "新材料", "New materials"),
    ("petrochemicals", "石油化工", "Petrochemicals"),
    ("energy-power", "能源电力", "Energy and power"),
    ("construction", "建筑工程", "Construction"),
    ("transport", "交通运输", "Transport"),
    ("steel-metallurgy", "钢铁冶金", "Steel and metallurgy"),
    ("aerospace", "航空航天", "Aerospace"),
    ("shipbuilding", "船舶海工", "Shipbuilding and offshore"),
    ("textiles-light-industry", "轻工纺织", "Textiles and light industry"),
    ("urban-services", "城市公用服务", "Urban public services"),
]


def create_industries(apps, schema_editor):
    Industry = apps.get_model("innovations", "Industry")
    for slug, name_zh, name_en in INDUSTRIES:
        Industry.objects.update_or_create(
            slug=slug, defaults={"name_zh": name_zh, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("innovations", "0001_initial")]

    operations = [migrations.RunPython(create_industries, migrations.RunPython.noop)]
