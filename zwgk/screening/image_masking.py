"""Masking in images and scanned PDF pages: the box of each finding (found by OCR, `ocr.locate`) is filled
— an opaque black rectangle, never a blur, which can be undone — in a new copy; the original is kept
private for the record by the caller (`masking.masked_copy`).

A PDF keeps its pages that have nothing to mask as they are; a page with a box is replaced by its image at
ZWGK_OCR_DPI with the box filled (it was a scan: it had no text layer to lose).
"""

import io

from PIL import Image, ImageDraw, ImageOps

from . import ocr

FILL = 0  # black
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "tif": "TIFF", "tiff": "TIFF", "bmp": "BMP"}
IMAGE_FORMATS |= {"gif": "PNG"}  # a GIF's first frame, saved losslessly


def _fill(image, boxes, scale=1.0, margin=2):
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle(
            (x0 * scale - margin, y0 * scale - margin, x1 * scale + margin, y1 * scale + margin), fill=FILL
        )
    return image


def mask_image(data: bytes, extension: str, boxes: list) -> bytes:
    """The image with `boxes` (pixels, x0 y0 x1 y1) filled, in the same format (PNG for a GIF)."""
    with Image.open(io.BytesIO(data)) as original:
        image = ImageOps.exif_transpose(original)  # OCR read it upright: the boxes are upright
        image = image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode)
    _fill(image, boxes)
    out = io.BytesIO()
    image.save(out, IMAGE_FORMATS.get(extension, "PNG"))
    return out.getvalue()


def mask_pdf(data: bytes, boxes_by_page: dict) -> bytes:
    """The PDF with each page of `boxes_by_page` ({page number: [boxes in points from the top left]})
    replaced by its rendered image with the boxes filled; the other pages copied untouched."""
    import pypdfium2 as pdfium  # heavy: 0.1 s to import, only to mask a scanned PDF
    from pypdf import PdfReader, PdfWriter  # heavy: 0.2 s to import, as pypdfium2

    dpi = ocr.config()["dpi"]
    scale = dpi / 72
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    document = pdfium.PdfDocument(data)
    try:
        for number, page in enumerate(reader.pages, start=1):
            boxes = boxes_by_page.get(number)
            if not boxes:
                writer.add_page(page)
                continue
            rendered = document[number - 1].render(scale=scale).to_pil().convert("RGB")
            _fill(rendered, boxes, scale=scale)
            single = io.BytesIO()
            rendered.save(single, "PDF", resolution=dpi)
            writer.add_page(PdfReader(io.BytesIO(single.getvalue())).pages[0])
    finally:
        document.close()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def boxes_of(findings) -> dict:
    """{page number: [box]} of the findings that carry a box (found by OCR)."""
    pages: dict = {}
    for finding in findings:
        box = ocr.parse_box(finding.box)
        if box is not None and finding.page_number:
            pages.setdefault(finding.page_number, []).append(box)
    return pages


def mask_file(data: bytes, extension: str, findings) -> bytes | None:
    """A masked copy of an image or scanned PDF, or None when no finding has a box to fill."""
    pages = boxes_of(findings)
    if not pages:
        return None
    if extension == "pdf":
        return mask_pdf(data, pages)
    if extension in IMAGE_FORMATS:
        return mask_image(data, extension, pages.get(1, []))
    return None
