#!/usr/bin/env python3
"""Build data/gazetteer/countries.tsv from CLDR, iso-codes and the curated lists.

Sources (Debian packages):
  unicode-cldr-core  /usr/share/unicode/cldr/common/main/{ar,en}.xml
                     /usr/share/unicode/cldr/common/supplemental/supplementalData.xml
  iso-codes          /usr/share/iso-codes/json/iso_3166-1.json
                     /usr/share/locale/ar/LC_MESSAGES/iso_3166-1.mo
  curated            curated/nationalities.tsv (one row per country written out)
                     curated/ambiguous.tsv (checked: every code must be a country)

Output columns:
  code  en  ar  ar_aliases  adjectives  plurals  en_aliases  un_member

`en` and `ar` are the CLDR names (the `alt="short"` forms when CLDR's Arabic
has one, as for PS فلسطين / Palestine). `ar_aliases` is the union, in this order and without duplicates, of the
other CLDR Arabic names, the iso-codes Arabic name when it is a usable proper
name (not untranslated, not an inverted `X، Y` form that drops X, not a name of
another country, not listed in ISO_AR_REJECT), and the curated aliases. Lists are `|`-separated. The output depends only
on the inputs: rows are sorted by code.

Usage: python3 data/gazetteer/build_countries.py   (standard library only)
"""

import gettext
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLDR_MAIN = Path("/usr/share/unicode/cldr/common/main")
CLDR_AR = CLDR_MAIN / "ar.xml"
CLDR_EN = CLDR_MAIN / "en.xml"
CLDR_SUPPLEMENTAL = Path("/usr/share/unicode/cldr/common/supplemental/supplementalData.xml")
ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")
ISO_AR_MO = Path("/usr/share/locale/ar/LC_MESSAGES/iso_3166-1.mo")
NATIONALITIES = HERE / "curated" / "nationalities.tsv"
AMBIGUOUS = HERE / "curated" / "ambiguous.tsv"
OUTPUT = HERE / "countries.tsv"

SOURCES = [
    (CLDR_AR, "unicode-cldr-core"),
    (CLDR_EN, "unicode-cldr-core"),
    (CLDR_SUPPLEMENTAL, "unicode-cldr-core"),
    (ISO_JSON, "iso-codes"),
    (ISO_AR_MO, "iso-codes"),
    (NATIONALITIES, None),
    (AMBIGUOUS, None),
]

HEADER = ["code", "en", "ar", "ar_aliases", "adjectives", "plurals", "en_aliases", "un_member"]

# iso-codes Arabic names that are wrong or misleading for the code.
ISO_AR_REJECT = {
    "CG": "bare الكونغو names both Congos",
    "VA": "المقعد المقدس is a literal, unused rendering of 'Holy See'",
}

# iso-codes English names too vague to be an alias.
ISO_EN_REJECT = {"CG": {"Congo"}}

# Arabic diacritics (harakat, shadda, sukun, dagger alef) and tatweel.
DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def fail(message, prog="build_countries.py"):
    sys.exit(f"{prog}: error: {message}")


def check_sources(sources=SOURCES, prog="build_countries.py"):
    """Every source file present, else the Debian package to install."""
    for path, package in sources:
        if not path.is_file():
            hint = f" (install the Debian package `{package}`)" if package else ""
            fail(f"missing source file {path}{hint}", prog)


def tidy(text, marks=DIACRITICS):
    """No `marks`, single spaces, and `و` attached to the next word as Arabic
    writes it: `أنتيغوا و باربودا` -> `أنتيغوا وباربودا`."""
    text = marks.sub("", text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<= )و (?=\S)", "و", text)


def clean(text):
    """One list item: no diacritics, single spaces, no tab or `|`."""
    text = tidy(text)
    if "|" in text:
        fail(f"`|` inside a name: {text!r}")
    return text


def split_parenthesis(name):
    """`ميانمار (بورما)` -> [`ميانمار`, `بورما`]."""
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if m:
        return [m.group(1), m.group(2)]
    return [name]


def unique(items, exclude=()):
    seen = set(exclude)
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def cldr_territories(path):
    """code -> {alt or None: name} from a CLDR locale file."""
    root = ET.parse(path).getroot()
    out = {}
    for el in root.iterfind("./localeDisplayNames/territories/territory"):
        code = el.get("type")
        if not re.fullmatch(r"[A-Z]{2}", code or ""):
            continue
        out.setdefault(code, {})[el.get("alt")] = el.text or ""
    return out


def cldr_un_members(path):
    root = ET.parse(path).getroot()
    for group in root.iter("group"):
        if group.get("type") == "UN":
            return set(group.get("contains", "").split())
    fail(f"no UN territory group in {path}")


def iso_arabic_names(entry, translations):
    """Usable Arabic names from the iso-codes translation of `name`."""
    english = entry["name"]
    arabic = translations.gettext(english)
    if arabic == english or not ARABIC_LETTER.search(arabic):
        return []  # untranslated (e.g. Türkiye)
    arabic = clean(arabic)
    if "،" in arabic:
        # Inverted form `X، Y` (كوريا، جمهورية كوريا): keep Y only if it
        # still names X (rejects e.g. تايوان، محافظة صينية).
        head, _, tail = arabic.partition("،")
        head, tail = head.strip(), tail.strip()
        return [tail] if head in tail else []
    return [clean(n) for n in split_parenthesis(arabic)]


def iso_english_names(entry):
    out = []
    for key in ("name", "common_name", "official_name"):
        name = entry.get(key)
        if not name or "," in name:
            continue  # `Bolivia, Plurinational State of`
        name = re.sub(r"^the ", "", name)
        if "(" not in name:  # `Holy See (Vatican City State)`
            out.append(name)
    return [clean(n) for n in out]


def split_list(field):
    return [clean(x) for x in field.split("|") if x.strip()]


def read_tsv(path, columns):
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if number == 1 and cols[0] in ("code", "form"):
            continue
        if len(cols) != columns:
            fail(f"{path} line {number}: expected {columns} tab-separated columns, got {len(cols)}")
        rows.append((number, [c.strip() for c in cols]))
    return rows


def main():
    check_sources()
    ar_cldr = cldr_territories(CLDR_AR)
    en_cldr = cldr_territories(CLDR_EN)
    un_members = cldr_un_members(CLDR_SUPPLEMENTAL)
    iso = {e["alpha_2"]: e for e in json.loads(ISO_JSON.read_text(encoding="utf-8"))["3166-1"]}
    with open(ISO_AR_MO, "rb") as f:
        iso_ar = gettext.GNUTranslations(f)

    curated = {}
    for number, cols in read_tsv(NATIONALITIES, 6):
        code, un_member, ar_extra, adjectives, plurals, en_extra = cols
        if not re.fullmatch(r"[A-Z]{2}", code):
            fail(f"{NATIONALITIES} line {number}: bad code {code!r}")
        if code in curated:
            fail(f"{NATIONALITIES} line {number}: duplicate code {code}")
        if un_member not in ("yes", "no"):
            fail(f"{NATIONALITIES} line {number}: un_member must be yes or no")
        if (un_member == "yes") != (code in un_members):
            fail(f"{NATIONALITIES} line {number}: {code} un_member={un_member} disagrees with CLDR's UN group")
        if code not in ar_cldr or None not in ar_cldr[code] or code not in en_cldr:
            fail(f"{NATIONALITIES} line {number}: {code} has no CLDR Arabic/English name")
        if not split_list(adjectives):
            fail(f"{NATIONALITIES} line {number}: {code} has no adjective")
        curated[code] = cols
    missing = sorted(un_members - curated.keys())
    if missing:
        fail(f"{NATIONALITIES}: UN members missing: {' '.join(missing)}")

    ambiguous = read_tsv(AMBIGUOUS, 3)
    for number, (form, code, reason) in ambiguous:
        if code not in curated:
            fail(f"{AMBIGUOUS} line {number}: unknown code {code}")
        if not form or not reason:
            fail(f"{AMBIGUOUS} line {number}: empty form or reason")

    # Arabic names that belong to each code; an iso-codes name that belongs to
    # another code is a mistranslation and is dropped.
    owner = {}
    for code in sorted(curated):
        for name in list(ar_cldr[code].values()) + curated[code][2].split("|"):
            for part in split_parenthesis(clean(name)):
                owner.setdefault(part, set()).add(code)

    rows = []
    iso_used = 0
    for code in sorted(curated):
        _, un_member, ar_extra, adjectives, plurals, en_extra = curated[code]

        ar_names = {alt: clean(n) for alt, n in ar_cldr[code].items()}
        main_alt = "short" if "short" in ar_names else None
        ar_main = ar_names[main_alt]
        cldr_ar = []
        for alt in (None, "short", "variant"):
            if alt in ar_names:
                cldr_ar.extend(split_parenthesis(ar_names[alt]))
        cldr_ar.extend(n for alt, n in sorted(ar_names.items(), key=lambda kv: kv[0] or "")
                       if alt not in (None, "short", "variant"))
        ar_main = split_parenthesis(ar_main)[0]

        iso_ar_names = []
        if code in iso and code not in ISO_AR_REJECT:
            iso_ar_names = [n for n in iso_arabic_names(iso[code], iso_ar)
                            if owner.get(n, {code}) == {code}]
            iso_used += bool(unique(iso_ar_names, exclude=[ar_main] + cldr_ar))
        ar_aliases = unique(cldr_ar + iso_ar_names + split_list(ar_extra), exclude=[ar_main])

        en_names = {alt: clean(n) for alt, n in en_cldr[code].items()}
        en_main = split_parenthesis(en_names.get(main_alt) or en_names[None])[0]
        # English parentheses qualify rather than alternate (`Congo (Republic)`):
        # such names give no alias; the curated list has the useful forms.
        cldr_en = [en_names[alt] for alt in sorted(en_names, key=lambda a: a or "")
                   if "(" not in en_names[alt]]
        iso_en = [n for n in (iso_english_names(iso[code]) if code in iso else [])
                  if n not in ISO_EN_REJECT.get(code, ())]
        en_aliases = unique(cldr_en + iso_en + split_list(en_extra), exclude=[en_main])

        row = [code, en_main, ar_main, "|".join(ar_aliases), "|".join(unique(split_list(adjectives))),
               "|".join(unique(split_list(plurals))), "|".join(en_aliases), un_member]
        for field in row:
            if "\t" in field or "\n" in field:
                fail(f"{code}: tab or newline in {field!r}")
        rows.append(row)

    text = "\t".join(HEADER) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    OUTPUT.write_text(text, encoding="utf-8")

    members = sum(r[-1] == "yes" for r in rows)
    print(f"wrote {OUTPUT.relative_to(HERE.parent.parent)}: {len(rows)} rows "
          f"({members} UN members, {len(rows) - members} others)")
    print(f"  Arabic aliases: {sum(len(r[3].split('|')) for r in rows if r[3])}, "
          f"adjectives: {sum(len(r[4].split('|')) for r in rows)}, "
          f"plurals: {sum(len(r[5].split('|')) for r in rows if r[5])}, "
          f"English aliases: {sum(len(r[6].split('|')) for r in rows if r[6])}")
    print(f"  rows with an extra iso-codes Arabic name: {iso_used}")
    print(f"checked {AMBIGUOUS.relative_to(HERE.parent.parent)}: {len(ambiguous)} rows")


if __name__ == "__main__":
    main()
