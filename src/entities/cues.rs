//! Words that signal what a neighbouring name is: titles that introduce a
//! person, heads of organization names that take a nationality adjective,
//! locative words before a place, and proclitics. Written in ordinary
//! spelling; [`Cues::new`] normalizes them with the shared analyzer.

use std::collections::HashSet;

use super::matcher::FastSet;
use crate::analysis::normalize;

/// Proclitics that may precede a name: conjunctions, prepositions, and their
/// combinations. Those ending in the article keep it (`وال` + x → `ال` + x).
pub const PROCLITICS: &[&str] = &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
pub const ARTICLE_PROCLITICS: &[&str] = &[
    "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "فكال", "لل", "ولل", "فلل",
];

/// Titles that introduce a person's name, as the first word of the title
/// phrase (with or without the article).
const TITLES: &[&str] = &[
    "رئيس",
    "الرئيس",
    "رئيسة",
    "الرئيسة",
    "وزير",
    "وزيرة",
    "الوزير",
    "الوزيرة",
    "نائب",
    "نائبة",
    "المتحدث",
    "المتحدثة",
    "متحدث",
    "الناطق",
    "ناطق",
    "سفير",
    "السفير",
    "سفيرة",
    "السفيرة",
    "الملك",
    "الملكة",
    "العاهل",
    "الأمير",
    "الشيخ",
    "السلطان",
    "ولي",
    "زعيم",
    "الزعيم",
    "زعيمة",
    "قائد",
    "القائد",
    "المستشار",
    "المستشارة",
    "مستشار",
    "مستشارة",
    "نظيره",
    "نظيرته",
    "نظيرها",
    "نظيريه",
    "المبعوث",
    "مبعوث",
    "المبعوثة",
    "الجنرال",
    "اللواء",
    "العميد",
    "العقيد",
    "الفريق",
    "المشير",
    "المرشد",
    "أمين",
    "الأمين",
    "حاكم",
    "محافظ",
    "عمدة",
    "مدير",
    "مديرة",
    "المدعي",
    "النائب",
    "السيناتور",
    "الممثل",
    "ممثل",
    "المندوب",
    "مندوب",
    "مساعد",
    "مساعدة",
    "البابا",
    "المفوض",
    "مفوض",
    // Forms of address, and the professions news names people by (sport,
    // letters, arts, the press): `المدرب الإسباني باكو لوبيز`.
    "السيد",
    "السيدة",
    "الدكتور",
    "الدكتورة",
    "المدرب",
    "مدرب",
    "اللاعب",
    "لاعب",
    "المهاجم",
    "الحارس",
    "النجم",
    "البطل",
    "الكاتب",
    "الكاتبة",
    "الروائي",
    "الروائية",
    "الشاعر",
    "الشاعرة",
    "الفنان",
    "الفنانة",
    "المخرج",
    "المخرجة",
    "الممثلة",
    "المغني",
    "المغنية",
    "المطرب",
    "المطربة",
    "الصحفي",
    "الصحفية",
    "الصحافي",
    "الصحافية",
    "الإعلامي",
    "الإعلامية",
    "الباحث",
    "الباحثة",
    "المحامي",
    "المحامية",
];

/// Titles that are titles only with a complement after them (`ولي العهد`,
/// `أمين عام`): alone they are a name's words (`ولي الله سيف`, the Iranian
/// central bank's governor; `محمد أمين بن عمر`).
const TITLES_NEEDING_COMPLEMENT: &[&str] = &["ولي", "أمين"];

/// Words that complete a title phrase when they follow its first word
/// (رئيس الوزراء، وزير الدفاع، المتحدث باسم، ولي العهد، الأمين العام).
const TITLE_COMPLEMENTS: &[&str] = &[
    "الوزراء",
    "الحكومة",
    "الجمهورية",
    "الدولة",
    "الدفاع",
    "الخارجية",
    "الداخلية",
    "المالية",
    "الخزانة",
    "العدل",
    "الاقتصاد",
    "التجارة",
    "الطاقة",
    "النفط",
    "الصحة",
    "الإعلام",
    "التعليم",
    "التربية",
    "الزراعة",
    "النقل",
    "الإسكان",
    "الثقافة",
    "السياحة",
    "العمل",
    "البيئة",
    "الأركان",
    "هيئة",
    "المخابرات",
    "الاستخبارات",
    "الأمن",
    "الشرطة",
    "الجيش",
    "القوات",
    "البرلمان",
    "المجلس",
    "مجلس",
    "النواب",
    "الشيوخ",
    "الشورى",
    "الأمة",
    "العهد",
    "العام",
    "عام",
    "النادي",
    "العامة",
    "الأعلى",
    "البيت",
    "الأبيض",
    "الكرملين",
    "الخاص",
    "الخاصة",
    "الرسمي",
    "الرسمية",
    "الأممي",
    "الدائم",
    "الدائمة",
    "السابق",
    "السابقة",
    "الأسبق",
    "المنتخب",
    "المكلف",
    "الأول",
    "المركزي",
    "الشؤون",
    "لشؤون",
    "للشؤون",
    "الأمريكية",
];

/// `باسم` after a spokesperson title: the next name is whom they speak for.
pub const ON_BEHALF_OF: &str = "باسم";

/// Heads of organization names that take a nationality adjective:
/// `وزارة الدفاع الأرمينية`, `الجيش الأرميني`. The flag says whether the head
/// is grammatically feminine (the adjective then ends in `ة`).
/// Heads news shortens (`الخارجية الروسية` for `وزارة الخارجية الروسية`):
/// an organization named either way gets the full head in its canonical
/// name, so both count as one actor.
pub const SHORTENED_HEADS: &[(&str, &str)] = &[("الخارجية", "وزارة الخارجية")];

pub const ORG_HEADS: &[(&str, bool)] = &[
    ("وزارة الدفاع", true),
    ("وزارة الخارجية", true),
    ("وزارة الداخلية", true),
    ("وزارة المالية", true),
    ("وزارة الخزانة", true),
    ("وزارة العدل", true),
    ("وزارة الصحة", true),
    ("وزارة الاقتصاد", true),
    ("وزارة التجارة", true),
    ("وزارة الطاقة", true),
    ("وزارة النفط", true),
    ("وزارة الإعلام", true),
    ("الخارجية", true),
    ("الحكومة", true),
    ("الرئاسة", true),
    ("القوات", true),
    ("القوات المسلحة", true),
    ("القوات الجوية", true),
    ("البحرية", true),
    ("الشرطة", true),
    ("المخابرات", true),
    ("الاستخبارات", true),
    ("السلطات", true),
    ("المعارضة", true),
    ("الجيش", false),
    ("البرلمان", false),
    ("الأمن", false),
    ("البنك المركزي", false),
    ("مجلس النواب", false),
    ("مجلس الشيوخ", false),
    ("الحرس الثوري", false),
];

/// Words before a place name that say it is a place: needed before a place
/// name that is also an ordinary word (صور، العين).
const LOCATIVES: &[&str] = &[
    "مدينة",
    "بلدة",
    "قرية",
    "محافظة",
    "منطقة",
    "ولاية",
    "إقليم",
    "مقاطعة",
    "ميناء",
    "مطار",
    "العاصمة",
    "عاصمة",
    "في",
    "من",
    "إلى",
    "الى",
    "قرب",
    "بالقرب",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "شمالي",
    "جنوبي",
    "شرقي",
    "غربي",
    "وسط",
    "ضواحي",
    "أنحاء",
    "مدينتي",
    "محافظتي",
];

/// Function words and frequent verbs of reporting that are never part of a
/// name: a name found by a pattern ends before them.
const FUNCTION_WORDS: &[&str] = &[
    "في",
    "من",
    "إلى",
    "الى",
    "على",
    "عن",
    "مع",
    "أن",
    "إن",
    "أنه",
    "إنه",
    "أنها",
    "إنها",
    "لا",
    "لم",
    "لن",
    "قد",
    "ما",
    "ماذا",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "و",
    "أو",
    "ثم",
    "بل",
    "لكن",
    "كما",
    "بعد",
    "قبل",
    "خلال",
    "عند",
    "حول",
    "بين",
    "منذ",
    "حتى",
    "عبر",
    "ضد",
    "لدى",
    "قال",
    "قالت",
    "يقول",
    "تقول",
    "أكد",
    "أكدت",
    "أعلن",
    "أعلنت",
    "أضاف",
    "أضافت",
    "أوضح",
    "أوضحت",
    "أشار",
    "أشارت",
    "ذكر",
    "ذكرت",
    "صرح",
    "دعا",
    "دعت",
    "وقال",
    "وقالت",
    "وأضاف",
    "وأكد",
    "هو",
    "هي",
    "هم",
    "كان",
    "كانت",
    "يكون",
    "تكون",
    "أمس",
    "اليوم",
    "الثلاثاء",
    "الإثنين",
    "الاثنين",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
    "عقد",
    "التقى",
    "يوم",
    "خلاله",
    "أيضا",
    "كل",
    "بعض",
    "غير",
    "إذ",
    "إذا",
    "حيث",
    "لأن",
    "عام",
    "العام",
    "الذي",
    "له",
    "لها",
    "به",
    "بها",
    "فيه",
    "فيها",
    "عليه",
    "عليها",
    "إنّ",
    "أنّ",
    "وفي",
    "ومن",
    "بأن",
    "بأنه",
];

/// Last words of a name that are not surnames on their own: the short form
/// of `مولود تشاووش أوغلو` is `تشاووش أوغلو`, not `أوغلو`.
const NAME_PARTICLES: &[&str] = &["أوغلو", "اوغلو", "الدين", "الله", "الرحمن", "العزيز"];

/// First words that bind to the next word of a name (عبد الله، أبو بكر، بن سلمان).
const NAME_BINDERS: &[&str] = &["عبد", "أبو", "أبي", "بن", "ابن", "آل", "ولد", "بنت"];

/// Adjectives of the places named after people (`مطار الملك عبد العزيز
/// الدولي`, `المستشفى الجامعي`): they end a name, though as masculine
/// nisbas they look like family names.
const FACILITY_ADJECTIVES: &[&str] = &[
    "الدولي",
    "الوطني",
    "العالمي",
    "الرياضي",
    "الجامعي",
    "التخصصي",
    "الطبي",
];

/// Words by which a genealogy goes on after a name (محمد بن سلمان بن عبد
/// العزيز آل سعود).
const GENEALOGY_LINKS: &[&str] = &["بن", "ابن", "آل"];

/// Titles of those who speak for someone (`المتحدث باسم الكرملين`): after
/// them `باسم` means "on behalf of", while after other titles it may be the
/// given name Basim (`النائب باسم يوسف`).
const SPOKESPEOPLE: &[&str] = &[
    "المتحدث",
    "المتحدثة",
    "متحدث",
    "متحدثة",
    "الناطق",
    "الناطقة",
    "ناطق",
    "ناطقة",
];

/// Normalized cue sets.
pub struct Cues {
    pub titles: FastSet,
    pub titles_needing_complement: FastSet,
    pub title_complements: FastSet,
    pub locatives: FastSet,
    pub function_words: FastSet,
    pub name_particles: FastSet,
    pub name_binders: FastSet,
    pub genealogy_links: FastSet,
    pub facility_adjectives: FastSet,
    pub spokespeople: FastSet,
    pub on_behalf_of: String,
    /// Org heads as normalized word sequences.
    pub org_heads: Vec<(Vec<String>, bool)>,
}

impl Cues {
    pub fn new() -> Cues {
        let set = |words: &[&str]| -> FastSet {
            let mut s = FastSet::default();
            s.extend(words.iter().map(|w| normalize(w)));
            s
        };
        Cues {
            titles: set(TITLES),
            titles_needing_complement: set(TITLES_NEEDING_COMPLEMENT),
            title_complements: set(TITLE_COMPLEMENTS),
            locatives: set(LOCATIVES),
            function_words: set(FUNCTION_WORDS),
            name_particles: set(NAME_PARTICLES),
            name_binders: set(NAME_BINDERS),
            genealogy_links: set(GENEALOGY_LINKS),
            facility_adjectives: set(FACILITY_ADJECTIVES),
            spokespeople: set(SPOKESPEOPLE),
            on_behalf_of: normalize(ON_BEHALF_OF),
            org_heads: ORG_HEADS
                .iter()
                .map(|(h, f)| (h.split(' ').map(normalize).collect(), *f))
                .collect(),
        }
    }

    /// True when `token` is `word` behind proclitics: `word` itself, a
    /// proclitic and `word` (`بأنقرة`), or an article proclitic standing for
    /// `word`'s article (`وبالولايات`, `للكرملين` for `الكرملين`). What is
    /// left must have at least two letters.
    pub fn is_form_of(token: &str, word: &str) -> bool {
        if token == word {
            return true;
        }
        let long_enough = |rest: &str| super::ner::at_least_chars(rest, 2);
        if let Some(after_article) = word.strip_prefix("ال") {
            if ARTICLE_PROCLITICS
                .iter()
                .any(|p| token.strip_prefix(p) == Some(after_article) && long_enough(after_article))
            {
                return true;
            }
        }
        PROCLITICS
            .iter()
            .any(|p| token.strip_prefix(p) == Some(word) && long_enough(word))
    }
}

impl Default for Cues {
    fn default() -> Self {
        Cues::new()
    }
}

/// Distinct normalized forms of a list, for tests and checks.
pub fn normalized(words: &[&str]) -> HashSet<String> {
    words.iter().map(|w| normalize(w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_behind_proclitics_keep_the_article() {
        let form = |t: &str, w: &str| Cues::is_form_of(&normalize(t), &normalize(w));
        assert!(form("وبالولايات", "الولايات"));
        assert!(form("للكرملين", "الكرملين"));
        assert!(form("بأنقرة", "أنقرة"));
        assert!(form("وزارة", "وزارة"));
        assert!(!form("بالولايات", "ولايات"));
        assert!(!form("ووزارة", "زارة"));
        assert!(!form("وب", "ب"));
    }

    #[test]
    fn cue_lists_are_normalized_and_disjoint_where_it_matters() {
        let cues = Cues::new();
        assert!(cues.titles.contains(&normalize("الرئيس")));
        assert!(normalized(TITLES)
            .intersection(&normalized(FUNCTION_WORDS))
            .next()
            .is_none());
    }
}
