"""Shell completion that cannot be turned against the shell.

Completion candidates come from the dataset, which may be anyone's file
(`--data`), and each shell reads them differently: zsh evals the list
Typer prints (and Typer 0.27 leaves backslashes unescaped), bash splits it
on newlines and globs every word, fish splits it on newlines and tabs. No
quoting is right for all three, so the rule is the simple one: a candidate
reaches the shell only if it is made of letters, digits, `-`, `_` and `.`,
which no shell treats specially. Anything else is left out (the name is
still found when typed). Help texts, ours only, are reduced the same way.

`use_inert_completion()` puts these classes in place of Typer's, after
Typer registered its own and before the shell's request is answered.
"""

from __future__ import annotations

from typer._click.shell_completion import CompletionItem, ShellComplete, add_completion_class

# Typer 0.27 (pinned below 0.28) keeps its shell classes in this private module.
from typer._completion_classes import BashComplete, FishComplete, PowerShellComplete, ZshComplete

_INERT_PUNCTUATION = frozenset("-_.")
_HELP_PUNCTUATION = frozenset(" -_.,")


def is_inert(candidate: str) -> bool:
    """True if `candidate` means the same, unquoted, to bash, zsh and fish."""
    return bool(candidate) and all(c.isalnum() or c in _INERT_PUNCTUATION for c in candidate)


def inert_help(text: str) -> str:
    """A help text kept to letters, digits, spaces and `-_.,` (an apostrophe
    becomes a typographic one), so that it, too, is inert."""
    kept = "".join(c if c.isalnum() or c in _HELP_PUNCTUATION else "’" if c == "'" else " " for c in text)
    return " ".join(kept.split())


def _inert(items: list[CompletionItem]) -> list[CompletionItem]:
    return [
        CompletionItem(item.value, type=item.type, help=inert_help(item.help) if item.help else None)
        for item in items
        if is_inert(item.value)
    ]


class InertBash(BashComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return _inert(super().get_completions(args, incomplete))


class InertZsh(ZshComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return _inert(super().get_completions(args, incomplete))

    def format_completion(self, item: CompletionItem) -> str:
        # Both parts are inert already: nothing to escape, and no Rich to import.
        return f'"{item.value}":"{item.help}"' if item.help else f'"{item.value}"'


class InertFish(FishComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return _inert(super().get_completions(args, incomplete))


class InertPowerShell(PowerShellComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return _inert(super().get_completions(args, incomplete))


_CLASSES: dict[str, type[ShellComplete]] = {
    "bash": InertBash,
    "zsh": InertZsh,
    "fish": InertFish,
    "powershell": InertPowerShell,
    "pwsh": InertPowerShell,
}


def use_inert_completion() -> None:
    """Answer every shell's completion request with the inert classes."""
    for name, cls in _CLASSES.items():
        add_completion_class(cls, name)
