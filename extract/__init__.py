"""Stage 2: every page's text and the budget tables, with pdfplumber."""
