"""The output layer: what the CLI and the web print and serve, decided once.

The front ends (search_cli/, web/) only parse a request, call a stage and *write* what this
package shapes: terminal text, a page, a file on stdout, a streamed HTTP body.

    present.records      the record of each kind of answer (hits, documents, tables, years,
                         budget-line points) and the column lists of CSVs and spreadsheets
    present.vedtak       vedtak and votes, and the one language-neutral vote cell
    present.exports      `Export`: one answer ready for every format, built per kind of answer
    present.formats      the export formats (JSON, JSON lines, CSV in two dialects, xlsx)
    present.hits         hits grouped by document, a repeated sentence shown once
    present.snippets     the index's [[match]] markers, decoded here only
    present.notes        what a filter or a paging step left out
    present.cells        safe text, CSV cells, a printed amount read (by catalog.amounts)

Imports the catalog and the stages' result types only: never click, Starlette or Jinja.
"""
