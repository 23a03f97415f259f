"""Masking inside attachments: DOCX and XLSX are regenerated with the masked values; in images and scanned
PDF pages the boxes found by OCR are filled (image_masking.py); the original file is moved to a login-only
collection (kept, access-controlled — nothing is lost). Text in a PDF's text layer cannot be edited here:
the page is withdrawn and a masked PDF must be uploaded again."""

import io

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from zwgk.core.storage import PRIVATE_COLLECTION

from . import image_masking
from .personal import mask


def private_collection():
    root = Collection.get_first_root_node()
    collection = Collection.objects.filter(name=PRIVATE_COLLECTION).first() or root.add_child(
        name=PRIVATE_COLLECTION
    )
    CollectionViewRestriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": CollectionViewRestriction.LOGIN}
    )
    return collection


def _replace_in_paragraph(paragraph, replacements):
    text = paragraph.text
    if not any(old in text for old in replacements):
        return
    for run in paragraph.runs:  # keep formatting where the value sits inside one run
        for old, new in replacements.items():
            if old in run.text:
                run.text = run.text.replace(old, new)
    if any(old in paragraph.text for old in replacements):  # split across runs: rewrite the paragraph text
        new_text = paragraph.text
        for old, new in replacements.items():
            new_text = new_text.replace(old, new)
        for run in paragraph.runs[1:]:
            run.text = ""
        paragraph.runs[0].text = new_text


def mask_docx(data: bytes, replacements: dict) -> bytes:
    import docx  # heavy: python-docx takes 0.1 s to import, only to mask a DOCX

    document = docx.Document(io.BytesIO(data))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        _replace_in_paragraph(paragraph, replacements)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def mask_xlsx(data: bytes, replacements: dict) -> bytes:
    import openpyxl  # heavy: 0.2 s to import, only to mask an XLSX

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, (int, float)) and str(int(value)) in replacements:
                    cell.value = replacements[str(int(value))]
                elif isinstance(value, str) and any(old in value for old in replacements):
                    for old, new in replacements.items():
                        value = value.replace(old, new)
                    cell.value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


MASKERS = {"docx": mask_docx, "xlsx": mask_xlsx}


def maskable(document, findings) -> list:
    """The findings `masked_copy` can mask in `document`: all in a DOCX/XLSX, those with an OCR box in an
    image or a PDF, none in other files."""
    extension = document.file.name.rsplit(".", 1)[-1].lower()
    if extension in MASKERS:
        return list(findings)
    if extension == "pdf" or extension in image_masking.IMAGE_FORMATS:
        return [f for f in findings if f.box and f.page_number]
    return []


def masked_copy(document, findings, user):
    """A new Document with the findings masked, the original moved to the private collection; or None
    (nothing here can be masked: see `maskable`)."""
    extension = document.file.name.rsplit(".", 1)[-1].lower()
    findings = maskable(document, findings)
    if not findings:
        return None
    with document.file.open("rb") as handle:
        original = handle.read()
    if extension in MASKERS:
        data = MASKERS[extension](original, {f.text: mask(f.kind, f.text) for f in findings})
    else:
        data = image_masking.mask_file(original, extension, findings)
    copy = Document.objects.create(
        title=document.title,
        collection=document.collection,
        uploaded_by_user=user,
        file=ContentFile(data, name=document.file.name.rsplit("/", 1)[-1]),
    )
    document.collection = private_collection()
    document.title = f"{document.title}（原件，已脱敏替换）"
    document.save(update_fields=["collection", "title"])
    return copy
