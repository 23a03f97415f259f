"""Injected SEO spam (暗链/被植入内容): found by its shape, not by single words.

A hacked government site carries lines such as "欧洲精品无码一级毛片_91精品国产…" in a footer, or links to
casino sites in an invisible `<div>`. Each is ONE 禁止 finding "疑似暗链/被植入内容" with its span, whether
or not any of its words is in the lexicon:

- text (`spam_runs`): a run dense with 色情/赌博 vocabulary and digits-and-site-name tokens ("91", "av",
  "xx网", a .com/.cc domain): at least two specific spam words, four cues in all, cues covering most of
  the run, and none of the words government prose uses when it *talks about* such content (打击、整治、
  查处…) in the run's own clause: a 扫黄打非 notice is not spam, spam next to a footer's
  "违法和不良信息举报电话" still is. Runs in every screened text (`engine.scan_text`): titles,
  bodies, attachments, OCR text.
- HTML (`scan_html`): hidden markup (`display:none`, `visibility:hidden`, zero size with overflow hidden,
  off-screen positioning such as `position:absolute;left:-9999px`, `font-size:0`, `opacity:0`, the
  `hidden` attribute, rules of a `<style>` block naming a class or id, `<marquee>`) whose content links
  outside the allowed domains or carries spam words; and links outside the allowed domains whose text or
  address is spam-like. A hidden skip link (`.sr-only`, `href="#main"`) and a list of links to other
  gov.cn sites are not findings. Offsets of HTML findings are in the HTML source.

Allowed link domains: every gov.cn and .政务 domain, the host names of the installation's sites
(Wagtail sites, ZWGK_ALLOWED_HOSTS, ZWGK_BASE_URL) and ZWGK_ALLOWED_LINK_DOMAINS.

The engine finds the strong words of STRONG with its one automaton pass (no extra pass over ordinary
text); the analysis below runs only around them.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError
from wagtail.models import Site

from .findings import BLOCK, Finding
from .lexicon.ordinary import ORDINARY, ORDINARY_WORDS

LABEL = "疑似暗链/被植入内容"
SUGGESTION = f"{LABEL}：删除该段内容（含隐藏的链接），并排查网站模板、数据库和服务器文件是否被入侵"
KIND = "spam"  # a kind of its own (findings.KIND_LABELS): listed and filtered as 疑似暗链

# Words specific to porn and gambling spam: rare in government prose outside notices about fighting it.
STRONG = (
    # 色情
    "无码",
    "有码",
    "毛片",
    "黄片",
    "黄色网站",
    "黄色视频",
    "色情",
    "淫秽",
    "成人视频",
    "成人电影",
    "成人网站",
    "成人影院",
    "三级片",
    "伦理片",
    "伦理电影",
    "人妻",
    "少妇",
    "熟女",
    "萝莉",
    "偷拍",
    "自拍偷拍",
    "乱伦",
    "女优",
    "中文字幕",
    "一本道",
    "东京热",
    "巨乳",
    "丝袜美腿",
    "裸聊",
    "约炮",
    "做爱",
    "性爱",
    "啪啪",
    "草榴",
    "福利姬",
    "精品国产",
    "国产精品",
    "欧美日韩",
    "日韩精品",
    "亚洲精品",
    "午夜福利",
    "午夜影院",
    # 赌博
    "娱乐城",
    "百家乐",
    "真人娱乐",
    "赌场",
    "博彩",
    "彩金",
    "老虎机",
    "六合彩",
    "时时彩",
    "赌球",
    "下注",
    "投注",
    "新葡京",
    "葡京",
    "威尼斯人",
    "皇冠体育",
    "开奖结果",
    "赌博",
    "炸金花",
    "德州扑克",
)
# Words spam strings around the strong ones; ordinary on their own.
WEAK = (
    "欧洲",
    "欧美",
    "亚洲",
    "日本",
    "韩国",
    "日韩",
    "国产",
    "精品",
    "高清",
    "在线",
    "观看",
    "免费",
    "视频",
    "电影",
    "影院",
    "影视",
    "播放",
    "一区",
    "二区",
    "三区",
    "午夜",
    "福利",
    "网站",
    "网址",
    "下载",
    "直播",
    "美女",
    "激情",
    "性感",
    "大片",
    "一级",
    "手机版",
    "最新",
    "地址",
    "入口",
    "娱乐",
    "平台",
    "官网",
    "注册",
    "彩票",
    "开户",
    "体育",
    "棋牌",
    "真人",
    "捕鱼",
    "澳门",
    "金沙",
    "太阳城",
    "皇冠",
    "线路",
    "导航",
    "久久",
    "视频在线",
)
# Digits-and-site-name tokens: "91", "av", "xx网", a domain.
SITE = (
    r"(?<![0-9A-Za-z])(?:91|51|69|99|520|1024|2048|5566|3344|4438|7777|8888|xxx|av|porn|sex|jav|hentai)"
    r"(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])[0-9A-Za-z]{1,6}(?:网|影院|社区)"
    r"|(?<![0-9A-Za-z.-])[A-Za-z0-9-]{2,}\.(?:com|net|cc|vip|xyz|top|tv|me|info|club|app|live|la|ws|biz)"
    r"(?![A-Za-z])"
)
# Government prose about such content (扫黄打非, 打击网络赌博): a run near these words is not spam.
COUNTER = (
    "打击",
    "整治",
    "违法",
    "犯罪",
    "查处",
    "举报",
    "严厉",
    "专项",
    "治理",
    "扫黄打非",
    "净网",
    "取缔",
    "非法",
    "案件",
    "依法",
    "严禁",
    "禁止",
    "防范",
    "抵制",
    "清理",
    "涉嫌",
    "判处",
    "侦破",
    "不良信息",
)

_CUE = re.compile(
    "(?P<ordinary>" + "|".join(ORDINARY_WORDS) + ")|"  # first: 国产精品牌 is not the spam word 国产精品
    "(?P<strong>" + "|".join(sorted(STRONG, key=len, reverse=True)) + ")"
    "|(?P<weak>" + "|".join(sorted(WEAK, key=len, reverse=True)) + ")"
    "|(?P<site>" + SITE + ")",
    re.IGNORECASE,
)
_COUNTER = re.compile("|".join(COUNTER))
_CJK = re.compile("[\u4e00-\u9fff]")
# Characters that separate the keywords of a stuffed line without counting as prose.
_FILLER = re.compile(r"[\s_|\-–—,，、.。/·:：;；!！?？()（）\[\]【】《》\"“”'‘’~～+*#]")

_CLAUSE = re.compile(r"[。；;！!？?\n_|]")
WINDOW = 80  # characters around the strong words the text analysis looks at
CONTEXT = 8  # characters before and after a run, within its clause, looked at for COUNTER words
MAX_GAP = 4  # most prose characters between two cues of one run
MIN_STRONG, MIN_CUES, MIN_COVER = 2, 4, 0.6


def spam_runs(text: str, start: int = 0, end: int | None = None, extra=()) -> list[tuple[int, int]]:
    """[(start, end)] of the injected-spam runs in text[start:end]. `extra`: spans of other strong
    words (lexicon words of category 色情/赌博) already found."""
    end = len(text) if end is None else end
    cues = [
        (m.start(), m.end(), m.lastgroup) for m in _CUE.finditer(text, start, end) if m.lastgroup != ORDINARY
    ]
    cues += [(a, b, "strong") for a, b in extra if start <= a and b <= end]
    if len(cues) < MIN_CUES:
        return []
    cues.sort()
    runs, current = [], []
    for cue in cues:
        if current and cue[0] > current[-1][1]:
            gap = text[current[-1][1] : cue[0]]
            if "\n" in gap or len(gap) - len(_FILLER.findall(gap)) > MAX_GAP:  # a run is within a line
                runs.append(current)
                current = []
        if current and cue[1] <= max(c[1] for c in current):
            continue  # inside a cue already counted (a lexicon word inside a longer spam word)
        current.append(cue)
    if current:
        runs.append(current)
    found = []
    for run in runs:
        # A weak word at either end glued to the prose next to it ("…中文字幕 网站标识码") is the page's.
        while run and run[-1][2] == "weak" and _CJK.match(text, run[-1][1]):
            run.pop()
        while run and run[0][2] == "weak" and run[0][0] > 0 and _CJK.match(text, run[0][0] - 1):
            run.pop(0)
        if not run:
            continue
        a, b = run[0][0], max(c[1] for c in run)
        strong = sum(1 for c in run if c[2] == "strong")
        if strong < MIN_STRONG or len(run) < MIN_CUES:
            continue
        span = text[a:b]
        prose = len(span) - len(_FILLER.findall(span))
        covered, last = 0, a
        for c0, c1, _ in run:
            c0 = max(c0, last)
            if c1 > c0:
                covered += len(text[c0:c1]) - len(_FILLER.findall(text[c0:c1]))
                last = c1
        if prose and covered / prose < MIN_COVER:
            continue
        before = _CLAUSE.split(text[max(0, a - CONTEXT) : a])[-1]
        after = _CLAUSE.split(text[b : b + CONTEXT])[0]
        if _COUNTER.search(before + span + after):
            continue  # prose about such content, in the run's own clause
        found.append((a, b))
    return found


def text_findings(text: str, strong_at, extra=()) -> list[Finding]:
    """The spam runs of `text` around the strong words at `strong_at` ([(start, end)], from the engine's
    automaton pass; with `extra` the lexicon's 色情/赌博 words), as 禁止 findings."""
    spans = sorted(set(strong_at) | set(extra))
    if len(spans) < MIN_STRONG:
        return []
    windows: list[list[int]] = []
    for a, b in spans:
        if windows and a - windows[-1][1] <= WINDOW:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    runs: dict[tuple[int, int], None] = {}  # windows may overlap: each run once
    for a, b in windows:
        runs |= dict.fromkeys(spam_runs(text, max(0, a - WINDOW), min(len(text), b + WINDOW), extra))
    return [finding(start, end, text[start:end]) for start, end in runs]


def finding(start: int, end: int, value: str) -> Finding:
    return Finding(KIND, BLOCK, start, end, " ".join(value.split())[:200], SUGGESTION, LABEL)


def cue_terms() -> dict:
    """The strong words, as a group of the engine's lexicon (payload: ("cue", "spam"))."""
    return {word: ("cue", "spam") for word in STRONG}


# --- allowed link domains ------------------------------------------------------------------------
ALWAYS_ALLOWED = ("gov.cn", "政务", "xn--czr694b")  # .政务 and its punycode


def configured_domains(site_hosts=()) -> frozenset:
    """gov.cn, .政务, the installation's own hosts and ZWGK_ALLOWED_LINK_DOMAINS (lower case)."""
    domains = set(ALWAYS_ALLOWED)
    domains |= {h for h in site_hosts if h}
    try:
        domains |= set(getattr(settings, "ZWGK_ALLOWED_LINK_DOMAINS", ()))
        domains |= {h for h in settings.ALLOWED_HOSTS if h and h != "*"}
        domains.add(urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").hostname or "")
    except Exception:  # noqa: BLE001 — no settings module (a script): the fixed list
        pass
    return frozenset(d.strip().lower().lstrip(".") for d in domains if d and d.strip())


def site_domains() -> frozenset:
    """configured_domains with the host names of the installation's Wagtail sites (database)."""
    try:
        hosts = list(Site.objects.values_list("hostname", flat=True))
    except DatabaseError:
        hosts = []
    return configured_domains(hosts)


def host_of(url: str) -> str | None:
    """The lower-case host of an absolute (or protocol-relative) link; None for a relative one."""
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    if not re.match(r"(?i)https?://", url):
        return None
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def allowed(host: str, domains) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


# --- HTML --------------------------------------------------------------------------------------
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_LINKS = {"a": "href", "iframe": "src", "frame": "src", "area": "href"}
_STYLE_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_PX = r"(-?\d+(?:\.\d+)?)(?:px|pt|em|rem|%)?"


def hidden_style(style: str) -> bool:
    """Whether an inline style (or a rule's declarations) hides its element's content."""
    s = re.sub(r"\s+", "", style.lower())
    if re.search(r"display:none|visibility:hidden|opacity:0(?:\.0+)?(?:;|$|!)", s):
        return True
    size = re.search(r"font-size:" + _PX, s)
    if size and float(size.group(1)) <= 1:
        return True
    width = re.search(r"(?<![-a-z])width:" + _PX, s)
    height = re.search(r"(?<![-a-z])height:" + _PX, s)
    tiny = [m for m in (width, height) if m and float(m.group(1)) <= 1]
    if tiny and ("overflow:hidden" in s or len(tiny) == 2):
        return True
    if re.search(r"position:(?:absolute|fixed)", s):
        for side in ("left", "top", "right"):
            offset = re.search(rf"(?<![-a-z]){side}:{_PX}", s)
            if offset and float(offset.group(1)) <= -500:
                return True
    indent = re.search(r"text-indent:" + _PX, s)
    return bool(indent and float(indent.group(1)) <= -500)


class _Element:
    __slots__ = ("tag", "start", "hidden", "root", "text", "links")
    # root: "" (not the outermost hidden element), "hidden" (invisible), "marquee" (scrolls: seen by
    # visitors, so only spam-like content in it counts)

    def __init__(self, tag, start, hidden, root):
        self.tag, self.start, self.hidden, self.root = tag, start, hidden, root
        self.text: list[str] = []
        self.links: list[str] = []


class _Reader(HTMLParser):
    """Hidden blocks (outermost hidden element: [start, end) in the source, text, links) and every link
    outside them ([start, end), url, anchor text)."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[_Element] = []
        self.hidden_selectors: set[str] = set()
        self.blocks: list[tuple[str, int, int, str, list]] = []  # (root, start, end, text, links)
        self.links: list[tuple[int, int, str, str]] = []
        self.anchor: tuple[int, str, list] | None = None  # open link outside a hidden block
        self.in_style = self.in_script = False

    def _at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        start = self._at()
        if tag == "style":
            self.in_style = True
        elif tag == "script":
            self.in_script = True
        parent_hidden = bool(self.stack and self.stack[-1].hidden)
        hidden = bool(
            tag == "marquee"
            or "hidden" in attributes
            or hidden_style(attributes.get("style", ""))
            or any(f".{c}" in self.hidden_selectors for c in attributes.get("class", "").split())
            or (attributes.get("id") and f"#{attributes['id']}" in self.hidden_selectors)
        )
        root = ("marquee" if tag == "marquee" else "hidden") if hidden and not parent_hidden else ""
        element = _Element(tag, start, parent_hidden or hidden, root)
        if tag in _LINKS and attributes.get(_LINKS[tag]):
            url = attributes[_LINKS[tag]]
            holder = element if element.hidden else None
            if holder is not None:
                holder.links.append(url)
            elif tag == "a":
                self.anchor = (start, url, [])
            else:
                self.links.append((start, start + len(self.get_starttag_text() or ""), url, ""))
        if tag in _VOID:
            if element.root:  # a hidden <area>/<iframe>-like void element: a block of its own
                end = start + len(self.get_starttag_text() or "")
                self.blocks.append((element.root, start, end, "", element.links))
            elif element.hidden and self.stack:
                self.stack[-1].links += element.links
            return
        self.stack.append(element)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        elif tag == "script":
            self.in_script = False
        end = self._at() + len(f"</{tag}>")
        if tag == "a" and self.anchor is not None:
            start, url, text = self.anchor
            self.links.append((start, end, url, "".join(text)))
            self.anchor = None
        if not any(e.tag == tag for e in self.stack):
            return
        while self.stack:
            element = self.stack.pop()
            if element.root:
                self.blocks.append((element.root, element.start, end, "".join(element.text), element.links))
            elif element.hidden and self.stack:  # nested hidden element: its content goes up
                self.stack[-1].text += element.text
                self.stack[-1].links += element.links
            if element.tag == tag:
                break

    def handle_data(self, data):
        if self.in_style:
            for selectors, declarations in _STYLE_RULE.findall(data):
                if hidden_style(declarations):
                    self.hidden_selectors |= {s.strip() for s in selectors.split(",") if s.strip()}
            return
        if self.in_script:
            return
        if self.stack and self.stack[-1].hidden:
            self.stack[-1].text.append(data)
        elif self.anchor is not None:
            self.anchor[2].append(data)

    def close(self):
        super().close()
        end = len(self.source)
        while self.stack:  # unclosed elements end with the document
            element = self.stack.pop()
            if element.root:
                self.blocks.append((element.root, element.start, end, "".join(element.text), element.links))
            elif element.hidden and self.stack:
                self.stack[-1].text += element.text
                self.stack[-1].links += element.links


# What a body needs for a finding: markup that can hide (a style, the hidden attribute, a marquee) or an
# absolute link; a body with neither is not parsed.
_HIDING = ("style", "hidden", "<marquee")  # looked for in the lower-cased markup (substring search)
_ABSOLUTE = re.compile(r"""(?i)(?:href|src)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)""")


def _spam_like(text: str) -> bool:
    """A strong spam word or a digits-and-site-name token."""
    return any(m.lastgroup in ("strong", "site") for m in _CUE.finditer(text))


# Parts of gambling and porn host names ("bet365.com", "xpj888.cc", "91porn.com"): host labels are split
# at dots, hyphens and letter/digit boundaries.
HOST_TOKENS = frozenset(
    "bet casino porn sex xxx av jav hentai qipai yule dubo bocai caipiao poker slot slots baccarat xpj "
    "amjs hgw vns 365 888 666 777 999 91 520 1024".split()
)


def _spam_host(host: str) -> bool:
    return any(token in HOST_TOKENS for token in re.findall(r"[a-z]+|\d+", host.lower()))


def scan_html(html: str, domains) -> list[Finding]:
    """禁止 findings "疑似暗链/被植入内容" in the markup of a page or a rich-text body (offsets in `html`):
    hidden blocks that link outside `domains` or carry spam words, and visible links outside `domains`
    whose text or address is spam-like (neighbouring ones are one finding). A hidden block whose text is
    a spam run already is left to the text screening (one finding for one injection). The domains loaded
    with the screening rules: engine.scan_html."""
    if not html or "<" not in html:
        return []
    lowered = html.lower()
    if not any(marker in lowered for marker in _HIDING) and (
        "//" not in html or all(allowed(host_of(url) or "", domains) for url in _ABSOLUTE.findall(html))
    ):
        return []  # most bodies: nothing hidden, links only inside the allowed domains (no parse)
    reader = _Reader(html)
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # noqa: BLE001 — broken markup: what was read so far
        pass
    found = []
    for root, start, end, text, links in reader.blocks:
        hosts = [h for u in links if (h := host_of(u)) is not None and not allowed(h, domains)]
        if spam_runs(text):
            continue  # the text screening reports it
        if root == "marquee":
            hit = _spam_like(text) or any(_spam_host(h) for h in hosts)
        else:
            hit = bool(hosts) or _spam_like(text)
        if hit:
            shown = " ".join(text.split())
            if hosts:
                shown += f"（链接：{'、'.join(dict.fromkeys(hosts))}）"
            found.append(finding(start, end, shown))
    suspicious = []
    for start, end, url, text in reader.links:
        host = host_of(url)
        if host is None or allowed(host, domains):
            continue
        if (_spam_like(text) or _spam_host(host)) and not spam_runs(text):
            suspicious.append((start, end, f"{' '.join(text.split())} {url}".strip()))
    group: list = []
    for item in suspicious + [(None, None, None)]:
        if group and (item[0] is None or item[0] - group[-1][1] > 200):
            found.append(finding(group[0][0], group[-1][1], "；".join(t for _, _, t in group)))
            group = []
        if item[0] is not None:
            group.append(item)
    found.sort(key=lambda f: f.start)
    return found
