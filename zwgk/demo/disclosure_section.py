"""The demo's 政府信息公开 section as a county publishes it (spec §7.1: 指南, 制度, 法定主动公开内容, 年报).

- 指南 (条例 Art. 12): 分类、编排体系、获取方式 and the 工作机构's 名称、地址、时间、电话、传真、互联网联系方式,
  written from the organisation's own record.
- 制度: the county's rules for the work the 条例 asks an organ to organise (Art. 17 审查, Art. 20–26 主动公开,
  Art. 27–45 依申请公开, Art. 46 考核·评议·责任追究, 解读 per spec §6), one item each.
- 行政执法公示: items for Art. 20(五) 行政许可 and (六) 行政处罚, which no other demo column carries.
- 年报: the past years' reports of the government, made from the demo's applications and taken through
  三审 by the demo's reviewers exactly as a clerk's report is (reports.services + the 三审 workflow).
"""

import contextlib
import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from zwgk.disclosure.models import ArticlePage, ColumnPage
from zwgk.disclosure.vocab import ColumnType, StatutoryCategory
from zwgk.reports.annual import build_annual_report, consistency_errors, open_applications_at_year_end
from zwgk.reports.services import create_draft_item, start_texts
from zwgk.screening.uploads import screen_document

SYSTEMS = [
    (
        "龙溪县政府信息公开保密审查办法",
        "<p>第一条　为规范政府信息公开前的保密审查，根据《中华人民共和国政府信息公开条例》第十七条和"
        "《中华人民共和国保守国家秘密法》，制定本办法。</p>"
        "<p>第二条　政府信息公开前应当依法审查，坚持“先审查、后公开”“谁公开、谁审查”“一事一审”。</p>"
        "<p>第三条　拟公开的政府信息依次经初审、复审、终审，保密审查员对涉及国家秘密、商业秘密和个人隐私的内容"
        "提出审查意见；未经审查的信息不得公开。</p>"
        "<p>第四条　对政府信息不能确定是否可以公开的，依照法律、法规和国家有关规定报有关主管部门或者"
        "保密行政管理部门确定。</p>"
        "<p>第五条　信息公开后发现含有不应公开内容的，应当立即撤下或者作脱敏处理，并记录处理情况。</p>"
        "<p>第六条　本办法自印发之日起施行。</p>",
    ),
    (
        "龙溪县政府信息主动公开工作制度",
        "<p>第一条　为做好政府信息主动公开工作，根据《中华人民共和国政府信息公开条例》第十九条至第二十六条，"
        "制定本制度。</p>"
        "<p>第二条　各单位按照条例第二十条、第二十一条和基层政务公开标准目录确定主动公开的具体内容，"
        "并编入政府信息公开目录。</p>"
        "<p>第三条　属于主动公开范围的政府信息，应当自该信息形成或者变更之日起20个工作日内予以公开。</p>"
        "<p>第四条　主动公开的政府信息通过本门户网站、政府公报、新闻发布会以及报刊、广播、电视等途径公开，"
        "并及时提供给国家档案馆和公共图书馆。</p>"
        "<p>第五条　各单位定期对不予公开的政府信息进行评估审查，因情势变化可以公开的，予以公开（条例第十八条）。</p>",
    ),
    (
        "龙溪县政府信息依申请公开工作规程",
        "<p>第一条　为规范政府信息公开申请的登记、审核、办理、答复、归档，根据《中华人民共和国政府信息公开条例》"
        "第二十七条至第四十五条，制定本规程。</p>"
        "<p>第二条　申请人可以通过本网站“依申请公开”栏目、信函或者当面提交申请；书面申请确有困难的，"
        "可以口头提出，由政府信息公开工作机构代为填写。</p>"
        "<p>第三条　申请内容不明确的，自收到申请之日起7个工作日内一次性告知申请人补正。</p>"
        "<p>第四条　不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，"
        "经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。"
        "征求第三方和其他机关意见所需时间不计算在期限内。</p>"
        "<p>第五条　依申请提供政府信息不收取费用；申请公开政府信息的数量、频次明显超过合理范围的，"
        "按照国办函〔2020〕109号收取信息处理费。</p>"
        "<p>第六条　申请、答复及相关材料一案一档，按照档案管理规定归档。</p>",
    ),
    (
        "龙溪县政策文件解读办法",
        "<p>第一条　为做好政策文件解读工作，制定本办法。</p>"
        "<p>第二条　坚持“谁起草、谁解读”，文件起草单位是解读责任主体，单位主要负责人是第一解读人和责任人。</p>"
        "<p>第三条　政策性文件与解读方案、解读材料同步组织、同步审签、同步部署；报送县政府的文件未附解读材料的，"
        "予以退文。</p>"
        "<p>第四条　解读可以采用文字、图解、音频、视频、政策问答等形式，解读材料应当链接所解读的文件。</p>",
    ),
    (
        "龙溪县政务公开工作考核、社会评议和责任追究制度",
        "<p>第一条　根据《中华人民共和国政府信息公开条例》第四十六条，建立健全政务公开工作考核制度、"
        "社会评议制度和责任追究制度。</p>"
        "<p>第二条　县政务公开办每年对各单位政务公开工作进行考核，考核结果纳入年度绩效考核。</p>"
        "<p>第三条　通过网上评议、问卷调查等方式定期组织社会评议，评议结果向社会公开。</p>"
        "<p>第四条　违反条例规定，不依法履行政府信息公开职能，或者不及时更新公开的政府信息内容、"
        "政府信息公开指南和政府信息公开目录的，依照条例第五十三条追究责任。</p>",
    ),
]

# Fictional enterprises, each in its own trade; law-enforcement notices name legal persons only, never a
# natural person. (organ: (permit, licence, holder)) and (organ: (fact, basis, penalty, party)).
PERMITS = {
    "scjgj": ("食品经营许可", "食品经营许可证", "龙溪县白沙食品有限公司"),
    "sthjj": ("排污许可", "排污许可证", "龙溪县青山建材有限公司"),
    "jtysj": ("道路货物运输经营许可", "道路运输经营许可证", "龙溪县城关物流有限公司"),
    "zjj": ("建筑工程施工许可", "建筑工程施工许可证", "龙溪县东城建筑工程有限公司"),
}
PENALTIES = {
    "scjgj": (
        "经营超过保质期的食品",
        "《中华人民共和国食品安全法》第一百二十四条",
        "没收违法所得，并处罚款5000元",
        "龙溪县梅林茶业有限公司",
    ),
    "sthjj": (
        "未按规定运行大气污染防治设施",
        "《中华人民共和国大气污染防治法》第九十九条",
        "罚款10万元",
        "龙溪县青山建材有限公司",
    ),
    "yjj": (
        "未按规定开展安全生产教育和培训",
        "《中华人民共和国安全生产法》第九十七条",
        "责令限期改正，罚款2万元",
        "龙溪县石桥竹木加工厂",
    ),
    "jtysj": (
        "货运车辆超限运输",
        "《公路安全保护条例》第六十四条",
        "罚款3000元",
        "龙溪县城关物流有限公司",
    ),
}

# Items the section adds to every demo county, whatever --articles asks for.
SECTION_ITEMS = len(SYSTEMS) + len(PERMITS) + len(PENALTIES)


def guide_html(office) -> str:
    """政府信息公开指南 (条例 Art. 12), from the 政府信息公开工作机构's record `office`."""
    return (
        "<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        "编制本指南。本指南每年更新。</p>"
        "<h3>一、政府信息的分类和编排体系</h3>"
        "<p>本网站“政府信息公开”栏目设政府信息公开指南、政府信息公开制度、法定主动公开内容、"
        "政府信息公开年报和依申请公开等栏目。政府信息公开目录按发布机构编排，每条信息载明索引号、"
        "信息名称、内容概述、生成日期、发布机构和文号；索引号由发布机构的统一社会信用代码、年份和顺序号组成。"
        "法定主动公开内容按《条例》第二十条所列十五项分类。</p>"
        "<h3>二、获取方式</h3>"
        "<p>（一）主动公开。主动公开的政府信息自该信息形成或者变更之日起20个工作日内，通过本门户网站、"
        "政府公报、新闻发布会以及报刊、广播、电视等途径公开；公众也可以到县档案馆、县图书馆和县政务服务中心"
        "的政府信息查阅点查阅。</p>"
        "<p>（二）依申请公开。公民、法人或者其他组织可以通过本网站“依申请公开”栏目在线提交，"
        "也可以通过信函或者当面提交书面申请；书面申请确有困难的，可以口头提出，由工作机构代为填写。"
        "申请应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的"
        "其他特征性描述；获取信息的方式、途径（《条例》第二十九条）。</p>"
        "<p>能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；"
        "需要延长答复期限的，经工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日"
        "（《条例》第三十三条）。申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正（《条例》第三十条）。"
        "依申请提供政府信息不收取费用；申请数量、频次明显超过合理范围的，可以收取信息处理费（《条例》第四十二条）。</p>"
        "<h3>三、政府信息公开工作机构</h3>"
        f"<p>名称：{office.name}；办公地址：{office.address}；办公时间：{office.office_hours}；"
        f"联系电话：{office.phone}；传真：{office.phone[:-1]}9；"
        "互联网联系方式：本网站“依申请公开”栏目和“互动交流”栏目。</p>"
        "<h3>四、监督和救济</h3>"
        "<p>公民、法人或者其他组织认为行政机关未按照要求主动公开政府信息或者对政府信息公开申请不依法答复处理的，"
        "可以向县人民政府办公室（县政府信息公开工作主管部门）投诉、举报；认为行政机关在政府信息公开工作中"
        "侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。</p>"
    )


def build_disclosure_section(index, systems, orgs: dict, gen):
    """The 制度 as items of their column `systems`, and the 行政执法公示 column under the 政府信息公开
    section `index` (returned)."""
    government = orgs["xzf"]
    for title, body in SYSTEMS:
        gen.add(
            systems,
            ArticlePage(
                title=title,
                **gen.item_fields(government, "政务公开", "综合政务", StatutoryCategory.C15, body),
            ),
        )
    enforcement = ColumnPage(title="行政执法公示", slug="xzzfgs", column_type=ColumnType.NOTICE, live=True)
    index.add_child(instance=enforcement)
    for slug, (permit, licence, company) in PERMITS.items():
        org = orgs[slug]
        body = (
            f"<p>{org.name}依据《中华人民共和国行政许可法》，对下列{permit}事项作出准予许可的决定，现予公示。</p>"
            f"<p>行政相对人：{company}；许可证件名称：{licence}；许可机关：{org.name}；"
            "许可决定日期、有效期以许可决定书为准。</p>"
            f"<p>办理依据、条件、程序和办理时限见{org.name}行政许可事项办理指南。</p>"
        )
        gen.add(
            enforcement,
            ArticlePage(
                title=f"{org.name}{permit}决定公示（{company}）",
                **gen.item_fields(
                    org, "营商环境优化提升", "市场监管、安全生产监管", StatutoryCategory.C05, body
                ),
            ),
        )
    for n, (slug, (fact, basis, penalty, company)) in enumerate(PENALTIES.items(), start=1):
        org = orgs[slug]
        fields = gen.item_fields(
            org, "安全生产专项整治", "市场监管、安全生产监管", StatutoryCategory.C06, "-"
        )
        number = f"{org.doc_prefix}罚〔{fields['written_date'].year}〕{n}号"
        fields["body"] = (
            f"<p>行政处罚决定书文号：{number}</p><p>被处罚单位：{company}</p>"
            f"<p>主要违法事实：{fact}。</p><p>处罚依据：{basis}。</p><p>处罚内容：{penalty}。</p>"
            f"<p>处罚机关：{org.name}。当事人对处罚决定不服的，可以依法申请行政复议或者提起行政诉讼。</p>"
        )
        fields["summary"] = gen.summary(fields["body"])
        gen.add(enforcement, ArticlePage(title=f"{org.name}行政处罚决定信息公示（{number}）", **fields))
    return enforcement


REVIEW_CHAIN = ("chushen", "fushen", "zhongshen")


def publish_annual_reports(government, years, today: dt.date) -> int:
    """The government's 年报 for `years`: texts filled, the draft item made, then 初审 → 复审 → 终审 by the
    demo's reviewers; each dated 20 January of the next year (published before 31 March, 条例 Art. 49)."""
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=REVIEW_CHAIN + ("xinxiyuan",))
    }
    if any(name not in users for name in REVIEW_CHAIN + ("xinxiyuan",)):
        return 0
    with _mail_to_nowhere():  # the demo's reviewers are fictional: 三审 notifications go nowhere
        return sum(_publish_report(government, year, users, today) for year in years)


@contextlib.contextmanager
def _mail_to_nowhere():
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = backend


def _publish_report(government, year: int, users: dict, today: dt.date) -> int:
    """1 when the year's report went live, 0 when it does not add up (the clerk's view refuses it too)."""
    clerk = users["xinxiyuan"]
    texts = start_texts(government, year, user=clerk)
    texts.overview = (
        texts.overview.replace("（三）政府信息管理。", "（三）政府信息管理。严格落实保密审查和三审制度。")
        .replace(
            "（四）政府信息公开平台建设。", "（四）政府信息公开平台建设。县政府门户网站集约化平台稳定运行。"
        )
        .replace("（五）监督保障。", "（五）监督保障。政务公开纳入年度绩效考核。")
    )
    texts.problems = (
        "（一）上年度问题改进情况。上年度指出的问题已全部完成整改。\n"
        "（二）存在的主要问题。政策解读形式较为单一，部分乡镇栏目更新不够及时。\n"
        "（三）改进措施。增加图解、问答等解读形式，建立栏目更新提醒机制。"
    )
    texts.save()
    if consistency_errors(
        build_annual_report(government, year), open_applications_at_year_end([government], year)
    ):
        return 0
    page = create_draft_item(government, year, user=clerk)
    for block in page.attachments:
        # Read the DOCX and XLSX now, as the worker would: 三审 waits while an attachment is unread.
        screen_document.call(block.value.pk)
    page.get_workflow().start(page, clerk)
    for name in REVIEW_CHAIN:
        task_state = ArticlePage.objects.get(pk=page.pk).current_workflow_state.current_task_state
        task_state.task.specific.on_action(task_state, users[name], "approve", comment="同意公开。")
    if not ArticlePage.objects.filter(pk=page.pk, live=True).exists():
        return 0
    moment = timezone.make_aware(dt.datetime(year + 1, 1, 20, 9, 30))
    if moment.date() < today:
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=moment, last_published_at=moment, written_date=moment.date()
        )
    return 1
