#!/usr/bin/env python3
"""Build the generated gazetteer files from open data installed by Debian packages.

    python3 data/gazetteer/build.py

writes, in this directory:
  countries.tsv  (via build_countries.py: CLDR + iso-codes + curated/nationalities.tsv)
  places.tsv     cities and regions with Arabic names, each mapped to its country

Sources for places.tsv (see SOURCES.md for versions and licenses):
  unicode-cldr-core   common/main/ar.xml        time-zone exemplar cities (Arabic)
                      common/subdivisions/ar.xml  ISO 3166-2 subdivision names (Arabic)
  tzdata              /usr/share/zoneinfo/zone.tab  time zone -> country
  libgeonames0        GeoNames cities (name, first-level region, country, population),
  libgeonames-common  with their Arabic names from the `geonames` gettext domain
  dict-freedict-ara-eng  Arabic-English dictionary: marks place names that are also
                      ordinary words (صور "pictures", العين "the eye")
  curated/places.tsv  spellings news uses that the sources lack, disputed regions;
                      an optional fifth column marks a curated name as an ordinary word

Output columns of places.tsv:
  name  country  kind  aliases  population  common  sources
`kind` is city | region | disputed-region | capital (curated). `common` holds the
dictionary glosses when the name is also an ordinary word: the tagger then tags it
only with supporting evidence. Rows are sorted by country, then name, so the output
depends only on the inputs. Needs Python 3 (standard library) and the packages above;
a missing source stops the build with the package to install.
"""

import gzip
import json
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_countries  # noqa: E402

CLDR = Path("/usr/share/unicode/cldr/common")
CLDR_AR = CLDR / "main" / "ar.xml"
CLDR_SUBDIVISIONS_AR = CLDR / "subdivisions" / "ar.xml"
CLDR_SUBDIVISIONS_EN = CLDR / "subdivisions" / "en.xml"
ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")
GEONAMES_LIB = Path("/usr/lib/x86_64-linux-gnu/libgeonames.so.0")
GEONAMES_MO = Path("/usr/share/locale/ar/LC_MESSAGES/geonames.mo")
FREEDICT_INDEX = Path("/usr/share/dictd/freedict-ara-eng.index")
FREEDICT_DATA = Path("/usr/share/dictd/freedict-ara-eng.dict.dz")
CURATED_PLACES = HERE / "curated" / "places.tsv"
COUNTRIES = HERE / "countries.tsv"
OUTPUT = HERE / "places.tsv"
# Word counts of the ANT news archive (written by `akhbar ner lexicon`): which of two
# spellings of one place news use more.
NEWS_LEXICON = HERE.parent / "ner" / "lexicon.tsv"

SOURCES = [
    (CLDR_AR, "unicode-cldr-core"),
    (CLDR_SUBDIVISIONS_AR, "unicode-cldr-core"),
    (CLDR_SUBDIVISIONS_EN, "unicode-cldr-core"),
    (ZONE_TAB, "tzdata"),
    (GEONAMES_LIB, "libgeonames0"),
    (GEONAMES_MO, "libgeonames-common"),
    (FREEDICT_INDEX, "dict-freedict-ara-eng"),
    (FREEDICT_DATA, "dict-freedict-ara-eng"),
    (CURATED_PLACES, None),
]

HEADER = ["name", "country", "kind", "aliases", "population", "common", "sources"]

DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640\u200c-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
ARABIC_ONLY = re.compile(r"^[\u0621-\u064a\u0671-\u06d3 ]+$")

# Kinds, from most to least specific: a name that is both a city and its region
# (أنقرة) is kept as the city.
KIND_RANK = {"capital": 0, "disputed-region": 1, "city": 2, "region": 3}


def fail(message):
    build_countries.fail(message, "build.py")


def check_sources():
    build_countries.check_sources(SOURCES, "build.py")


def clean(text):
    """No diacritics, bidi or zero-width marks; single spaces."""
    return build_countries.tidy(text, DIACRITICS)


def key(name):
    """Merge key: the spelling differences the tagger's normalizer folds anyway."""
    name = clean(name)
    name = re.sub("[أإآٱ]", "ا", name)
    return name.replace("ى", "ي").replace("ة", "ه")


def usable(name):
    return len(name.replace(" ", "")) >= 3 and ARABIC_ONLY.match(name) is not None


# --- CLDR ---------------------------------------------------------------------------

def zone_countries():
    out = {}
    for line in ZONE_TAB.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        out[cols[2]] = cols[0]
    return out


def cldr_cities():
    """(name, country, English name) of every Arabic time-zone exemplar city."""
    zones = zone_countries()
    root = ET.parse(CLDR_AR).getroot()
    out = []
    for zone in root.iter("zone"):
        city = zone.find("exemplarCity")
        country = zones.get(zone.get("type"))
        if city is not None and city.text and country and city.get("alt") is None:
            english = zone.get("type").rsplit("/", 1)[-1].replace("_", " ")
            out.append((clean(city.text), country, english))
    return out


def cldr_subdivisions():
    """(name, country, English name) of every Arabic ISO 3166-2 subdivision name."""
    english = {el.get("type"): el.text or ""
               for el in ET.parse(CLDR_SUBDIVISIONS_EN).getroot().iter("subdivision")}
    root = ET.parse(CLDR_SUBDIVISIONS_AR).getroot()
    out = []
    for el in root.iter("subdivision"):
        code = el.get("type") or ""
        if re.fullmatch(r"[a-z]{2}[a-z0-9]{1,4}", code) and el.text:
            out.append((clean(el.text), code[:2].upper(), english.get(code, "")))
    return out


# --- GeoNames (libgeonames) -----------------------------------------------------------

GEONAMES_DUMP = r"""
import ctypes, json, sys
libc = ctypes.CDLL(None)
libc.setlocale(6, b"C.UTF-8")
lib = ctypes.CDLL(sys.argv[1])
lib.geonames_get_n_cities.restype = ctypes.c_uint
lib.geonames_get_city.restype = ctypes.c_void_p
lib.geonames_get_city.argtypes = [ctypes.c_uint]
for f in ("name", "state", "country_code"):
    getattr(lib, "geonames_city_get_" + f).restype = ctypes.c_char_p
    getattr(lib, "geonames_city_get_" + f).argtypes = [ctypes.c_void_p]
lib.geonames_city_get_population.restype = ctypes.c_uint
lib.geonames_city_get_population.argtypes = [ctypes.c_void_p]
rows = []
for i in range(lib.geonames_get_n_cities()):
    c = lib.geonames_get_city(i)
    rows.append([lib.geonames_city_get_name(c).decode(), lib.geonames_city_get_state(c).decode(),
                 lib.geonames_city_get_country_code(c).decode(), lib.geonames_city_get_population(c)])
json.dump(rows, sys.stdout, ensure_ascii=False)
"""


def geonames_dump(language):
    env = dict(os.environ, LANGUAGE=language, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    out = subprocess.run([sys.executable, "-c", GEONAMES_DUMP, str(GEONAMES_LIB)],
                         env=env, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"reading GeoNames from {GEONAMES_LIB} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def geonames():
    """Cities and first-level regions that have an Arabic name.

    libgeonames translates names through gettext, so the library is read twice,
    untranslated and in Arabic; a name that changed is an Arabic name.
    Returns (cities, regions, english): cities as (name, country, population),
    regions as (name, country, population of its largest city), and the English
    names of each Arabic name.
    """
    en = geonames_dump("C")
    ar = geonames_dump("ar")
    if len(en) != len(ar):
        fail("GeoNames: the untranslated and Arabic city lists differ in length")
    cities, regions, english = [], {}, {}
    for (en_name, en_state, country, population), (ar_name, ar_state, _, _) in zip(en, ar):
        ar_name, ar_state = clean(ar_name), clean(ar_state)
        if ar_name != en_name and usable(ar_name):
            cities.append((ar_name, country, population))
            english.setdefault(key(ar_name), set()).add(en_name.lower())
        if ar_state != en_state and usable(ar_state):
            k = (ar_state, country)
            regions[k] = max(regions.get(k, 0), population)
            english.setdefault(key(ar_state), set()).add(en_state.lower())
    return cities, [(n, c, p) for (n, c), p in regions.items()], english


# --- Dictionary: place names that are ordinary words -----------------------------------

DICTD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def dictd_number(text):
    n = 0
    for ch in text:
        n = n * 64 + DICTD_ALPHABET.index(ch)
    return n


def dictionary_glosses():
    """Normalized Arabic headword -> English glosses, from FreeDict ara-eng."""
    data = gzip.open(FREEDICT_DATA).read()
    out = {}
    for line in FREEDICT_INDEX.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) != 3 or not re.search("[\u0621-\u064a]", cols[0]):
            continue
        start, length = dictd_number(cols[1]), dictd_number(cols[2])
        entry = data[start:start + length].decode("utf-8", "replace").splitlines()[1:]
        glosses = [re.sub(r"^\d+\.\s*", "", g).strip() for g in entry if g.strip()]
        out.setdefault(key(cols[0]), []).extend(glosses)
    return out


# Compass words: a region named by them alone (Cameroon's الشرق, جنوب غرب) is named like
# any direction in any country.
COMPASS = {"شمال", "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي", "غربي", "اوسط",
           "الشمالي", "الجنوبي", "الشرقي", "الغربي", "الاوسط"}


# Dictionary glosses that make a one-word name a noun for any place.
PLACE_NOUNS = {"city", "town", "village", "capital", "island", "isle", "islet", "atoll",
               "region", "country", "bay", "bight", "gulf", "polis", "burg", "province",
               "district", "state", "county", "port", "harbour", "harbor", "coast",
               "mainland", "desert", "valley", "mountain", "river", "sea", "lake", "oasis"}

# Words that describe a region rather than name it: a name made of them and compass words
# alone (Israel's المنطقة الجنوبية, Fiji's القسم الغربي) is what any article calls a part of
# any country ("the southern region"), so it needs its country named in the article.
DESCRIPTIVE = {key(w) for w in """منطقة قسم إقليم مقاطعة محافظة ولاية عاصمة شمالية جنوبية
    شرقية غربية وسطى مركزية مركزي ساحل ساحلية داخلية عليا سفلى أعلى أدنى""".split()}


def common_senses(name, glosses, place_names):
    """Glosses of `name` that are not names of the place (ordinary-word senses)."""
    words = [w[2:] if w.startswith("ال") and w[2:] in COMPASS else w for w in key(name).split()]
    if words and all(w in COMPASS for w in words):
        return ["compass direction"]
    bare = [w[2:] if w.startswith("ال") else w for w in words]
    if bare and all(w in COMPASS or w in DESCRIPTIVE for w in bare):
        return ["descriptive name"]
    senses = glosses.get(key(name), [])
    if not senses and key(name).startswith("ال"):
        senses = glosses.get(key(name)[2:], [])
    return [g for g in senses if not names_place(g, place_names)]


def names_place(gloss, place_names):
    """True when a gloss is (a spelling of) one of the place's English names,
    or a postal abbreviation (TX, NJ: the dictionary glosses US states so)."""
    if re.fullmatch("[A-Z]{2,3}", gloss.strip()):
        return True
    g = fold_latin(gloss)
    for name in place_names:
        n = fold_latin(name)
        if g == n or (len(g) >= 4 and (n.startswith(g[:4]) or g in n.split())):
            return True
    return False


def fold_latin(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if c.isalnum() or c == " ").strip()


# --- Curated --------------------------------------------------------------------------

def curated_places(countries):
    rows = []
    for number, line in enumerate(CURATED_PLACES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 3:
            fail(f"{CURATED_PLACES} line {number}: expected name, country, kind[, aliases]")
        name, country, kind = cols[:3]
        aliases = [clean(a) for a in (cols[3] if len(cols) > 3 else "").split("|") if a.strip()]
        common = cols[4] if len(cols) > 4 else ""
        if country not in countries:
            fail(f"{CURATED_PLACES} line {number}: unknown country {country}")
        if kind not in KIND_RANK:
            fail(f"{CURATED_PLACES} line {number}: unknown kind {kind}")
        rows.append((clean(name), country, kind, aliases, common))
    return rows


def read_countries():
    out = {}
    lines = COUNTRIES.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        out[cols[0]] = cols
    return out


def news_word_counts():
    """Normalized word -> order of magnitude of its count in the ANT archive."""
    counts = {}
    for line in NEWS_LEXICON.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) > 4 and cols[4].isdigit():
            counts[cols[0]] = int(cols[4])
    return counts


def main():
    build_countries.main()
    check_sources()
    countries = read_countries()
    # Every Arabic country name: a place spelled like a country is the country.
    country_keys = set()
    country_english = {}
    for code, cols in countries.items():
        for name in [cols[2]] + [a for a in cols[3].split("|") if a]:
            country_keys.add(key(name))
            country_english.setdefault(key(name), set()).update(
                [cols[1].lower()] + [a.lower() for a in cols[6].split("|") if a])

    # (key, country) -> row being merged
    places = {}
    counts = {"curated": 0, "cldr-city": 0, "cldr-subdivision": 0, "geonames-city": 0,
              "geonames-region": 0, "dropped-country-name": 0, "dropped-place-noun": 0}

    def add(name, country, kind, source, population=0, aliases=()):
        if country not in countries:
            return
        if not usable(name):
            return
        if key(name) in country_keys and source != "curated":
            counts["dropped-country-name"] += 1
            return
        k = (key(name), country)
        row = places.get(k)
        if row is None:
            row = places[k] = {"name": name, "country": country, "kind": kind, "aliases": [],
                               "population": 0, "sources": []}
        elif KIND_RANK[kind] < KIND_RANK[row["kind"]]:
            row["kind"] = kind
        for alias in aliases:
            if usable(alias) and alias != row["name"] and alias not in row["aliases"]:
                row["aliases"].append(alias)
        row["population"] = max(row["population"], population)
        if source not in row["sources"]:
            row["sources"].append(source)
        counts[source] += 1

    curated_common = {}
    for name, country, kind, aliases, common in curated_places(countries):
        add(name, country, kind, "curated", aliases=aliases)
        if common:
            curated_common[(key(name), country)] = common
    cities, regions, english = geonames()
    for name, country, population in cities:
        add(name, country, "city", "geonames-city", population)
    for name, country, en_name in cldr_cities():
        add(name, country, "city", "cldr-city")
        english.setdefault(key(name), set()).add(en_name.lower())
    for name, country, population in regions:
        add(name, country, "region", "geonames-region", population)
    for name, country, en_name in cldr_subdivisions():
        add(name, country, "region", "cldr-subdivision")
        english.setdefault(key(name), set()).add(en_name.lower())

    # A curated alias spelled like another row's name in the same country merges it.
    for k, row in list(places.items()):
        if "curated" not in row["sources"]:
            continue
        for alias in row["aliases"]:
            other = places.get((key(alias), row["country"]))
            if other is not None and other is not row:
                row["population"] = max(row["population"], other["population"])
                row["sources"] += [s for s in other["sources"] if s not in row["sources"]]
                del places[(key(alias), row["country"])]

    # One place spelled with and without a space inside its name (CLDR's
    # بيونغ يانغ, GeoNames' بيونغيانغ) is one row: the more populous spelling
    # is the name, the other an alias.
    by_spelling = {}
    for k, row in places.items():
        by_spelling.setdefault((k[0].replace(" ", ""), row["country"], row["kind"]), []).append(k)
    def fold(row, k):
        """Makes row `k` an alias of `row`."""
        other = places.pop(k)
        for alias in [other["name"]] + other["aliases"]:
            if alias != row["name"] and alias not in row["aliases"]:
                row["aliases"].append(alias)
        row["population"] = max(row["population"], other["population"])
        row["sources"] += [s for s in other["sources"] if s not in row["sources"]]

    for keys in by_spelling.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: -places[k]["population"])
        for k in keys[1:]:
            fold(places[keys[0]], k)

    # CLDR spells some places one long vowel apart from GeoNames (ميلبورن /
    # ملبورن، كتالونيا / كاتالونيا، سول / سيول): a CLDR-only name one ا, و or ي
    # away from exactly one GeoNames place of the same country and kind with at
    # least 100,000 people is that place. Its name is the spelling news use
    # more (شنغهاي, not شانغهاي), GeoNames' on a tie. Smaller places are left
    # apart: the Libyan districts الجفارة and الجفرة are two.
    news_counts = news_word_counts()

    def news_use(name):
        return sum(news_counts.get(w, 0) for w in key(name).split())

    def one_vowel_less(k):
        return {k[:i] + k[i + 1:] for i in range(1, len(k)) if k[i] in "اوي"}

    notable = {}
    for k, row in places.items():
        if row["population"] >= 100_000 and any(s.startswith("geonames") for s in row["sources"]):
            for variant in one_vowel_less(k[0]) | {k[0]}:
                notable.setdefault((variant, row["country"], row["kind"]), []).append(k)
    for k, row in list(places.items()):
        if row["population"] or not all(s.startswith("cldr") for s in row["sources"]):
            continue
        found = set()
        for variant in one_vowel_less(k[0]) | {k[0]}:
            found.update(notable.get((variant, row["country"], row["kind"]), []))
        found = [f for f in found if f != k and len(f[0]) != len(k[0])]
        if len(found) == 1:
            target = places[found[0]]
            if news_use(row["name"]) <= news_use(target["name"]):
                fold(target, k)
                continue
            del places[found[0]]
            places[k], name = target, row["name"]
            target["aliases"] = [a for a in target["aliases"] if a != name]
            target["aliases"].insert(0, target["name"])
            target["name"] = name
            target["sources"] += [s for s in row["sources"] if s not in target["sources"]]

    glosses = dictionary_glosses()
    place_names = {}
    for k, names in english.items():
        place_names.setdefault(k, set()).update(names)
    for k, names in country_english.items():
        place_names.setdefault(k, set()).update(names)
    common_count = 0
    rows = []
    for (k, country), row in places.items():
        own = place_names.get(k, set())
        if (k, country) in curated_common:
            senses = [curated_common[(k, country)]]
        elif "curated" in row["sources"]:
            senses = []
        else:
            senses = common_senses(row["name"], glosses, own)
        if len(row["name"].split()) == 1 and any(g.strip().lower() in PLACE_NOUNS for g in senses):
            # المدينة "the city" (Medina), الخليج "the gulf": a word every article may use
            # for any place. The place keeps its longer names (المدينة المنورة).
            counts["dropped-place-noun"] += 1
            continue
        common_count += bool(senses)
        rows.append([row["name"], country, row["kind"], "|".join(row["aliases"]),
                     str(row["population"]), "|".join(dict.fromkeys(senses))[:120],
                     "|".join(row["sources"])])
    rows.sort(key=lambda r: (r[1], r[0]))
    for r in rows:
        for field in r:
            if "\t" in field or "\n" in field:
                fail(f"tab or newline in {field!r}")
    OUTPUT.write_text("\t".join(HEADER) + "\n" + "".join("\t".join(r) + "\n" for r in rows),
                      encoding="utf-8")
    by_kind = {}
    for r in rows:
        by_kind[r[2]] = by_kind.get(r[2], 0) + 1
    print(f"wrote {OUTPUT.relative_to(HERE.parent.parent)}: {len(rows)} rows "
          f"({', '.join(f'{n} {k}' for k, n in sorted(by_kind.items()))}), "
          f"{common_count} marked as ordinary words")
    print("  names read: " + ", ".join(f"{k} {n}" for k, n in counts.items()))


if __name__ == "__main__":
    main()
