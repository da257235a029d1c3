"""Replicas of the platforms Norwegian municipalities publish on, beyond Bærum's own site.

One module per platform, each written from the platform's documented shape before any
adapter reads it (docs/replicas.md says what is documented and what is assumed):

- ``einnsyn``: the eInnsyn JSON API (``felleslosninger/einnsyn-api-spec``), answered by code
  on its own host: API key, cursor paging, ``expand``, search, downloads;
- ``opengov``: Tietoevry 360 OpenGov meeting pages (HTML, as public scrapers read them);
- ``framsikt``: the static files behind a Framsikt web publication;
- ``acos``: a second skin of the classic ACOS Innsyn portal (Asker's), with its own CMS.

``sample.municipalities`` puts them together as four municipalities served at once, with
the answer key ``replicas.json`` (``sample.platforms.answers``) beside the usual ``truth.json``.
"""
