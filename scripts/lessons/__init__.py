"""Lesson packs for teachers: data, pages, downloads and posters.

    model        read and check data/lessons/*.yml (file and line in every error)
    text         labels (grades, subject, time), facts and furigana in printed text
    pages        the Markdown of lesson pages, the lesson finder, JSON-LD
    documents    HTML for worksheets, teacher guides, slides, infographics, posters
    render       HTML -> PDF (WeasyPrint) -> PNG (PDFium); runs in worker processes
    downloads    what to make, the content-addressed cache, ZIPs with manifests
    site         the MkDocs glue that scripts/hooks.py calls (pages, downloads)

MkDocs reaches this package only through scripts/hooks.py.
"""
