"""Deterministic demo content for 龙溪县: site tree, articles, policy documents, interpretations.

Prose is built from the real government texts shipped in corpus/ (cleaned: inline pinyin
annotations removed, traditional → simplified), never lorem ipsum. Same seed, same county.
"""

import datetime as dt
import random
import re
from pathlib import Path

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from zwgk.core.workdays import add_working_days
from zwgk.disclosure.lifecycle import change_validity
from zwgk.disclosure.models import (
    ArticlePage,
    ColumnPage,
    DisclosureIndexPage,
    HomePage,
    InformationPage,
    InterpretationPage,
    PolicyDocumentPage,
    PolicyLibraryPage,
    Topic,
)
from zwgk.disclosure.vocab import ColumnType, DocumentKind, InterpretationForm, StatutoryCategory, Validity
from zwgk.text.normalize import to_simplified

from .bulk import BulkArticleWriter
from .disclosure_section import build_disclosure_section, guide_html
from .findings import attachment_with_id_number

# The demo reads only the corpus shipped inside the package (see corpus/SOURCES.md).
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
# Inline pinyin after a character, as some sites print it: 來(lái)源, 社會(huì )主義.
_PINYIN = re.compile(r"\(\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\s*\)")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_OR_CLOSE = _CJK + "”’》）」』、。，；：？！"
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}

TOPICS = {
    "综合政务": ["政务公开", "政府工作", "应急管理"],
    "国民经济管理、国有资产监管": ["发展规划", "经济运行"],
    "财政、金融、审计": ["财政预决算", "审计"],
    "农业、林业、水利": ["农业农村", "水利"],
    "城乡建设、环境保护": ["城乡建设", "生态环境"],
    "科技、教育": ["教育"],
    "卫生、体育": ["医药管理", "卫生健康"],
    "劳动、人事、监察": ["就业创业", "人事任免"],
    "民政、乡村振兴、救灾": ["社会救助", "乡村振兴"],
    "市场监管、安全生产监管": ["市场监管", "安全生产"],
}
SUBJECTS = [
    ("城乡居民最低生活保障", "民政、乡村振兴、救灾", "11"),
    ("高标准农田建设", "农业、林业、水利", "11"),
    ("城镇老旧小区改造", "城乡建设、环境保护", "03"),
    ("义务教育学校招生入学", "科技、教育", "11"),
    ("城乡居民基本医疗保险", "卫生、体育", "11"),
    ("安全生产专项整治", "市场监管、安全生产监管", "13"),
    ("营商环境优化提升", "国民经济管理、国有资产监管", "03"),
    ("高校毕业生就业创业", "劳动、人事、监察", "11"),
    ("森林防灭火", "农业、林业、水利", "12"),
    ("食品安全监督抽检", "市场监管、安全生产监管", "13"),
    ("政务公开", "综合政务", "15"),
    ("财政预算执行", "财政、金融、审计", "07"),
    ("农村人居环境整治", "城乡建设、环境保护", "11"),
    ("防汛抗旱", "综合政务", "12"),
    ("行政事业性收费", "财政、金融、审计", "08"),
    ("政府集中采购", "财政、金融、审计", "09"),
    ("重点建设项目", "国民经济管理、国有资产监管", "10"),
    ("公务员招录", "劳动、人事、监察", "14"),
    ("生态环境保护督察整改", "城乡建设、环境保护", "13"),
    ("统计调查", "国民经济管理、国有资产监管", "04"),
]
NEWS_TITLES = [
    "{org}召开{subject}工作推进会",
    "{org}部署{subject}重点任务",
    "{short}扎实推进{subject}工作",
    "县领导调研{subject}工作",
    "{org}开展{subject}专题培训",
    "{short}{subject}工作取得阶段性成效",
]
NOTICE_TITLES = [
    "关于开展{year}年{subject}工作的通知",
    "关于{subject}有关事项的公告",
    "{org}关于{subject}的公示",
    "关于征求《{subject}实施方案（征求意见稿）》意见的公告",
]
PERSONNEL_TITLES = [
    "{org}{year}年公开招聘工作人员公告",
    "关于{name}等同志任职的通知",
    "{org}{year}年度考核结果公示",
]
PLANNING_TITLES = ["{org}{year}年工作要点", "龙溪县{subject}“十四五”专项规划", "{org}{year}年工作总结"]
FINANCE_TITLES = ["{org}{year}年部门预算", "{org}{year}年部门决算", "{org}{year}年“三公”经费预算情况说明"]
POLICY_TITLES = [
    "龙溪县{subject}管理办法",
    "龙溪县{subject}实施细则",
    "关于进一步加强{subject}工作的实施意见",
    "龙溪县{subject}工作方案",
    "关于印发《龙溪县{subject}暂行办法》的通知",
]
# What each subject is for: the sentence that makes a body fit its title.
PURPOSES = {
    "城乡居民最低生活保障": "保障城乡困难群众基本生活，规范最低生活保障审核确认和动态管理",
    "高标准农田建设": "提升耕地质量和粮食综合生产能力，规范项目建设和后期管护",
    "城镇老旧小区改造": "改善居民居住条件，完善小区配套设施和社区服务功能",
    "义务教育学校招生入学": "保障适龄儿童少年平等接受义务教育，规范招生入学秩序",
    "城乡居民基本医疗保险": "减轻城乡居民医疗费用负担，规范参保缴费和待遇保障",
    "安全生产专项整治": "防范化解重大安全风险，坚决遏制较大以上生产安全事故",
    "营商环境优化提升": "降低制度性交易成本，激发各类市场主体活力",
    "高校毕业生就业创业": "促进高校毕业生等青年群体多渠道就业创业",
    "森林防灭火": "保护森林资源和人民群众生命财产安全，提高森林火灾防控能力",
    "食品安全监督抽检": "保障人民群众“舌尖上的安全”，及时发现和处置食品安全风险",
    "政务公开": "保障人民群众依法获取政府信息，推进政务公开标准化规范化",
    "财政预算执行": "严格预算执行管理，提高财政资金使用效益",
    "农村人居环境整治": "建设宜居宜业和美乡村，持续改善农村人居环境",
    "防汛抗旱": "保障人民群众生命财产安全，确保安全度汛",
    "行政事业性收费": "规范行政事业性收费行为，减轻企业和群众负担",
    "政府集中采购": "规范政府采购行为，提高采购资金使用效益",
    "重点建设项目": "加快重点项目建设进度，扩大有效投资",
    "公务员招录": "坚持公开、平等、竞争、择优，做好公务员考试录用工作",
    "生态环境保护督察整改": "抓好督察反馈问题整改，持续改善生态环境质量",
    "统计调查": "提高统计数据质量，依法开展统计调查工作",
}
TASKS = [
    "要压实工作责任，细化工作措施，确保{subject}各项任务按时保质完成。",
    "各乡镇（街道）和有关部门要加强协调配合，形成{subject}工作合力。",
    "要加强督促检查，对{subject}工作中发现的问题建立台账、限时整改。",
    "要做好{subject}相关政策的宣传解读，及时回应群众关切。",
    "要严格落实资金和项目管理制度，确保{subject}资金使用安全规范。",
]
# Above this many articles `zwgk demo` writes them in bulk (see bulk.py).
BULK_THRESHOLD = 5000
NAMES = ["张建国", "李红", "王志刚", "刘芳", "陈海波", "杨帆", "黄晓东", "周敏"]


def years_later(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def clean_prose(text: str) -> str:
    """Text from a web page as a county's site would print it: simplified characters, no inline pinyin,
    no markdown emphasis or headings, full-width punctuation between Chinese characters, no stray spaces
    inside Chinese text."""
    text = to_simplified(_PINYIN.sub("", text))
    text = text.replace("**", "").replace("__", "").replace("??", "").replace("\u00a0", " ")
    text = re.sub(r"(?m)^\s*#+\s*", "", text)
    # ASCII punctuation touching a Chinese character (or Chinese punctuation) becomes full-width.
    punct = re.escape("".join(_FULL_WIDTH))
    text = re.sub(
        rf"(?<=[{_CJK_OR_CLOSE}])\s*([{punct}])|([{punct}])\s*(?=[{_CJK}“‘《（])",
        lambda m: _FULL_WIDTH[m.group(1) or m.group(2)],
        text,
    )
    # A parenthesis pair opened full-width and closed in ASCII (or the reverse) after the pass above.
    text = re.sub(r"（([^（）()\n]{1,30})\)", r"（\1）", text)
    text = re.sub(r"\(([^（）()\n]{1,30})）", r"（\1）", text)
    return re.sub(rf"(?<=[{_CJK_OR_CLOSE}])[ \t]+(?=[{_CJK}“‘《（])", "", text)


_BRACKET_PAIRS = ("（）", "《》", "“”", "〔〕", "【】", "‘’", "「」")
# Other places' names and a web page's furniture: a sentence naming them does not belong to 龙溪县.
_FOREIGN = re.compile(
    r"[a-zA-Z]{2,}|http|\?|\ufffd|[\ue000-\uf8ff]|浏览次数|发布时间|来源|未完|全文共|仅显示|提示信息|版权|备案|"
    r"铁岭|银州|龙亭|开封|盘锦|辽宁|重庆|渝|我省|全省|省委|省政府|省政务|第十五个|县区|乡办|区长|区直|区级|区城市"
)


def _balanced(sentence: str) -> bool:
    return all(sentence.count(a) == sentence.count(b) for a, b in _BRACKET_PAIRS) and "(" not in sentence


def corpus_sentences() -> list[str]:
    """Clean sentences from the corpus shipped in corpus/ (real government texts, see SOURCES.md).

    Only whole sentences are kept: 14–90 characters, brackets and quotes paired, no other place's name,
    no page furniture; 我市/我区 become 我县."""
    sentences: list[str] = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        text = clean_prose(path.read_text(encoding="utf-8"))
        for s in re.split(r"(?<=[。！？])|\n", text):
            s = re.sub(r"\s+", "", s)
            s = re.sub(
                r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", "", s
            )
            s = re.sub(r"(我|全)[市区]", r"\1县", s).replace("区政府", "县政府").replace("市政府", "县政府")
            if 14 <= len(s) <= 90 and s.endswith("。") and _balanced(s) and not _FOREIGN.search(s):
                sentences.append(s)
    if not sentences:
        raise ImproperlyConfigured(f"演示语料缺失：{CORPUS_DIR} 下没有可用的文本。")
    return sentences


class ContentGenerator:
    def __init__(self, rng: random.Random, orgs: dict, start: dt.date, end: dt.date):
        self.rng = rng
        self.orgs = orgs
        self.org_list = list(orgs.values())
        self.start, self.end = start, end
        self.sentences = corpus_sentences()
        self.topics = {}

    # -- prose --------------------------------------------------------------------------------
    def paragraphs(self, n_min=3, n_max=6) -> str:
        rng = self.rng
        paras = []
        for _ in range(rng.randint(n_min, n_max)):
            paras.append(
                "<p>" + "".join(rng.choice(self.sentences) for _ in range(rng.randint(2, 4))) + "</p>"
            )
        return "".join(paras)

    def corpus_paragraph(self, subject: str) -> str:
        """Real government sentences, only where they fit: about 政务公开 for that subject, else none."""
        if subject != "政务公开":
            return ""
        return "<p>" + "".join(self.rng.sample(self.sentences, 3)) + "</p>"

    def tasks(self, subject: str, n: int = 2) -> str:
        return "".join(t.format(subject=subject) for t in self.rng.sample(TASKS, n))

    def article_body(self, templates, title: str, org, subject: str, written: dt.date) -> str:
        """A body that says what its title says (news, notice, personnel, plan or budget)."""
        purpose = PURPOSES[subject]
        day = f"{written.month}月{written.day}日"
        if templates is NEWS_TITLES:
            return (
                f"<p>{day}，{org.name}围绕{subject}工作召开专题会议，听取有关股室和乡镇（街道）工作情况汇报，"
                f"研究部署下一阶段重点任务。</p><p>会议指出，做好{subject}工作，目的是{purpose}。"
                f"今年以来，各有关单位按照县委、县政府部署，扎实推进各项工作，取得了阶段性成效。</p>"
                f"<p>会议要求，{self.tasks(subject)}</p>" + self.corpus_paragraph(subject)
            )
        if templates is NOTICE_TITLES:
            return (
                f"<p>为{purpose}，根据有关规定和县政府工作安排，现将{subject}有关事项公告如下。</p>"
                f"<p>一、工作内容。{org.name}负责组织实施，各乡镇（街道）做好本辖区的具体工作。</p>"
                f"<p>二、时间安排。自{written.year}年{day}起至{written.year}年12月31日止。</p>"
                f"<p>三、有关要求。{self.tasks(subject, 1)}</p>"
                f"<p>联系单位：{org.name}。</p>"
            )
        if templates is PERSONNEL_TITLES:
            return (
                f"<p>根据干部人事管理有关规定，经{org.name}研究，现将有关事项公布如下。</p>"
                f"<p>公示期为5个工作日。公示期间，如对公示对象有异议，可以书面形式向{org.name}反映，"
                f"反映情况应实事求是，并署真实姓名和联系方式。</p>"
            )
        if templates is FINANCE_TITLES:
            income = self.rng.randint(800, 9000)
            return (
                f"<p>按照预决算公开有关规定，现将{org.name}{written.year}年有关情况公开如下。</p>"
                f"<p>一、部门职责。{org.functions}</p>"
                f"<p>二、收支总体情况。收入总计{income}万元，支出总计{income}万元，收支平衡。</p>"
                f"<p>三、“三公”经费。因公出国（境）费0万元；公务用车购置及运行维护费"
                f"{self.rng.randint(5, 40)}万元；公务接待费{self.rng.randint(1, 9)}万元。</p>"
            )
        return (
            f"<p>{written.year}年，{org.name}以{purpose}为目标，统筹推进{subject}等重点工作。</p>"
            f"<p>一、主要目标。{subject}各项指标全面完成，群众满意度进一步提升。</p>"
            f"<p>二、重点任务。{self.tasks(subject)}</p>" + self.corpus_paragraph(subject)
        )

    def policy_body(self, title: str, org, subject: str, effective: dt.date, years_valid: int) -> str:
        purpose = PURPOSES[subject]
        kind = (
            "意见"
            if "意见" in title
            else "方案"
            if "方案" in title
            else "细则"
            if "细则" in title
            else "办法"
        )
        if kind in ("意见", "方案"):
            return (
                f"<p>为{purpose}，结合我县实际，制定本{kind}。</p>"
                f"<p>一、总体要求。坚持以人民为中心，坚持问题导向，推动{subject}工作制度化、规范化。</p>"
                f"<p>二、主要任务。{self.tasks(subject, 3)}</p>"
                f"<p>三、保障措施。{org.name}牵头负责，各乡镇（街道）和有关部门按职责分工抓好落实。</p>"
                f"<p>本{kind}自{effective.year}年{effective.month}月{effective.day}日起施行，"
                f"有效期{years_valid}年。</p>"
            )
        return (
            f"<p>第一条　为{purpose}，根据有关法律法规，结合本县实际，制定本{kind}。</p>"
            f"<p>第二条　本{kind}适用于本县行政区域内的{subject}工作。</p>"
            f"<p>第三条　{org.name}负责全县{subject}工作的组织实施和监督管理；"
            f"各乡镇人民政府（街道办事处）负责本辖区内的具体工作。</p>"
            f"<p>第四条　{self.tasks(subject, 2)}</p>"
            f"<p>第五条　本{kind}由{org.name}负责解释。</p>"
            f"<p>第六条　本{kind}自{effective.year}年{effective.month}月{effective.day}日起施行，"
            f"有效期{years_valid}年。</p>"
        )

    def interpretation_body(self, document) -> str:
        subject = document.keywords
        purpose = PURPOSES.get(subject, "")
        return (
            f"<p>一、出台背景。为{purpose}，{document.organisation.name}制定了《{document.title}》"
            f"（{document.document_number}）。</p>"
            f"<p>二、主要内容。文件明确了{subject}工作的适用范围、职责分工和工作要求。"
            f"{self.tasks(subject, 1)}</p>"
            f"<p>三、施行时间。文件自{document.effective_date:%Y年%-m月%-d日}起施行。</p>"
            f"<p>四、解读机关。{document.organisation.name}。</p>"
        )

    def summary(self, body: str) -> str:
        text = re.sub(r"<[^>]+>", "", body)
        return text[:90]

    def dates(self, late_share=0.05):
        """成文日期 and 发布时间; a few items are published after the Art. 26 deadline."""
        rng = self.rng
        span = (self.end - self.start).days
        written = self.start + dt.timedelta(days=rng.randrange(span))
        delay = rng.randint(21, 40) if rng.random() < late_share else rng.randint(0, 10)
        published = add_working_days(written, delay) if delay else written
        if published > self.end:
            published = self.end
        moment = dt.datetime.combine(published, dt.time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])))
        return written, timezone.make_aware(moment)

    def topic(self, name: str) -> Topic:
        if name not in self.topics:
            parent, _ = Topic.objects.get_or_create(name=name, parent=None)
            child_name = TOPICS[name][0]
            self.topics[name], _ = Topic.objects.get_or_create(name=child_name, parent=parent)
        return self.topics[name]

    def fill(self, template: str, org, subject: str, year: int) -> str:
        return template.format(
            org=org.name,
            short=org.display_short_name,
            subject=subject,
            year=year,
            name=self.rng.choice(NAMES),
        )

    # -- pages --------------------------------------------------------------------------------
    def slug(self, page):
        """Slugs follow the common government-site form t20240512_123 instead of the title."""
        self.counter = getattr(self, "counter", 0) + 1
        page.slug = f"t{timezone.localtime(page.first_published_at):%Y%m%d}_{self.counter}"
        return page

    def add(self, parent, page):
        """Create `page` live under `parent` with its historical publication time."""
        parent.add_child(instance=self.slug(page))
        return page

    def item_fields(self, org, subject, topic_name, category, body=None):
        written, published = self.dates()
        body = body or self.paragraphs()
        return dict(
            organisation=org,
            topic=self.topic(topic_name),
            statutory_category=category,
            written_date=written,
            body=body,
            summary=self.summary(body),
            live=True,
            first_published_at=published,
            last_published_at=published,
            source=org.name,
            keywords=subject,
        )

    def article(self, column, templates, **overrides):
        return self.add(column, self.article_page(templates, **overrides))

    def article_page(self, templates, **overrides):
        """An unsaved ArticlePage for a column with these title templates."""
        rng = self.rng
        org = overrides.pop("org", None) or rng.choice(self.org_list)
        subject, topic_name, category = rng.choice(SUBJECTS)
        fields = self.item_fields(org, subject, topic_name, overrides.pop("category", category), body="-")
        title = self.fill(rng.choice(templates), org, subject, fields["written_date"].year)
        fields["body"] = overrides.pop("body", None) or self.article_body(
            templates, title, org, subject, fields["written_date"]
        )
        fields["summary"] = self.summary(fields["body"])
        return ArticlePage(title=title, **fields, **overrides)

    def policy_document(self, library, seq_by_prefix):
        rng = self.rng
        org = rng.choice([self.orgs["xzf"], self.orgs["zfb"]] + self.org_list[2:])
        subject, topic_name, _ = rng.choice(SUBJECTS)
        fields = self.item_fields(org, subject, topic_name, StatutoryCategory.C01, body="-")
        year = fields["written_date"].year
        prefix = org.doc_prefix or "龙府"
        key = (prefix, year)
        seq_by_prefix[key] = seq_by_prefix.get(key, 0) + 1
        kind = DocumentKind.NORMATIVE if rng.random() < 0.65 else DocumentKind.OTHER
        title = self.fill(rng.choice(POLICY_TITLES), org, subject, year)
        effective = fields["written_date"] + dt.timedelta(days=rng.choice([0, 30]))
        years_valid = 2 if "暂行" in title else rng.choice([3, 5])
        fields["body"] = self.policy_body(title, org, subject, effective, years_valid)
        fields["summary"] = self.summary(fields["body"])
        return self.add(
            library,
            PolicyDocumentPage(
                title=title,
                doc_kind=kind,
                document_number=f"{prefix}〔{year}〕{seq_by_prefix[key]}号",
                effective_date=effective,
                expiry_date=years_later(effective, years_valid),
                **fields,
            ),
        )

    def interpretation(self, column, document):
        rng = self.rng
        form = rng.choice([InterpretationForm.TEXT] * 3 + [InterpretationForm.GRAPHIC, InterpretationForm.QA])
        suffix = {"text": "政策解读", "graphic": "一图读懂", "qa": "政策问答", "video": "视频解读"}[form]
        published = document.first_published_at + dt.timedelta(days=rng.choice([0, 0, 1, 2]))
        body = self.interpretation_body(document)
        page = InterpretationPage(
            title=f"{suffix}｜{document.title}",
            form=form,
            organisation=document.organisation,
            topic=document.topic,
            statutory_category=StatutoryCategory.C01,
            written_date=document.written_date,
            body=body,
            summary=self.summary(body),
            live=True,
            first_published_at=published,
            last_published_at=published,
            interpreter=document.organisation.name + "主要负责人",
            source=document.organisation.name,
            keywords=document.keywords,
        )
        # A ParentalManyToManyField is written with the page itself: set before the first save.
        page.documents = [document]
        self.add(column, page)
        return page


def build_site(site_name: str, office):
    """Home page and the fixed column structure; the Wagtail default site points at it. `office` is the
    政府信息公开工作机构 the 指南 names."""
    root = Page.get_first_root_node()
    if root is None:
        # `flush` (demo --reset) also empties the rows Wagtail's migrations created: the default
        # locale and the tree root.

        Locale.objects.get_or_create(language_code=django_settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    # Wagtail's migrations create a plain "Welcome" page; the demo's home page replaces it.
    for child in root.get_children():
        if child.specific_class is Page:
            child.delete()
    home = HomePage(title=site_name, slug="home", intro="以公开为常态、不公开为例外。", live=True)
    root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page = home
        site.site_name = site_name
        site.save()
    else:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name=site_name)

    def column(parent, title, slug, column_type=ColumnType.OTHER, menu=False):
        page = ColumnPage(title=title, slug=slug, column_type=column_type, live=True, show_in_menus=menu)
        parent.add_child(instance=page)
        return page

    cols = {
        "news": column(home, "要闻动态", "ywdt", ColumnType.NEWS, menu=True),
        "notice": column(home, "通知公告", "tzgg", ColumnType.NOTICE, menu=True),
    }
    index = DisclosureIndexPage(
        title="政府信息公开",
        slug="zwgk",
        live=True,
        show_in_menus=True,
        intro="<p>依据《中华人民共和国政府信息公开条例》，本栏目集中公开龙溪县人民政府及其部门、乡镇（街道）的政府信息。</p>",
    )
    home.add_child(instance=index)
    # The section opens with 指南 and 制度 (spec §7.1); the 制度 themselves are items of their column.
    index.add_child(
        instance=InformationPage(title="政府信息公开指南", slug="gkzn", body=guide_html(office), live=True)
    )
    cols["systems"] = column(index, "政府信息公开制度", "gkzd", ColumnType.OTHER)
    cols["personnel"] = column(index, "人事信息", "rsxx", ColumnType.PERSONNEL)
    cols["planning"] = column(index, "规划计划", "ghjh", ColumnType.PLANNING)
    cols["finance"] = column(index, "财政预决算", "czyjs", ColumnType.OTHER)
    cols["interpretation"] = column(index, "政策解读", "zcjd", ColumnType.POLICY, menu=True)
    cols["report"] = column(index, "政府信息公开年报", "gknb", ColumnType.OTHER)
    library = PolicyLibraryPage(
        title="政策文件库",
        slug="zcwjk",
        live=True,
        show_in_menus=True,
        intro="龙溪县人民政府及其部门制发的规范性文件和其他政策文件。",
    )
    home.add_child(instance=library)
    return home, index, library, cols


def generate(
    orgs: dict,
    *,
    seed: int,
    articles: int,
    policies: int,
    interpretations: int,
    today: dt.date,
    progress=None,
    bulk_threshold: int = BULK_THRESHOLD,
):
    """Build the site and its content. Returns counts.

    Up to `bulk_threshold` articles every page goes through Wagtail's `add_child` (the default demo);
    above it the articles are written in batches by `bulk.BulkArticleWriter` (city-scale data).
    """
    rng = random.Random(seed)
    start = dt.date(today.year - 2, 1, 1)
    gen = ContentGenerator(rng, orgs, start, today)
    home, index, library, cols = build_site("龙溪县人民政府", orgs["zfb"])
    cols["enforcement"] = build_disclosure_section(index, cols["systems"], orgs, gen)
    article_columns = [
        (cols["news"], NEWS_TITLES, 45),
        (cols["notice"], NOTICE_TITLES, 30),
        (cols["personnel"], PERSONNEL_TITLES, 10),
        (cols["planning"], PLANNING_TITLES, 8),
        (cols["finance"], FINANCE_TITLES, 7),
    ]
    weights = [w for _, _, w in article_columns]
    writer = None
    if articles > bulk_threshold:
        writer = BulkArticleWriter(random.Random(seed + 1), progress=progress, total=articles)
    planted = PLANTED if articles >= PLANTED else 0  # counted in `articles`
    for i in range(articles - planted):
        column, templates, _ = rng.choices(article_columns, weights=weights)[0]
        category = {"personnel": StatutoryCategory.C14, "finance": StatutoryCategory.C07}.get(
            next(k for k, v in cols.items() if v.pk == column.pk), None
        )
        overrides = {"category": category} if category else {}
        if writer:
            writer.add(column, gen.slug(gen.article_page(templates, **overrides)))
        else:
            gen.article(column, templates, **overrides)
            if progress and i % 200 == 0:
                progress("信息", i, articles)
    if writer:
        writer.finish()
    seqs: dict = {}
    documents = [gen.policy_document(library, seqs) for _ in range(policies)]
    documents.sort(key=lambda d: d.first_published_at)
    normative = [d for d in documents if d.doc_kind == DocumentKind.NORMATIVE]
    # Interpretations for most normative documents (the rest land on the 待解读 list), some for others.
    targets = normative[: max(0, len(normative) - 8)] + [
        d for d in documents if d.doc_kind != DocumentKind.NORMATIVE
    ]
    for document in targets[:interpretations]:
        gen.interpretation(cols["interpretation"], document)
    lifecycle_demo(rng, documents)
    if planted:
        plant_findings(gen, cols)
    return {"articles": articles, "policies": policies, "interpretations": min(interpretations, len(targets))}


def lifecycle_demo(rng, documents):
    """Revise, repeal and expire a few documents so the library shows every 有效性.

    A document is revised or repealed only by a later one of the same organ (an organ amends its own
    documents), preferably on the same subject."""

    half = len(documents) // 2
    older, newer = documents[:half], documents[half:]
    chains = []
    for old in older:
        same_organ = [d for d in newer if d.organisation_id == old.organisation_id]
        same_subject = [d for d in same_organ if d.keywords == old.keywords]
        if same_organ:
            chains.append((old, rng.choice(same_subject or same_organ)))
    for i, (old, new) in enumerate(chains[:10]):
        if i < 6:
            validity, note = Validity.REVISED, f"《{new.title}》施行，原文件同时修订。"
        else:
            validity, note = Validity.REPEALED, f"经清理，予以废止，由《{new.title}》替代。"
        change_validity(old, validity, user=None, on_date=new.written_date, caused_by=new, note=note)
    changed = {old.pk for old, _ in chains[:10]}
    for old in [d for d in older if d.pk not in changed][:3]:
        change_validity(
            old,
            Validity.EXPIRED,
            user=None,
            on_date=old.expiry_date or old.written_date,
            note="有效期届满，自动失效。",
        )


PLANTED = 3  # articles written by plant_findings


def plant_findings(gen, cols) -> dict:
    """A few real mistakes for the screening pages to find, as a county's archive has them: a mobile
    number in a notice, a typo (布署 for 部署) in a news item, an ID number in a list attached to a
    personnel notice."""

    org = gen.orgs["rsj"]
    notice = gen.article(
        cols["notice"],
        ["关于报送{year}年工作情况的通知"],
        org=org,
        body=(
            "<p>为做好今年的相关工作，现将有关事项通知如下。</p>"
            "<p>请各单位于本月底前报送工作情况。联系人：刘芳，手机：13979761234。</p>"
        ),
    )
    news = gen.article(
        cols["news"],
        ["{org}部署下一阶段重点工作"],
        org=gen.orgs["nyncj"],
        body="<p>会议对下一阶段工作作了具体布署，要求各乡镇（街道）压实责任、抓好落实。</p>",
    )
    personnel = gen.article_page(["{org}{year}年公开招聘工作人员公告"], org=org)
    personnel.title = f"{org.name}{personnel.written_date.year}年公开招聘工作人员拟聘用人员公示"
    personnel.attachments = [("document", attachment_with_id_number(org))]
    gen.add(cols["personnel"], personnel)
    return {"mobile": notice, "typo": news, "id_number": personnel}
