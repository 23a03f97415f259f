"""Plain text of an HTML fragment (rich-text fields, HTML attachments), for screening and search."""

import html
import re


def html_to_text(markup: str) -> str:
    """Tags dropped, block ends as line breaks, entities decoded; script and style contents removed."""
    markup = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6])>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))
