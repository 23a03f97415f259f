"""The demo sites' footer facts and home-page panels (国办发〔2017〕47号 footer, issue 26): 主办/承办单位,
网站标识码, ICP and 公安 备案 numbers, the 党政机关网站标识 link, a 专题专栏 with sub-columns that 引用 existing
items, the 办事服务 entry, and photos in the latest 要闻 (drawn here: the repository ships no photographs).

The 备案 numbers are zeros (no real registrant has them) in the registries' formats; the 党政机关 link points
at the registry's verification page without a real site id."""

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model
from wagtail.models import Collection, Site

from zwgk.disclosure.models import ArticlePage, ColumnPage
from zwgk.disclosure.vocab import ColumnType
from zwgk.portal.models import ItemReference, PortalSettings
from zwgk.screening.services import store_image_text

SERVICE_URL = "https://gjzwfw.www.gov.cn/"  # 国家政务服务平台
PARTY_MARK_URL = "https://bszs.conac.cn/sitename?method=show&id=0"
TOPICS = (  # 专题 → the words of the items it holds (the oldest moved in, the others listed by 引用)
    ("优化营商环境", ("营商",)),
    ("城镇老旧小区改造", ("老旧小区",)),
    ("防汛抗旱", ("防汛", "抗旱")),
    ("高标准农田建设", ("农田", "春耕")),
)
PICTURES = 4


def fill_portal_settings(orgs: dict, *, seed: int = 0) -> None:
    """Footer facts for every demo site; the government portal also gets its 专题, 办事 and photos."""
    government = orgs["xzf"]
    for settings_row in PortalSettings.objects.select_related("site", "organisation"):
        organ = settings_row.organisation or (government if settings_row.site.is_default_site else None)
        if organ is None:
            continue
        settings_row.organisation = organ
        settings_row.sponsor = settings_row.sponsor or (
            "龙溪县人民政府办公室" if organ == government else organ.name
        )
        settings_row.organiser = settings_row.organiser or (
            "龙溪县大数据中心" if organ == government else f"{organ.name}办公室"
        )
        settings_row.contact = settings_row.contact or organ.phone
        settings_row.site_code = settings_row.site_code or government.site_code
        settings_row.icp_number = "赣ICP备00000000号" + ("" if settings_row.site.is_default_site else "-1")
        settings_row.police_number = "赣公网安备 36079902000000号"
        settings_row.party_mark_url = PARTY_MARK_URL
        settings_row.service_url = SERVICE_URL
        if settings_row.site.is_default_site:
            settings_row.topic_column = _topic_column(settings_row.site)
        settings_row.full_clean()
        settings_row.save()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        _news_pictures(site.root_page, random.Random(seed))


def _topic_column(site):
    """专题专栏 under the home page: one sub-column per topic that has items. The oldest item about the
    topic moves into it (a column with items of its own: no 空白栏目 for the monitoring), the others are
    listed there by 引用 without copies. No new items: the demo's counts stay as generated."""
    home = site.root_page
    column = ColumnPage.objects.child_of(home).filter(slug="ztzl").first()
    news = ArticlePage.objects.live().descendant_of(home).order_by("-first_published_at", "-id")
    if column is not None:
        news = news.not_descendant_of(column)
    topics = [
        (n, title, list(news.filter(title__iregex="|".join(words))[:12]))
        for n, (title, words) in enumerate(TOPICS, start=1)
    ]
    topics = [(n, title, items) for n, title, items in topics if len(items) >= 2]
    if not topics:
        return column
    if column is None:
        column = home.add_child(
            instance=ColumnPage(
                title="专题专栏", slug="ztzl", column_type=ColumnType.OTHER, show_in_menus=False
            )
        )
        column.save_revision().publish()
    moved = set()
    for n, title, items in topics:
        sub = ColumnPage.objects.child_of(column).filter(title=title).first()
        if sub is None:
            sub = column.add_child(
                instance=ColumnPage(title=title, slug=f"zt{n:02d}", column_type=ColumnType.OTHER)
            )
            sub.save_revision().publish()
            own = next(item for item in reversed(items) if item.pk not in moved)
            own.move(sub, pos="last-child")
            moved.add(own.pk)
            items.remove(own)
        for item in items:
            ItemReference.objects.get_or_create(column=sub, item=item)
    return column


def _news_pictures(home, rng):
    """A photo in the body of the latest 要闻 items (the home page's 图片新闻)."""
    news = ColumnPage.objects.live().descendant_of(home).filter(column_type=ColumnType.NEWS).first()
    if news is None:
        return
    collection = Collection.get_first_root_node()
    Image = get_image_model()
    done = 0
    for item in ArticlePage.objects.live().child_of(news).order_by("-first_published_at", "-id")[:20]:
        if done == PICTURES:
            break
        if 'embedtype="image"' in item.body:
            done += 1
            continue
        scene = _scene_for(item.title)
        buffer = io.BytesIO()
        _draw(scene, rng).save(buffer, "JPEG", quality=82)
        image = Image(title=f"{item.title}（配图）", collection=collection)
        image.file = ImageFile(buffer, name=f"demo-news-{item.pk}.jpg")
        image.save()
        store_image_text(
            image
        )  # read (OCR) now: a page is not published while its picture waits for screening
        alt = {"fields": "田野", "water": "河流", "hills": "青山", "town": "城镇"}[scene]
        item.body = f'<embed alt="{alt}" embedtype="image" format="fullwidth" id="{image.pk}"/>' + item.body
        item.save_revision().publish()
        done += 1


def _scene_for(title: str) -> str:
    for scene, words in (
        ("fields", ("农田", "春耕", "农业", "乡村", "粮")),
        ("water", ("防汛", "水", "河")),
        ("hills", ("生态", "环境", "林", "旅游")),
    ):
        if any(w in title for w in words):
            return scene
    return "town"


def _draw(scene: str, rng, size=(960, 600)):
    """A simple landscape in the manner of a photo: sky, hills and the scene's foreground."""
    w, h = size
    img = PILImage.new("RGB", size)
    d = ImageDraw.Draw(img)
    for y in range(h):  # sky
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(120 + 100 * t), int(170 + 60 * t), int(225 + 20 * t)))
    horizon = int(h * rng.uniform(0.42, 0.52))
    for layer, colour in enumerate(((120, 150, 140), (80, 130, 90), (60, 110, 60))):
        base = horizon + layer * 25
        points = [(0, h)]
        phase, amp = rng.uniform(0, 6.28), rng.uniform(30, 70) / (layer + 1)
        for x in range(0, w + 20, 20):
            points.append((x, base - amp * (1 + math.sin(x / rng.uniform(90, 160) + phase))))
        points.append((w, h))
        d.polygon(points, fill=colour)
    ground = horizon + 70
    if scene == "fields":
        for k in range(10):
            y0 = ground + k * (h - ground) // 10
            green = (90 + 12 * (k % 3), 150 + 8 * (k % 2), 60)
            d.rectangle([0, y0, w, h], fill=green)
            d.line([(0, y0), (w, y0)], fill=(70, 120, 50), width=2)
    elif scene == "water":
        d.rectangle([0, ground, w, h], fill=(70, 120, 70))
        d.polygon([(w * 0.35, ground), (w * 0.6, ground), (w * 0.95, h), (w * 0.05, h)], fill=(90, 140, 190))
        for k in range(14):
            y = ground + 20 + k * (h - ground) // 15
            d.line([(w * 0.3, y), (w * 0.7, y)], fill=(150, 190, 225), width=2)
    elif scene == "hills":
        d.rectangle([0, ground, w, h], fill=(60, 115, 60))
        for _ in range(40):
            x, y = rng.randrange(w), rng.randrange(ground, h)
            r = rng.randrange(12, 26)
            d.ellipse([x - r, y - 2 * r, x + r, y], fill=(40, 95 + rng.randrange(30), 45))
    else:
        d.rectangle([0, ground, w, h], fill=(120, 125, 120))
        x = 20
        while x < w:
            bw, bh = rng.randrange(60, 120), rng.randrange(120, 300)
            shade = rng.randrange(190, 235)
            d.rectangle([x, ground - bh + 60, x + bw, h], fill=(shade, shade - 5, shade - 15))
            for wy in range(ground - bh + 75, h - 20, 26):
                for wx in range(x + 8, x + bw - 12, 18):
                    d.rectangle([wx, wy, wx + 9, wy + 13], fill=(120, 150, 180))
            x += bw + rng.randrange(8, 30)
    return img.filter(ImageFilter.GaussianBlur(1.2))
