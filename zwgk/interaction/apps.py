from django.apps import AppConfig

from zwgk.core import digest


class InteractionConfig(AppConfig):
    name = "zwgk.interaction"
    label = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        from . import search_index, tasks  # ready(): they import models, loadable only now

        digest.register("留言满2个月未答复提醒", tasks.send_message_alerts)
        search_index.register()  # published messages in the portal search (互动交流)
        digest.register("留言附件补充审查（处理中断时未审查的）", tasks.screen_pending_attachments)
