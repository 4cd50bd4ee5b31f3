//! Entity tagging: the seed article, clitics and nationality adjectives,
//! title patterns, surnames, ambiguity rules, name resolution and the CoNLL
//! output of `akhbar tag`.

mod common;

use common::{akhbar, run_ok};

use akhbar::entities::{Gazetteer, MentionKind, Tagger};

fn tagger() -> Tagger {
    Tagger::new(Gazetteer::builtin().unwrap())
}

/// A tagger whose gazetteer has no people: whoever it finds, patterns found.
fn tagger_without_people() -> Tagger {
    let mut g = Gazetteer::builtin().unwrap();
    g.retain_actors(|a| a.kind != akhbar::entities::ActorKind::Person);
    Tagger::new(g)
}

const SEED: &str = include_str!("../data/archive/seed/000_fecd01c37f338b77.txt");

#[test]
fn seed_article_countries_places_and_actors() {
    let t = tagger();
    let mentions = t.article_mentions(&[SEED]);
    let e = t.entities(&mentions);
    let mut countries = e.countries.clone();
    countries.sort();
    assert_eq!(countries, ["AM", "AZ", "FR", "RU", "TR", "US"]);
    let place_country = |name: &str| {
        mentions
            .iter()
            .find(|m| m.kind == MentionKind::Place && m.canonical == name)
            .map(|m| m.country.clone())
    };
    for (place, country) in [
        ("قره باغ", "AZ"),
        ("داشكسن", "AZ"),
        ("كلبجار", "AZ"),
        ("لاتشين", "AZ"),
        ("باكو", "AZ"),
        ("غوريس", "AM"),
        ("سوتك", "AM"),
        ("جيرموك", "AM"),
        ("يريفان", "AM"),
        ("أنقرة", "TR"),
    ] {
        assert_eq!(place_country(place).as_deref(), Some(country), "{place}");
    }
    for place in [
        "روسيا",
        "أرمينيا",
        "أذربيجان",
        "تركيا",
        "الولايات المتحدة",
        "فرنسا",
        "قره باغ",
        "داشكسن",
        "كلبجار",
        "لاتشين",
        "غوريس",
        "سوتك",
        "جيرموك",
        "يريفان",
        "باكو",
        "أنقرة",
    ] {
        assert!(
            e.places.iter().any(|p| p == place),
            "{place} missing from {:?}",
            e.places
        );
    }
    for actor in [
        "فلاديمير بوتين",
        "نيكول باشنيان",
        "ديمتري بيسكوف",
        "خلوصي أكار",
        "ذاكر حسنوف",
        "مولود تشاووش أوغلو",
        "جيهون بيراموف",
        "الكرملين",
        "إنترفاكس",
        "وكالة الأنباء الفرنسية",
    ] {
        assert!(
            e.actors.iter().any(|a| a == actor),
            "{actor} missing from {:?}",
            e.actors
        );
    }
}

#[test]
fn seed_people_are_found_by_patterns_without_the_curated_list() {
    let t = tagger_without_people();
    let m = t.article_mentions(&[SEED]);
    let person = |name: &str| {
        m.iter()
            .find(|m| m.kind == MentionKind::Person && m.canonical == name)
    };
    let p = person("ذاكر حسنوف").expect("نظيره الأذري ذاكر حسنوف");
    assert_eq!(p.country, "AZ");
    let p = person("جيهون بيراموف").expect("نظيره الأذربيجاني جيهون بيراموف");
    assert_eq!(p.country, "AZ");
    let p = person("مولود تشاووش أوغلو").expect("وزير الخارجية التركي مولود تشاووش أوغلو");
    assert_eq!(p.country, "TR");
    let p = person("فلاديمير بوتين").expect("الرئيس الروسي فلاديمير بوتين");
    assert_eq!(p.country, "RU");
    let p = person("نيكول باشنيان").expect("رئيس الوزراء الأرميني نيكول باشنيان");
    assert_eq!(p.country, "AM");
    let p = person("ديمتري بيسكوف").expect("المتحدث باسم الكرملين، ديمتري بيسكوف");
    assert_eq!(p.country, "RU");
    // The surname alone, after the full name.
    assert!(
        m.iter()
            .any(|x| x.text == "بوتين" && x.canonical == "فلاديمير بوتين"),
        "{m:#?}"
    );
}

#[test]
fn title_and_nationality_give_an_unknown_person_and_country() {
    let t = tagger_without_people();
    let m = t.article_mentions(&["وقال وزير الدفاع التركي خلوصي أكار إن بلاده مستعدة."]);
    let p = m
        .iter()
        .find(|m| m.kind == MentionKind::Person)
        .expect("a person");
    assert_eq!(p.canonical, "خلوصي أكار");
    assert_eq!(p.country, "TR");
    assert!(p.evidence.contains("وزير الدفاع"), "{}", p.evidence);
}

#[test]
fn clitics_on_names() {
    let t = tagger();
    let e = t.tag(&["وصل الوفد بأنقرة ثم توجه لروسيا، والولايات المتحدة تراقب، وقال مصدر للكرملين"]);
    assert_eq!(e.countries, ["TR", "RU", "US"]);
    assert!(e.places.contains(&"أنقرة".to_string()));
    assert!(e.actors.contains(&"الكرملين".to_string()));
}

#[test]
fn nationality_adjectives_map_to_countries() {
    let t = tagger();
    let e = t.tag(&["قالت وزارة الدفاع الأرمينية إن الجيش الأذربيجاني تقدم"]);
    assert_eq!(e.countries, ["AM", "AZ"]);
    assert!(
        e.actors.contains(&"وزارة الدفاع الأرمينية".to_string()),
        "{:?}",
        e.actors
    );
    assert!(
        e.actors.contains(&"الجيش الأذربيجاني".to_string()),
        "{:?}",
        e.actors
    );
}

#[test]
fn a_surname_alone_needs_the_full_name_or_a_title() {
    let t = tagger();
    assert!(t.tag(&["قال بيسكوف إن الاجتماع انتهى"]).actors.is_empty());
    let e = t.tag(&["قال ديمتري بيسكوف إن الاجتماع انتهى. وأضاف بيسكوف أن"]);
    assert_eq!(e.actors, ["ديمتري بيسكوف"]);
    assert_eq!(t.tag(&["قال الرئيس بوتين"]).actors, ["فلاديمير بوتين"]);
}

#[test]
fn georgia_needs_evidence_of_the_country() {
    let t = tagger();
    let e = t.tag(&["زار الوفد جورجيا والتقى مسؤولين في تبليسي"]);
    assert!(e.countries.contains(&"GE".to_string()), "{:?}", e.countries);
    let e = t.tag(&["أعلنت الولايات المتحدة نتائج الانتخابات في ولاية جورجيا"]);
    assert!(
        !e.countries.contains(&"GE".to_string()),
        "{:?}",
        e.countries
    );
}

#[test]
fn oman_or_amman_by_the_rest_of_the_article() {
    let t = tagger();
    let e = t.tag(&["وصل الملك إلى عمان قادما من الأردن"]);
    assert!(e.places.contains(&"عمان".to_string()), "{e:?}");
    assert!(!e.countries.contains(&"OM".to_string()), "{e:?}");
    assert!(e.countries.contains(&"JO".to_string()), "{e:?}");
    let e = t.tag(&["وصل الوزير إلى عمان ثم توجه إلى مسقط"]);
    assert!(e.countries.contains(&"OM".to_string()), "{e:?}");
    assert!(!e.countries.contains(&"JO".to_string()), "{e:?}");
    let e = t.tag(&["وصل الوزير إلى عمان"]);
    assert!(e.countries.is_empty() && e.places.is_empty(), "{e:?}");
}

#[test]
fn tyre_needs_lebanon_and_a_place_word() {
    let t = tagger();
    let e = t.tag(&["سقطت قذيفة قرب مدينة صور في جنوب لبنان"]);
    assert!(e.places.contains(&"صور".to_string()), "{e:?}");
    let e = t.tag(&["نشر الجيش صور الأقمار الصناعية للحدود مع لبنان"]);
    assert!(!e.places.contains(&"صور".to_string()), "{e:?}");
    let e = t.tag(&["قرب مدينة صور"]);
    assert!(!e.places.contains(&"صور".to_string()), "{e:?}");
}

#[test]
fn tripoli_by_the_country_named_with_it() {
    let t = tagger();
    let e = t.tag(&["اشتباكات في طرابلس شمال لبنان"]);
    assert_eq!(e.countries, ["LB"], "{e:?}");
    let e = t.tag(&["اشتباكات في طرابلس عاصمة ليبيا"]);
    assert_eq!(e.countries, ["LY"], "{e:?}");
}

#[test]
fn common_words_that_name_places_abroad_are_not_places() {
    let t = tagger();
    let e =
        t.tag(&["في إطار الاتفاق مع الولايات المتحدة، استمرت الحرب 44 يوماً وطائرات من طراز بيرقدار"]);
    assert_eq!(e.countries, ["US"], "{e:?}");
    assert_eq!(e.places, ["الولايات المتحدة"], "{e:?}");
}

#[test]
fn media_and_international_organizations_add_no_country() {
    let t = tagger();
    let e = t.tag(&["ذكرت وكالة الأنباء الفرنسية أن الأمم المتحدة وحلف الناتو دعيا إلى التهدئة"]);
    assert!(e.countries.is_empty(), "{e:?}");
    for a in ["وكالة الأنباء الفرنسية", "الأمم المتحدة", "حلف شمال الأطلسي"]
    {
        assert!(e.actors.contains(&a.to_string()), "{a}: {e:?}");
    }
}

#[test]
fn resolve_any_name_form() {
    let g = Gazetteer::builtin().unwrap();
    for value in ["TR", "tr", "تركيا", "Turkey", "Türkiye", "turkey", "تركي"] {
        assert_eq!(
            g.resolve_country(value).map(|c| c.code.as_str()),
            Some("TR"),
            "{value}"
        );
    }
    assert_eq!(g.resolve_country("أذربيجان").unwrap().code, "AZ");
    assert_eq!(g.resolve_country("اذربيجان").unwrap().code, "AZ");
    assert!(g.resolve_country("Atlantis").is_none());
    assert_eq!(g.resolve_actor("بوتين").unwrap().name, "فلاديمير بوتين");
    assert_eq!(
        g.resolve_actor("فرانس برس").unwrap().name,
        "وكالة الأنباء الفرنسية"
    );
    assert!(g.resolve_actor("أحد ما").is_none());
    let baku = g.resolve_place("باكو").unwrap();
    assert_eq!((baku.name.as_str(), baku.country.as_str()), ("باكو", "AZ"));
    assert_eq!(g.resolve_place("كاراباخ").unwrap().name, "قره باغ");
    assert_eq!(g.resolve_place_name("روسيا").as_deref(), Some("روسيا"));
    assert_eq!(g.resolve_place_name("Russia").as_deref(), Some("روسيا"));
    // One place under the spellings of its sources (CLDR, GeoNames), named
    // as news write it; two Libyan districts a vowel apart stay two.
    for (spelling, name) in [
        ("شانغهاي", "شنغهاي"),
        ("كتالونيا", "كاتالونيا"),
        ("ميلبورن", "ملبورن"),
        ("سول", "سيول"),
    ] {
        assert_eq!(g.resolve_place(spelling).unwrap().name, name, "{spelling}");
    }
    let district = |name| g.resolve_place(name).map(|p| p.name.as_str());
    assert_eq!(district("شعبية الجفارة"), Some("شعبية الجفارة"));
    assert_eq!(district("شعبية الجفرة"), Some("شعبية الجفرة"));
}

#[test]
fn tag_conll_prints_one_tag_per_token() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.conll");
    std::fs::write(
        &input,
        "قال O\nالرئيس O\nالروسي O\nفلاديمير B-PERS\nبوتين I-PERS\nفي O\nموسكو B-LOC\n. O\n\nوزار O\n(باريس O\n",
    )
    .unwrap();
    let out = run_ok(akhbar().args(["tag", "--conll"]).arg(&input));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8 + 1 + 2 + 1, "{text}");
    let tokens: Vec<&str> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        tokens,
        [
            "قال",
            "الرئيس",
            "الروسي",
            "فلاديمير",
            "بوتين",
            "في",
            "موسكو",
            ".",
            "وزار",
            "(باريس"
        ]
    );
    assert_eq!(lines[8], "");
    for line in lines.iter().filter(|l| !l.is_empty()) {
        let tag = line.split('\t').nth(1).unwrap();
        assert!(
            ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG"].contains(&tag),
            "{line}"
        );
    }
    assert_eq!(lines[6], "موسكو\tB-LOC");
}

#[test]
fn tag_conll_reports_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.conll");
    std::fs::write(&input, "قال O\nهذا سطر خاطئ\n").unwrap();
    let out = akhbar()
        .args(["tag", "--conll"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.conll line 2"), "{err}");
}

#[test]
fn tag_json_gives_offsets_kind_country_and_evidence() {
    let text = "قال وزير الخارجية التركي مولود تشاووش أوغلو في أنقرة";
    let mut child = akhbar()
        .args(["tag", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let mentions: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let person = mentions.iter().find(|m| m["kind"] == "person").unwrap();
    assert_eq!(person["canonical"], "مولود تشاووش أوغلو");
    assert_eq!(person["country"], "TR");
    let (s, e) = (
        person["start"].as_u64().unwrap() as usize,
        person["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "مولود تشاووش أوغلو");
    assert!(!person["evidence"].as_str().unwrap().is_empty());
    let place = mentions.iter().find(|m| m["kind"] == "place").unwrap();
    assert_eq!(place["canonical"], "أنقرة");
    assert_eq!(place["country"], "TR");
}

#[test]
fn tag_reads_legacy_arabic_encodings_and_refuses_binary() {
    let dir = tempfile::tempdir().unwrap();
    let text = "قال وزير الخارجية التركي مولود تشاووش أوغلو في أنقرة اليوم إن المحادثات مستمرة";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(text);
    assert!(!unmappable);
    let legacy = dir.path().join("cp1256.txt");
    std::fs::write(&legacy, &bytes).unwrap();
    let out = run_ok(akhbar().args(["tag", "--json"]).arg(&legacy));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("مولود تشاووش أوغلو"), "{stdout}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read as windows-1256"), "{err}");

    let binary = dir.path().join("image.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let out = akhbar().arg("tag").arg(&binary).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("image.txt") && err.contains("binary") && err.contains("UTF-8"),
        "{err}"
    );
}

#[test]
fn ner_lexicon_builds_a_lexicon_the_tagger_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("lexicon.tsv");
    run_ok(
        akhbar()
            .args(["ner", "lexicon", "data/archive/ant", "--min-count", "3"])
            .args(["--coarse", "8", "--fine", "32", "-o"])
            .arg(&output),
    );
    let tsv = std::fs::read_to_string(&output).unwrap();
    let lex = akhbar::entities::lexicon::Lexicon::parse(&tsv, "").unwrap();
    assert!(lex.len() > 1000, "{}", lex.len());
    let fi = lex.get("في");
    assert!(fi.coarse > 0 && fi.coarse <= 8 && fi.fine <= 32, "{fi:?}");

    let out = akhbar()
        .args(["ner", "lexicon", "no/such/dir", "-o"])
        .arg(dir.path().join("x.tsv"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no/such/dir"), "{err}");
}
