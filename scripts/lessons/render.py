"""HTML -> PDF (WeasyPrint) -> PNG (PDFium): the slow part, run in worker processes.

Pure functions of their input: the same HTML gives the same bytes. WeasyPrint
writes no dates unless the HTML asks for them, and every document is
rendered against one fixed base URL. PNGs carry only the pixel density
(pHYs); Pillow adds no time stamp.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image

BASE_URL = "file:///lesson-pack/"  # fixed: nothing is loaded from it, and it never varies


class RenderError(Exception):
    pass


def watch_parent(parent: int) -> None:
    """Worker initializer: end this worker when the build that started it is gone
    (killed, or a preview server stopped with Ctrl+C), instead of lingering."""
    import os
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def pdf_bytes(html: str, crowded: list[str] | None = None) -> tuple[bytes, list[str]]:
    """A tagged PDF (PDF/UA-1) and any warnings WeasyPrint logged. With a `crowded` list, the parts
    of a fixed-size sheet (poster) that overlap because the sheet is too full are added to it."""
    from weasyprint import HTML

    warnings: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        document = HTML(string=html, base_url=BASE_URL).render(pdf_variant="pdf/ua-1")
        if crowded is not None:
            crowded.extend(overlaps(document))
        data = document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        logger.removeHandler(handler)
    return data, warnings


def overlaps(document) -> list[str]:
    """Blocks of a poster's `.body` that run into the next one. A poster is one fixed sheet whose
    parts are spread over it: content that does not fit makes them overlap (or clips the foot)
    instead of making a second page, so the page count alone cannot tell."""
    found = []

    def walk(box):
        element = getattr(box, "element", None)
        children = getattr(box, "children", None) or []
        if element is not None and "body" in (element.get("class") or "").split():
            blocks = [c for c in children if getattr(c, "element", None) is not None and c.element is not element]
            for above, below in zip(blocks, blocks[1:]):
                overlap = above.position_y + above.margin_height() - below.position_y
                if overlap > 0.5:  # CSS px; less is rounding
                    name = (below.element.get("class") or below.element.tag).split()[0]
                    found.append(f"the {name} block overlaps the one above it by {overlap * 0.75:.0f} pt")
            return
        for child in children:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def png_pages(pdf: bytes, scale: float, dpi: int | None = None) -> list[bytes]:
    """Every page as a PNG at `scale` pixels per PDF point.

    With a dpi, the image is exactly the paper size at that density (A4 at 300
    dpi is 2480 × 3508): PDFium rounds 2480.3 px up, so the extra column of
    white is cropped off."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    out = []
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=scale).to_pil().convert("RGB")
            if dpi:
                width, height = (round(points / 72 * dpi) for points in page.get_size())
                if image.size != (width, height):
                    canvas = Image.new("RGB", (width, height), "white")
                    canvas.paste(image, (0, 0))
                    image = canvas
            page.close()
            # Flat colours and text: a 256-colour palette looks the same and is a third of the size.
            image = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
            buffer = io.BytesIO()
            options = {"dpi": (dpi, dpi)} if dpi else {}
            image.save(buffer, "PNG", **options)
            out.append(buffer.getvalue())
    finally:
        document.close()
    return out


def run_job(job: dict) -> dict:
    """Render one job into job['dir'] (a fresh folder): doc.pdf and page-NN.png."""
    folder = Path(job["dir"])
    folder.mkdir(parents=True, exist_ok=True)
    crowded: list[str] = []
    pdf, warnings = pdf_bytes(job["html"], crowded if job.get("sheet") else None)
    (folder / "doc.pdf").write_bytes(pdf)
    pages = []
    if job.get("png"):
        for number, data in enumerate(png_pages(pdf, job["png"]["scale"], job["png"].get("dpi")), start=1):
            name = f"page-{number:02d}.png"
            (folder / name).write_bytes(data)
            pages.append(name)
    return {"key": job["key"], "warnings": warnings, "pages": pages, "crowded": crowded}
