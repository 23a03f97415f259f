"""The fictional 龙溪县 for `zwgk demo`: organisations and staff for every role (demo only)."""

import random

from django.contrib.auth.models import Group, User

from zwgk.core import roles
from zwgk.core.codes import credit_code_check_char
from zwgk.core.models import Organisation, StaffProfile

DEMO_PASSWORD = "zwgk-demo-2026"
REGION = "360799"  # fictional 行政区划代码 prefix used in 统一社会信用代码 and 网站标识码

DEPARTMENTS = [
    # (name, short name, slug, 代字)
    ("龙溪县人民政府办公室", "县政府办", "zfb", "龙政办"),
    ("龙溪县发展和改革局", "县发改局", "fgj", "龙发改"),
    ("龙溪县教育体育局", "县教体局", "jtj", "龙教体"),
    ("龙溪县财政局", "县财政局", "czj", "龙财"),
    ("龙溪县人力资源和社会保障局", "县人社局", "rsj", "龙人社"),
    ("龙溪县自然资源局", "县自然资源局", "zrzyj", "龙自然资"),
    ("龙溪县住房和城乡建设局", "县住建局", "zjj", "龙住建"),
    ("龙溪县农业农村局", "县农业农村局", "nyncj", "龙农"),
    ("龙溪县卫生健康委员会", "县卫健委", "wjw", "龙卫健"),
    ("龙溪县民政局", "县民政局", "mzj", "龙民"),
    ("龙溪县市场监督管理局", "县市场监管局", "scjgj", "龙市监"),
    ("龙溪县生态环境局", "县生态环境局", "sthjj", "龙环"),
    ("龙溪县应急管理局", "县应急局", "yjj", "龙应急"),
    ("龙溪县交通运输局", "县交通运输局", "jtysj", "龙交"),
]
TOWNSHIPS = [
    ("龙溪县城关镇人民政府", "城关镇", "cgz", Organisation.Kind.TOWNSHIP),
    ("龙溪县青山镇人民政府", "青山镇", "qsz", Organisation.Kind.TOWNSHIP),
    ("龙溪县石桥乡人民政府", "石桥乡", "sqx", Organisation.Kind.TOWNSHIP),
    ("龙溪县白沙镇人民政府", "白沙镇", "bsz", Organisation.Kind.TOWNSHIP),
    ("龙溪县梅林乡人民政府", "梅林乡", "mlx", Organisation.Kind.TOWNSHIP),
    ("龙溪县东城街道办事处", "东城街道", "dcjd", Organisation.Kind.SUBDISTRICT),
]
# (username, full name, role, organisation slug or None for the county government)
STAFF = [
    ("admin", "县政务公开办管理员", roles.ADMINISTRATOR, None),
    ("xinxiyuan", "王信息（信息员）", roles.INFORMANT, None),
    ("chushen", "李初审（初审）", roles.FIRST_REVIEW, None),
    ("fushen", "赵复审（复审）", roles.SECOND_REVIEW, None),
    ("baomi", "钱保密（保密审查员）", roles.SECRECY_REVIEW, None),
    ("zhongshen", "孙终审（终审）", roles.FINAL_REVIEW, None),
    ("shenhe", "冯审核（依申请公开审核）", roles.APPLICATION_REVIEW, None),
    ("hudong", "何互动（互动交流审核）", roles.MESSAGE_REVIEW, None),
    ("fgj_xxy", "周发改（发改局信息员）", roles.INFORMANT, "fgj"),
    ("cgz_xxy", "吴城关（城关镇信息员）", roles.INFORMANT, "cgz"),
    ("cgz_cs", "郑城关（城关镇初审）", roles.FIRST_REVIEW, "cgz"),
]


def make_credit_code(rng: random.Random, kind: str = "1") -> str:
    """A valid 统一社会信用代码 for a 机关 (登记管理部门码 1, 机构类别码 1) in the demo region."""
    body = (
        "11" + REGION + "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789ABCDEFGH")
    )
    return body + credit_code_check_char(body)


def create_organisations(rng: random.Random) -> dict[str, Organisation]:
    government = Organisation.objects.create(
        kind=Organisation.Kind.GOVERNMENT,
        name="龙溪县人民政府",
        short_name="县政府",
        slug="xzf",
        credit_code=make_credit_code(rng),
        site_code=REGION[:6] + "0001",
        doc_prefix="龙府",
        functions="执行县人民代表大会及其常务委员会的决议，领导全县经济社会发展和各项行政工作。",
        structure="县人民政府设办公室和组成部门14个，下辖5个乡镇、1个街道。",
        address="龙溪县人民路1号",
        office_hours="工作日 上午8:30—12:00，下午14:30—17:30",
        phone="0797-6120000",
        head_name="县长 陈立新",
    )
    orgs = {"xzf": government}
    for i, (name, short, slug, prefix) in enumerate(DEPARTMENTS):
        orgs[slug] = Organisation.objects.create(
            parent=government,
            kind=Organisation.Kind.OFFICE if slug == "zfb" else Organisation.Kind.DEPARTMENT,
            name=name,
            short_name=short,
            slug=slug,
            credit_code=make_credit_code(rng),
            doc_prefix=prefix,
            functions=f"负责全县{short[1:-1]}领域的政策执行、行业管理和公共服务工作。",
            structure="内设办公室、政策法规股、业务股和综合股。",
            address=f"龙溪县行政中心{i + 2}号楼",
            office_hours="工作日 上午8:30—12:00，下午14:30—17:30",
            phone=f"0797-61{20 + i:02d}{rng.randrange(100, 999)}",
            head_name=rng.choice(["局长", "主任"])
            + " "
            + rng.choice("张王李赵刘陈杨黄周吴")
            + rng.choice(["建华", "志强", "海燕", "晓明", "卫东", "红梅"]),
            sort_order=i,
        )
    for i, (name, short, slug, kind) in enumerate(TOWNSHIPS):
        orgs[slug] = Organisation.objects.create(
            parent=government,
            kind=kind,
            name=name,
            short_name=short,
            slug=slug,
            credit_code=make_credit_code(rng),
            doc_prefix=short[:2] + ("府" if kind == Organisation.Kind.TOWNSHIP else "街"),
            functions="贯彻落实农业农村政策，负责本辖区经济发展、社会事业和基层治理工作。",
            structure="设党政综合办公室、经济发展办公室、社会事务办公室、综合行政执法队。",
            address=f"{short}人民路{rng.randrange(1, 99)}号",
            office_hours="工作日 上午8:30—12:00，下午14:30—17:30",
            phone=f"0797-62{i:02d}{rng.randrange(1000, 9999)}",
            head_name="镇长 " + rng.choice("张王李赵刘") + "国平",
            sort_order=100 + i,
        )
    return orgs


def create_staff(orgs: dict[str, Organisation]) -> list[tuple[str, str, str]]:
    """Users for every role; returns (username, role, organisation) rows to print."""
    created = []
    for username, full_name, role, slug in STAFF:
        org = orgs[slug or "xzf"]
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=full_name,
            email=f"{username}@longxi.example.gov.cn",
        )
        user.is_staff = True
        if role == roles.ADMINISTRATOR:
            user.is_superuser = True
        user.save()
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, organisation=org)
        created.append((username, role, org.name))
    return created
