from wagtail import hooks

from .models import ApplicationEvent


@hooks.register("register_log_actions")
def register_application_actions(actions):
    for kind, label in ApplicationEvent.LABELS.items():
        actions.register_action(f"zwgk.application.{kind}", label, label)
