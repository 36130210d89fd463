"""Reading PDFs in tests: their text, as pypdf extracts it."""

import io

from pypdf import PdfReader


def pdf_text(content):
    """All the text, with line breaks and runs of spaces made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(content):
    return len(PdfReader(io.BytesIO(content)).pages)
