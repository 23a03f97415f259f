"""Deterministic demo content for 龙溪县: site tree, articles, policy documents, interpretations.

Prose is assembled from the real government texts in ../shared/corpus (cleaned: inline pinyin
annotations removed, traditional → simplified), never lorem ipsum. Same seed, same county.
"""

import datetime as dt
import random
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page, Site

from zwgk.core.workdays import add_working_days
from zwgk.text.normalize import to_simplified

from .models import (
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
from .vocab import ColumnType, DocumentKind, InterpretationForm, StatutoryCategory, Validity

CORPUS_DIR = Path(settings.BASE_DIR).parent / "shared" / "corpus"
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")

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
# Above this many articles `zwgk demo` writes them in bulk (see bulk.py).
BULK_THRESHOLD = 5000
NAMES = ["张建国", "李红", "王志刚", "刘芳", "陈海波", "杨帆", "黄晓东", "周敏"]


def years_later(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def corpus_sentences() -> list[str]:
    """Clean sentences from the shared corpus (or a built-in fallback when it is not checked out)."""
    sentences: list[str] = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        text = to_simplified(
            _PINYIN.sub("", path.read_text(encoding="utf-8", errors="ignore")).replace("??", "")
        )
        for s in re.split(r"(?<=[。！？])", text):
            s = re.sub(r"\s+", "", s)
            if 14 <= len(s) <= 90 and not re.search(
                r"[a-zA-Z]{4,}|http|浏览次数|发布时间|未完|全文共|仅显示|提示信息", s
            ):
                sentences.append(s)
    if not sentences:
        sentences = [
            "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
            "进一步健全政府信息公开工作机制，不断提升政务公开标准化规范化水平。",
            "围绕群众关切，及时发布政策文件并同步做好政策解读和回应工作。",
        ]
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
        fields = self.item_fields(org, subject, topic_name, overrides.pop("category", category))
        title = self.fill(rng.choice(templates), org, subject, fields["written_date"].year)
        return ArticlePage(title=title, **fields, **overrides)

    def policy_document(self, library, seq_by_prefix):
        rng = self.rng
        org = rng.choice([self.orgs["xzf"], self.orgs["zfb"]] + self.org_list[2:])
        subject, topic_name, _ = rng.choice(SUBJECTS)
        fields = self.item_fields(org, subject, topic_name, StatutoryCategory.C01)
        year = fields["written_date"].year
        prefix = org.doc_prefix or "龙府"
        key = (prefix, year)
        seq_by_prefix[key] = seq_by_prefix.get(key, 0) + 1
        kind = DocumentKind.NORMATIVE if rng.random() < 0.65 else DocumentKind.OTHER
        title = self.fill(rng.choice(POLICY_TITLES), org, subject, year)
        effective = fields["written_date"] + dt.timedelta(days=rng.choice([0, 30]))
        years_valid = 2 if "暂行" in title else rng.choice([3, 5])
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
        body = self.paragraphs(3, 5)
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
        )
        self.add(column, page)
        page.documents.add(document)
        page.save(update_fields=[])
        return page


def build_site(site_name: str):
    """Home page and the fixed column structure; the Wagtail default site points at it."""
    root = Page.get_first_root_node()
    if root is None:
        # `flush` (demo --reset) also empties the rows Wagtail's migrations created: the default
        # locale and the tree root.
        from django.conf import settings as django_settings
        from wagtail.models import Locale

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
    for title, slug, body in (
        ("政府信息公开指南", "gkzn", GUIDE_HTML),
        (
            "政府信息公开制度",
            "gkzd",
            "<p>《龙溪县政府信息公开保密审查办法》《龙溪县政策文件解读办法》《龙溪县依申请公开工作规程》等制度全文在此公开。</p>",
        ),
    ):
        index.add_child(instance=InformationPage(title=title, slug=slug, body=body, live=True))
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


GUIDE_HTML = (
    "<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
    "<h3>一、主动公开</h3><p>主动公开的政府信息自该信息形成或者变更之日起20个工作日内予以公开，公开渠道为本门户网站、政府公报等。</p>"
    "<h3>二、依申请公开</h3><p>公民、法人或者其他组织可以通过互联网、信函、当面等方式提出政府信息公开申请。"
    "行政机关能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。</p>"
    "<h3>三、政府信息公开工作机构</h3><p>名称：龙溪县人民政府办公室政务公开办；办公地址：龙溪县人民路1号；办公时间：工作日上午8:30—12:00，下午14:30—17:30；联系电话：0797-6120001；传真：0797-6120002。</p>"
)


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
    home, index, library, cols = build_site("龙溪县人民政府")
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
        from .bulk import BulkArticleWriter

        writer = BulkArticleWriter(random.Random(seed + 1), progress=progress, total=articles)
    for i in range(articles):
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
    return {"articles": articles, "policies": policies, "interpretations": min(interpretations, len(targets))}


def lifecycle_demo(rng, documents):
    """Revise, repeal and expire a few documents so the library shows every 有效性."""
    from .lifecycle import change_validity

    older = [d for d in documents[: len(documents) // 2]]
    newer = documents[len(documents) // 2 :]
    for old in older[:6]:
        new = rng.choice([d for d in newer if d.organisation_id == old.organisation_id] or newer)
        change_validity(
            old,
            Validity.REVISED,
            user=None,
            on_date=new.written_date,
            caused_by=new,
            note="新文件施行，原文件同时修订。",
        )
    for old in older[6:10]:
        new = rng.choice(newer)
        change_validity(
            old,
            Validity.REPEALED,
            user=None,
            on_date=new.written_date,
            caused_by=new,
            note="经清理，予以废止。",
        )
    for old in older[10:13]:
        change_validity(
            old,
            Validity.EXPIRED,
            user=None,
            on_date=old.expiry_date or old.written_date,
            note="有效期届满，自动失效。",
        )
