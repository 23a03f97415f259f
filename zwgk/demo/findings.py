"""Demo only: the attachment with a planted ID number (`content.plant_findings`)."""

import io

import docx
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from zwgk.screening.personal import id_check_digit

# A fictional person born 1996-03-12, registered in the demo region (36 = 江西); valid check digit.
ID_FIRST17 = "36079919960312402"
DEMO_ID_NUMBER = ID_FIRST17 + id_check_digit(ID_FIRST17)


def attachment_with_id_number(org):
    """A DOCX list of candidates in which one row shows a full 居民身份证号码 (it should be masked)."""
    document = docx.Document()
    document.add_heading("拟聘用人员名单", level=1)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "姓名", "身份证号码"), strict=True):
        cell.text = text
    for n, (name, number) in enumerate(
        (("陈海波", "已隐去"), ("杨帆", DEMO_ID_NUMBER), ("周敏", "已隐去")), 1
    ):
        for cell, text in zip(table.add_row().cells, (str(n), name, number), strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    model = get_document_model()
    item = model(title="拟聘用人员名单", collection=org.ensure_collection())
    item.file.save("nipinyong-mingdan.docx", ContentFile(out.getvalue()), save=False)
    item.save()
    return item
