"""The catalog's errors: one line each, an English template the front ends translate."""

from __future__ import annotations

from pathlib import Path


def N_(message: str) -> str:
    """Marks a message for the message catalog (i18n/); translated where it is shown."""
    return message


class CatalogError(Exception):
    """A catalog that cannot be used as it is; the message says what to do.

    As the index's errors: an English template with named fields (the msgid of the
    message catalog), so each front end shows it in its language: `e.translated(gettext)`.
    """

    def __init__(self, message: str, **params: object) -> None:
        self.template = " ".join(message.split())
        self.params = params
        super().__init__(self.template.format(**params) if params else self.template)

    def translated(self, gettext) -> str:
        text = gettext(self.template)
        return text.format(**self.params) if self.params else text


class CatalogTooNew(CatalogError):
    """The catalog was written by a newer hparkiv: this one does not know its schema."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(N_("the catalog {path} was written by a newer hparkiv (schema {found}; this one reads "
                            "schema {supported} and older): upgrade hparkiv"),
                         path=str(path), found=found, supported=supported)


class CatalogOutdated(CatalogError):
    """The catalog is older than the code and cannot be upgraded here (no write access)."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(N_("the catalog {path} has schema {found}, older than this hparkiv's {supported}, and "
                            "cannot be upgraded without write access: run any `hparkiv` command as a user who may "
                            "write it"),
                         path=str(path), found=found, supported=supported)
