"""Demo craftsmen: twelve people across the pyramid (3 上海工匠, 4 工匠人才, 5 技术工人), with
honours, studios, portraits and links to the demo innovations, and the index page "工匠风采" in
both languages.

Run after accounts.demo.seed_people and innovations.demo.seed_innovations (the demo workers'
employers and innovations are looked up by name and title). Idempotent: a craftsman whose
slug exists is left as it is, and so is the index page.
"""

import colorsys
import hashlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Locale

from accounts.models import Enterprise
from cms.demo_pages import menu_section
from cms.models import CraftsmanIndexPage, HomePage
from craftsmen.choices import Level, Trade
from craftsmen.models import Craftsman, Honour, Studio
from innovations.models import Industry, Innovation

PORTRAIT_SIZE = (600, 750)
# Fonts that can draw a Chinese surname, in order of preference; without one the portrait
# shows the pinyin initials instead.
CJK_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
LATIN_FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]


@dataclass(frozen=True)
class DemoEmployer:
    name: str
    district: str
    industry: str


@dataclass(frozen=True)
class DemoHonour:
    year: int
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class DemoStudio:
    name_zh: str
    name_en: str
    founded_year: int
    description_zh: str
    description_en: str


@dataclass(frozen=True)
class DemoCraftsman:
    slug: str
    name: str
    name_en: str
    level: str
    employer: str
    trade: str
    story_zh: str
    story_en: str
    model_worker: bool = False
    chief_technician: bool = False
    skill_master: bool = False
    honours: list[DemoHonour] = field(default_factory=list)
    studio: DemoStudio | None = None
    innovations: list[str] = field(default_factory=list)


# The first four are accounts.demo's enterprises (their industry is filled in when blank).
DEMO_EMPLOYERS = [
    DemoEmployer("上海申江精密机械有限公司", "pudong", "equipment-manufacturing"),
    DemoEmployer("上海浦江新材料科技股份有限公司", "minhang", "new-materials"),
    DemoEmployer("上海临港智能装备有限公司", "fengxian", "equipment-manufacturing"),
    DemoEmployer("上海徐汇量测仪器有限公司", "xuhui", "electronics"),
    DemoEmployer("上海江湾汽车服务有限公司", "yangpu", "automotive"),
    DemoEmployer("上海吴淞化工有限公司", "baoshan", "petrochemicals"),
    DemoEmployer("上海长宁轨道交通维保有限公司", "changning", "transport"),
    DemoEmployer("上海宝山建设工程有限公司", "baoshan", "construction"),
    DemoEmployer("上海闵行电力检修有限公司", "minhang", "energy-power"),
]

MAY_DAY_NATIONAL = ("全国五一劳动奖章", "National May Day Labour Medal")
MODEL_WORKER_SH = ("上海市劳动模范", "Shanghai Model Worker")
SHANGHAI_CRAFTSMAN = ("上海工匠", "Shanghai Craftsman")
TECH_EXPERT_SH = ("上海市技术能手", "Shanghai Technical Expert")


def _honour(year: int, names: tuple[str, str]) -> DemoHonour:
    return DemoHonour(year, *names)


DEMO_CRAFTSMEN = [
    DemoCraftsman(
        slug="wang-jianguo",
        name="王建国",
        name_en="Wang Jianguo",
        level=Level.SHANGHAI_CRAFTSMAN,
        employer="上海临港智能装备有限公司",
        trade=Trade.CNC_OPERATOR,
        model_worker=True,
        chief_technician=True,
        story_zh=(
            "王建国在数控车床前工作了二十六年，从学徒做到公司首席技师。他发现换刀试切占去大量"
            "停机时间，带领班组研制快速对刀装置，把单次换刀从 15 分钟缩短到 3 分钟。\n"
            "他坚持“把绝活教给年轻人”，工作室每年为企业培养数控骨干二十余名。"
        ),
        story_en=(
            "Wang Jianguo has worked at CNC lathes for twenty-six years, from apprentice to the "
            "company's chief technician. Seeing how much time trial cuts after each tool change "
            "cost, he led his team to build a quick tool-setting device that cut a tool change "
            "from 15 minutes to 3.\n"
            "He believes in passing his skills on: his studio trains more than twenty CNC "
            "specialists for the company every year."
        ),
        honours=[
            _honour(2021, MAY_DAY_NATIONAL),
            _honour(2020, MODEL_WORKER_SH),
            _honour(2019, SHANGHAI_CRAFTSMAN),
        ],
        studio=DemoStudio(
            "王建国创新工作室",
            "Wang Jianguo Innovation Studio",
            2016,
            "聚焦数控加工工艺改进和量检具创新，已完成革新项目 40 余项。",
            "Works on CNC machining processes and gauges; more than 40 improvements completed.",
        ),
        innovations=["数控车床刀具快速对刀装置", "轴承压装力在线检测改造"],
    ),
    DemoCraftsman(
        slug="li-xiuying",
        name="李秀英",
        name_en="Li Xiuying",
        level=Level.SHANGHAI_CRAFTSMAN,
        employer="上海徐汇量测仪器有限公司",
        trade=Trade.ELECTRICIAN,
        model_worker=True,
        skill_master=True,
        story_zh=(
            "李秀英是地铁隧道和电缆设备巡检的行家。夜间巡检时一手持灯一手作业的不便，"
            "让她想到了可单手展开的磁吸式照明支架。\n她带出的徒弟中已有三人获得高级技师资格。"
        ),
        story_en=(
            "Li Xiuying is an expert in inspecting metro tunnels and cable equipment. Working "
            "one-handed with a lamp in the other hand on night inspections led her to design a "
            "magnetic lighting stand that opens with one hand.\n"
            "Three of her apprentices have since qualified as senior technicians."
        ),
        honours=[
            _honour(2023, MODEL_WORKER_SH),
            _honour(2022, ("上海市三八红旗手", "Shanghai March 8th Red-Banner Holder")),
            _honour(2021, SHANGHAI_CRAFTSMAN),
        ],
        studio=DemoStudio(
            "李秀英技能大师工作室",
            "Li Xiuying Skill Master Studio",
            2019,
            "研究电力设备在线监测和巡检工具，面向全市轨道交通和电力企业开放交流。",
            "Studies on-line monitoring of power equipment and inspection tools, open to rail "
            "and power companies across the city.",
        ),
        # The second is still under review: the profile shows only the approved one.
        innovations=["地铁隧道巡检便携照明支架", "高压电缆接头温度无线监测贴片"],
    ),
    DemoCraftsman(
        slug="chen-zhigang",
        name="陈志刚",
        name_en="Chen Zhigang",
        level=Level.SHANGHAI_CRAFTSMAN,
        employer="上海申江精密机械有限公司",
        trade=Trade.FITTER,
        chief_technician=True,
        skill_master=True,
        story_zh=(
            "陈志刚是公司的“钳工一把刀”，手工研磨精度可达 0.002 毫米。"
            "三十年来参与了数十种精密部件的装配攻关。"
        ),
        story_en=(
            "Chen Zhigang is the company's master fitter: his hand lapping holds tolerances of "
            "0.002 mm. Over thirty years he has solved the assembly of dozens of precision parts."
        ),
        honours=[
            _honour(2022, ("中华技能大奖", "China Skills Award")),
            _honour(2018, SHANGHAI_CRAFTSMAN),
            _honour(2015, ("全国技术能手", "National Technical Expert")),
        ],
        studio=DemoStudio(
            "陈志刚钳工创新工作室",
            "Chen Zhigang Fitters' Innovation Studio",
            2014,
            "传承精密装配和手工研磨技艺。",
            "Keeps precision assembly and hand lapping skills alive.",
        ),
    ),
    DemoCraftsman(
        slug="zhang-wei",
        name="张伟",
        name_en="Zhang Wei",
        level=Level.CRAFTSMAN_TALENT,
        employer="上海临港智能装备有限公司",
        trade=Trade.WELDER,
        story_zh="张伟是年轻的焊接能手，研制的焊缝自动打磨小车让班组告别了粉尘弥漫的手工打磨。",
        story_en=(
            "Zhang Wei is a young welding specialist whose automatic weld-grinding cart ended "
            "his team's dusty hand grinding."
        ),
        honours=[
            _honour(2022, TECH_EXPERT_SH),
            _honour(
                2021,
                (
                    "上海市职工职业技能大赛焊工第一名",
                    "First place, welding, Shanghai Workers' Skills Contest",
                ),
            ),
        ],
        innovations=["焊缝自动打磨小车"],
    ),
    DemoCraftsman(
        slug="liu-haiyan",
        name="刘海燕",
        name_en="Liu Haiyan",
        level=Level.CRAFTSMAN_TALENT,
        employer="上海浦江新材料科技股份有限公司",
        trade=Trade.CHEMICAL_OPERATOR,
        model_worker=True,
        story_zh="刘海燕在聚合反应装置上工作十八年，总结的操作法使产品一次合格率提高到 99.6%。",
        story_en=(
            "Liu Haiyan has run polymerisation units for eighteen years; her operating method "
            "raised the first-pass yield to 99.6%."
        ),
        honours=[_honour(2020, MODEL_WORKER_SH), _honour(2019, TECH_EXPERT_SH)],
    ),
    DemoCraftsman(
        slug="zhao-lei",
        name="赵磊",
        name_en="Zhao Lei",
        level=Level.CRAFTSMAN_TALENT,
        employer="上海长宁轨道交通维保有限公司",
        trade=Trade.RAIL_TRANSIT,
        chief_technician=True,
        story_zh="赵磊负责地铁信号设备维护，他编写的故障速查手册已在全线网推广。",
        story_en=(
            "Zhao Lei maintains metro signalling; his quick fault-finding handbook is now used "
            "across the network."
        ),
        honours=[_honour(2023, ("上海市五一劳动奖章", "Shanghai May Day Labour Medal"))],
        studio=DemoStudio(
            "赵磊轨道信号创新工作室",
            "Zhao Lei Rail Signalling Innovation Studio",
            2021,
            "围绕信号设备故障快速定位开展创新。",
            "Innovates in locating signalling faults quickly.",
        ),
    ),
    DemoCraftsman(
        slug="sun-li",
        name="孙丽",
        name_en="Sun Li",
        level=Level.CRAFTSMAN_TALENT,
        employer="上海江湾汽车服务有限公司",
        trade=Trade.AUTO_REPAIR,
        story_zh="孙丽擅长新能源汽车电池系统诊断，是车间里最受欢迎的“故障医生”。",
        story_en=(
            "Sun Li diagnoses electric-vehicle battery systems and is the workshop's favourite "
            "troubleshooter."
        ),
        honours=[_honour(2023, TECH_EXPERT_SH)],
    ),
    DemoCraftsman(
        slug="zhou-qiang",
        name="周强",
        name_en="Zhou Qiang",
        level=Level.SKILLED_WORKER,
        employer="上海宝山建设工程有限公司",
        trade=Trade.CONSTRUCTION,
        story_zh="周强是钢结构安装班组长，带领班组在高空作业中连续五年零事故。",
        story_en=(
            "Zhou Qiang leads a steel-erection crew that has worked at height for five years "
            "without an accident."
        ),
        honours=[_honour(2024, ("上海市青年岗位能手", "Shanghai Young Job Expert"))],
    ),
    DemoCraftsman(
        slug="wu-fang",
        name="吴芳",
        name_en="Wu Fang",
        level=Level.SKILLED_WORKER,
        employer="上海徐汇量测仪器有限公司",
        trade=Trade.ELECTRONICS_ASSEMBLY,
        story_zh="吴芳负责精密仪器电路板装配，她改进的防静电工装让返修率下降了一半。",
        story_en=(
            "Wu Fang assembles circuit boards for precision instruments; her anti-static fixture "
            "halved the rework rate."
        ),
        honours=[
            _honour(
                2024,
                (
                    "上海市职工职业技能竞赛电子装配三等奖",
                    "Third prize, electronics assembly, Shanghai Workers' Skills Contest",
                ),
            )
        ],
    ),
    DemoCraftsman(
        slug="zheng-hao",
        name="郑浩",
        name_en="Zheng Hao",
        level=Level.SKILLED_WORKER,
        employer="上海申江精密机械有限公司",
        trade=Trade.LATHE_OPERATOR,
        story_zh="郑浩师从陈志刚，三年内从普通车工成长为能独立加工精密轴类零件的技术骨干。",
        story_en=(
            "Trained by Chen Zhigang, Zheng Hao grew in three years into a turner trusted with "
            "precision shafts."
        ),
    ),
    DemoCraftsman(
        slug="huang-min",
        name="黄敏",
        name_en="Huang Min",
        level=Level.SKILLED_WORKER,
        employer="上海闵行电力检修有限公司",
        trade=Trade.ELECTRICIAN,
        story_zh="黄敏从事变电站检修，总结的“看、听、测”三步巡检法被写入班组作业指导书。",
        story_en=(
            "Huang Min services substations; her look-listen-measure inspection method is now "
            "in her team's work instructions."
        ),
    ),
    DemoCraftsman(
        slug="ma-chao",
        name="马超",
        name_en="Ma Chao",
        level=Level.SKILLED_WORKER,
        employer="上海吴淞化工有限公司",
        trade=Trade.CHEMICAL_OPERATOR,
        story_zh="马超是装置区的年轻外操，他提出的巡检路线优化建议每班节省半小时。",
        story_en=(
            "Ma Chao, a young field operator, suggested an inspection route that saves half an "
            "hour a shift."
        ),
    ),
]

INDEX_PAGE = {
    "slug": "craftsmen",
    "zh": {
        "title": "工匠风采",
        "intro": "<p>上海工匠、工匠人才和技术工人：看看他们的故事、荣誉和创新成果。</p>",
    },
    "en": {
        "title": "Craftsmen",
        "intro": "<p>Shanghai craftsmen, craftsman talents and skilled workers: their stories, "
        "honours and innovations.</p>",
    },
}


def _employers() -> dict[str, Enterprise]:
    industries = {industry.slug: industry for industry in Industry.objects.all()}
    employers = {}
    for spec in DEMO_EMPLOYERS:
        enterprise = Enterprise.objects.filter(name=spec.name).order_by("pk").first()
        if enterprise is None:
            enterprise = Enterprise.objects.create(
                name=spec.name, district=spec.district, industry=industries.get(spec.industry)
            )
        elif enterprise.industry_id is None:
            # accounts.demo gives its enterprises no industry; the industry filter needs one.
            enterprise.industry = industries.get(spec.industry)
            enterprise.save(update_fields=["industry"])
        employers[spec.name] = enterprise
    return employers


def _font(size: int, *, cjk: bool):
    for path in CJK_FONTS if cjk else LATIN_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def portrait_png(spec: DemoCraftsman) -> bytes:
    """A plain coloured portrait card with the surname (or the initials), the same bytes for
    the same person on the same machine."""
    digest = hashlib.sha256(spec.slug.encode()).digest()
    red, green, blue = colorsys.hls_to_rgb(digest[0] / 255, 0.38, 0.45)
    background = tuple(round(channel * 255) for channel in (red, green, blue))
    image = PillowImage.new("RGB", PORTRAIT_SIZE, background)
    draw = ImageDraw.Draw(image)
    font = _font(320, cjk=True)
    text = spec.name[0]
    if font is None:
        text = "".join(part[0] for part in spec.name_en.split())
        font = _font(260, cjk=False) or ImageFont.load_default(size=260)
    centre = (PORTRAIT_SIZE[0] / 2, PORTRAIT_SIZE[1] / 2)
    draw.text(centre, text, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _portrait(spec: DemoCraftsman):
    image_model = get_image_model()
    title = f"{spec.name} {spec.name_en}"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        image = image_model(title=title, description=f"{spec.name}的肖像")
        image.file = ImageFile(BytesIO(portrait_png(spec)), name=f"craftsman-{spec.slug}.png")
        image.save()
    return image


def _create(spec: DemoCraftsman, employer: Enterprise) -> Craftsman:
    craftsman = Craftsman.objects.create(
        slug=spec.slug,
        name=spec.name,
        name_en=spec.name_en,
        level=spec.level,
        is_model_worker=spec.model_worker,
        is_chief_technician=spec.chief_technician,
        is_skill_master=spec.skill_master,
        employer=employer,
        trade=spec.trade,
        portrait=_portrait(spec),
        portrait_alt_zh=f"{spec.name}的肖像",
        portrait_alt_en=f"Portrait of {spec.name_en}",
        story_zh=spec.story_zh,
        story_en=spec.story_en,
    )
    Honour.objects.bulk_create(
        Honour(craftsman=craftsman, year=h.year, name_zh=h.name_zh, name_en=h.name_en)
        for h in spec.honours
    )
    if spec.studio is not None:
        Studio.objects.create(
            craftsman=craftsman,
            name_zh=spec.studio.name_zh,
            name_en=spec.studio.name_en,
            founded_year=spec.studio.founded_year,
            description_zh=spec.studio.description_zh,
            description_en=spec.studio.description_en,
        )
    if spec.innovations:
        craftsman.innovations.set(Innovation.objects.filter(title__in=spec.innovations))
    return craftsman


@transaction.atomic
def seed_craftsmen() -> int:
    """Create the demo craftsmen that do not exist yet (matched by slug); returns how many."""
    existing = set(
        Craftsman.objects.filter(slug__in=[spec.slug for spec in DEMO_CRAFTSMEN]).values_list(
            "slug", flat=True
        )
    )
    missing = [spec for spec in DEMO_CRAFTSMEN if spec.slug not in existing]
    if not missing:
        return 0
    employers = _employers()
    for spec in missing:
        _create(spec, employers[spec.employer])
    return len(missing)


@transaction.atomic
def seed_craftsman_pages() -> None:
    """The index page 工匠风采 under the Chinese home, in the menu, and its English translation."""
    home = HomePage.objects.get(depth=2, locale__language_code="zh-hans")
    menu_section(home, Locale.objects.get(language_code="en"), CraftsmanIndexPage, INDEX_PAGE)
