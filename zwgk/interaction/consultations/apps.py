from django.apps import AppConfig

from zwgk.core import digest


class ConsultationsConfig(AppConfig):
    name = "zwgk.interaction.consultations"
    label = "consultations"
    verbose_name = "意见征集"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import tasks  # ready(): it imports models, loadable only now

        digest.register("意见征集附件补充审查（处理中断时未审查的）", tasks.screen_pending_attachments)
