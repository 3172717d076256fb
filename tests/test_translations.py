"""The Chinese catalog is complete and its compiled .mo matches the .po that is committed.

CI also regenerates the .po from the source (make check-messages) to catch strings that were
never extracted; these tests need no GNU gettext.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGS = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


def test_there_is_a_chinese_catalog():
    assert [path.parts[-3] for path in CATALOGS] == ["zh_Hans"]


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda path: path.parts[-3])
def test_every_string_is_translated_and_none_is_fuzzy(po_path):
    catalog = polib.pofile(str(po_path))

    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda path: path.parts[-3])
def test_compiled_catalog_matches_the_source_catalog(po_path):
    source = {
        entry.msgid: entry.msgstr for entry in polib.pofile(str(po_path)).translated_entries()
    }
    compiled = {
        entry.msgid: entry.msgstr
        for entry in polib.mofile(str(po_path.with_suffix(".mo")))
        if entry.msgid
    }

    assert compiled == source


# The names xgettext looks for (Django's makemessages keywords): text marked through any
# other alias, e.g. `gettext as _t`, is never extracted and shows in English in Chinese pages.
EXTRACTED_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
ALIAS = re.compile(r"\b((?:n|p|np)?gettext(?:_lazy|_noop)?) as (\w+)")


def test_translation_functions_are_only_imported_under_names_makemessages_extracts():
    root = Path(settings.BASE_DIR)
    hidden = []
    for path in sorted(root.glob("*/**/*.py")):
        if path.parts[len(root.parts)] in {".venv", "tests", "node_modules"}:
            continue
        for function, alias in ALIAS.findall(path.read_text(encoding="utf-8")):
            if alias not in EXTRACTED_NAMES:
                hidden.append(f"{path.relative_to(root)}: {function} as {alias}")
    assert hidden == []
