"""Our kinds of click command: help in the CLI's language, full command summaries, and a
command whose words are a query (`hparkiv search barnehage -sykehjem`)."""

from __future__ import annotations

import inspect

import click

from search_cli.messages import _


class Translated:
    """Help in the CLI's language: a command's first paragraph and each option's help are
    msgids of the message catalog (the examples after them are commands, left as they are)."""

    help: str | None

    def translated_help(self) -> str:
        text = inspect.cleandoc(self.help or "")
        head, sep, rest = text.partition("\n\n")
        summary = " ".join(head.split())
        return _(summary) + sep + rest if head else text

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original, self.help = self.help, self.translated_help()
        try:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
        finally:
            self.help = original

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.translated_help().split("\n\n", 1)[0]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params = [p for p in self.get_params(ctx) if isinstance(p, click.Option) and p.help]  # type: ignore[attr-defined]
        saved = [p.help for p in params]
        for p in params:
            one_line = " ".join((p.help or "").split())
            p.help = _(one_line)
        try:
            super().format_options(ctx, formatter)  # type: ignore[misc]
        finally:
            for p, h in zip(params, saved, strict=True):
                p.help = h


class TranslatedCommand(Translated, click.Command):
    pass


class HelpGroup(Translated, click.Group):
    """Command summaries in full (click cuts them at 45 characters); a bare `hparkiv` shows the help."""

    command_class = TranslatedCommand

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


class QueryCommand(TranslatedCommand):
    """A command whose words are a query: `hparkiv search barnehage -sykehjem` is one query.

    Arguments that are not this command's options (a word starting with "-", a quoted
    query such as '-sykehjem barnehage') are query words; everything after `--` is too.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = {name: p for p in self.params if isinstance(p, click.Option) for name in p.opts + p.secondary_opts}
        front: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                words.extend(args[i + 1:])
                break
            name = arg.split("=", 1)[0]
            if name in options or name in ctx.help_option_names:
                front.append(arg)
                p = options.get(name)
                if p is not None and not p.is_flag and "=" not in arg and i + 1 < len(args):
                    front.append(args[i + 1])
                    i += 1
            elif arg.startswith("--") and len(arg) > 2 and " " not in arg:
                front.append(arg)  # an unknown long option: click names it and suggests the right one
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, front + (["--", *words] if words else []))
