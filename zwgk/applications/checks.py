"""`zwgk check`: warn when PDF letters cannot be generated on this server."""

from django.core import checks

from .letters import cjk_font_path


@checks.register(checks.Tags.compatibility)
def cjk_font_installed(app_configs, **kwargs):
    if cjk_font_path() is not None:
        return []
    return [
        checks.Warning(
            "未找到可嵌入PDF的中文字体：答复告知书只能生成Word版。",
            hint="apt-get install fonts-wqy-microhei，或用 ZWGK_CJK_FONT 指定一个 TrueType 中文字体文件。",
            id="zwgk.W001",
        )
    ]
