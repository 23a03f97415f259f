"""What happens when a 三审 workflow completes (imported by Wagtail's settings: keep imports lazy)."""


def publish_approved(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: the last 终审 approval publishes the reviewed revision.

    The completed 三审 is the authority to publish, so the final reviewer needs no publish
    permission of their own (and therefore cannot publish anything without the workflow).
    """
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
