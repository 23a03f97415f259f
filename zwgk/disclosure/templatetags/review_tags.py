"""Template tags of the 三审 workflow modal."""

from django import template

from zwgk.disclosure.workflow import blocker_links

register = template.Library()


@register.simple_tag
def review_blockers(obj, action):
    """(reason, address) of what blocks approving `obj`; empty for any action but 批准."""
    if action != "approve" or obj is None:
        return []
    return blocker_links(obj)
