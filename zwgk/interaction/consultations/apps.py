from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "zwgk.interaction.consultations"
    label = "consultations"
    verbose_name = "意见征集"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from zwgk.core import digest

        from . import tasks

        digest.register("意见征集附件补充审查（处理中断时未审查的）", tasks.screen_pending_attachments)
