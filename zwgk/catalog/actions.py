"""Back-office actions on an organ's 标准目录, as Wagtail's action classes: `is_available(obj, user)` says
who may do what, `execute(obj, user, data)` calls the one service function."""

from . import services
from .forms import AddItemForm, AdoptForm, EditItemForm


class CatalogAction:
    name = ""
    label = ""
    form_class = None
    done = "已保存。"

    def is_available(self, obj, user) -> bool:
        organisation = getattr(obj, "organisation", obj)
        return services.can_edit(user, organisation) if user is not None else False


class AdoptArea(CatalogAction):
    name, label, form_class, done = "adopt", "采用领域", AdoptForm, "已采用领域的标准指引事项。"

    def execute(self, organisation, user, data):
        created = services.adopt_area(organisation, data["area_code"], user=user)
        return f"已采用 {len(created)} 项（已在目录中的事项保持不变）。"


class AddItem(CatalogAction):
    name, label, form_class, done = "add", "增加事项", AddItemForm, "已增加事项。"

    def execute(self, organisation, user, data):
        fields = {k: v for k, v in data.items() if k not in ("area_code", "area_name")}
        return services.add_local_item(
            organisation,
            user=user,
            area_code=data["area_code"],
            area_name=data.get("area_name", ""),
            **fields,
        )


class EditItem(CatalogAction):
    name, label, form_class, done = "edit", "编辑和绑定", EditItemForm, "已保存事项及其栏目绑定。"

    def execute(self, item, user, data):
        columns, categories = data.pop("columns"), data.pop("categories")
        confirm = data.pop("confirm", ())
        item = services.update_item(item, user=user, confirm=confirm, **data)
        return services.bind_item(item, user=user, columns=columns, categories=categories)


class RemoveItem(CatalogAction):
    name, label, done = "remove", "删除事项", "已从标准目录中删除该事项。"

    def execute(self, item, user, data=None):
        services.remove_item(item, user=user)


ACTIONS = {a.name: a for a in (AdoptArea(), AddItem(), EditItem(), RemoveItem())}
