//! Builds the tagger's lexicon (`data/ner/lexicon.tsv`, read by
//! [`super::lexicon`]) from an unannotated news archive: word counts, how
//! often each word takes the article, and distributional clusters: words
//! that appear between the same neighbours (`قال X إن`, `في X ،`) fall in the
//! same cluster, so a name the annotated data never saw still looks like the
//! names it did.
//!
//! Each frequent word is described by the counts of its neighbours among
//! the most frequent tokens, one and two words away on each side (a name
//! is told by `قال الرئيس X` as much as by `الرئيس X`), square-rooted and
//! scaled to unit length; spherical k-means groups the words, once coarsely
//! and once finely. Everything is deterministic.
//!
//! Two more columns say how often a word stands where news put a person's
//! name: right after a title phrase or a verb of saying (`الرئيس السوري X`,
//! `وقال X`), or one word later (`الرئيس X Y`). Few words the annotated data
//! never saw are known names, but most of them fill these slots in the
//! archive.

use super::cues::Cues;
use super::matcher::{self, FastMap, FastSet};

/// Settings of a build.
#[derive(Debug, Clone)]
pub struct Options {
    /// Words seen fewer times are left out.
    pub min_count: u32,
    /// At most this many words (the most frequent).
    pub max_words: usize,
    /// Neighbour tokens that describe a word (the most frequent).
    pub contexts: usize,
    /// How far on each side neighbours are counted (1 or 2), each distance
    /// and side apart.
    pub window: usize,
    /// Number of coarse and of fine clusters.
    pub coarse: usize,
    pub fine: usize,
    /// k-means passes.
    pub iterations: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            min_count: 5,
            max_words: 60_000,
            contexts: 1_000,
            window: 2,
            coarse: 64,
            fine: 512,
            iterations: 10,
        }
    }
}

/// Accumulates token sequences.
#[derive(Default)]
pub struct Builder {
    ids: FastMap<String, u32>,
    words: Vec<String>,
    counts: Vec<u32>,
    /// Every token id in order; `BREAK` between texts.
    sequence: Vec<u32>,
}

const BREAK: u32 = u32::MAX;

impl Builder {
    /// Adds one text.
    pub fn add(&mut self, text: &str) {
        for t in matcher::tokenize(text) {
            let id = match self.ids.get(t.norm.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.ids.insert(t.norm.to_string(), id);
                    self.words.push(t.norm.to_string());
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            self.sequence.push(id);
        }
        self.sequence.push(BREAK);
    }

    /// Number of tokens added.
    pub fn tokens(&self) -> usize {
        self.sequence.len()
    }

    /// For every word id, how many times it fills the first and the second
    /// slot of a person's name: after a title or honorific, skipping the
    /// words that complete the title (`وزير الخارجية الأمريكي`), or after a
    /// verb of saying that no title follows.
    fn person_slots(&self) -> Vec<[u32; 2]> {
        let cues = Cues::new();
        let set = |words: &[&str]| -> FastSet {
            let mut s = FastSet::default();
            s.extend(words.iter().map(|w| crate::analysis::normalize(w)));
            s
        };
        let honorifics = set(HONORIFICS);
        let verbs = set(SAYING);
        let kind: Vec<u8> = self
            .words
            .iter()
            .map(|w| {
                if cues.titles.contains(w.as_str()) || honorifics.contains(w.as_str()) {
                    TITLE
                } else if cues.title_complements.contains(w.as_str()) || is_nisba(w) {
                    COMPLEMENT
                } else if verbs.contains(w.as_str()) {
                    SAYS
                } else {
                    0
                }
            })
            .collect();
        let mut slots = vec![[0u32; 2]; self.words.len()];
        let s = &self.sequence;
        let k = |i: usize| -> u8 {
            match s.get(i) {
                Some(&id) if id != BREAK => kind[id as usize],
                _ => u8::MAX,
            }
        };
        for i in 0..s.len() {
            let mut j = i + 1;
            match k(i) {
                TITLE => {
                    while j < i + 4 && matches!(k(j), TITLE | COMPLEMENT) {
                        j += 1;
                    }
                }
                SAYS if k(j) != TITLE => {}
                _ => continue,
            }
            for (slot, at) in [j, j + 1].into_iter().enumerate() {
                if matches!(k(at), 0 | COMPLEMENT) {
                    slots[s[at] as usize][slot] += 1;
                } else {
                    break;
                }
            }
        }
        slots
    }

    /// The lexicon as TSV text.
    pub fn finish(&self, options: &Options) -> String {
        let mut by_count: Vec<u32> = (0..self.words.len() as u32).collect();
        by_count.sort_by(|a, b| {
            self.counts[*b as usize]
                .cmp(&self.counts[*a as usize])
                .then_with(|| self.words[*a as usize].cmp(&self.words[*b as usize]))
        });
        let vocab: Vec<u32> = by_count
            .iter()
            .copied()
            .filter(|&id| self.counts[id as usize] >= options.min_count)
            .take(options.max_words)
            .collect();
        let mut row_of = vec![u32::MAX; self.words.len()];
        for (r, &id) in vocab.iter().enumerate() {
            row_of[id as usize] = r as u32;
        }
        let mut context_of = vec![u32::MAX; self.words.len()];
        for (c, &id) in by_count.iter().take(options.contexts).enumerate() {
            context_of[id as usize] = c as u32;
        }
        let window = options.window.clamp(1, 2);
        let vectors = self.vectors(&row_of, &context_of, vocab.len(), window);
        let dims = 2 * window * options.contexts;
        let coarse = kmeans(&vectors, dims, options.coarse, options.iterations);
        let fine = kmeans(&vectors, dims, options.fine, options.iterations);
        let slots = self.person_slots();

        let mut out = String::new();
        out.push_str(
            "# word\tcoarse cluster\tfine cluster\tarticle (0 never … 4 mostly)\tlog2 count\tfirst name slot\tsecond name slot (0 never … 5 mostly)\n",
        );
        out.push_str(&format!(
            "# {} words seen at least {} times; {} coarse and {} fine clusters over {} neighbour tokens up to {} words away\n",
            vocab.len(),
            options.min_count,
            options.coarse,
            options.fine,
            options.contexts,
            window
        ));
        for (r, &id) in vocab.iter().enumerate() {
            let word = &self.words[id as usize];
            if word.contains(['\t', '\n', '#']) {
                continue;
            }
            let count = self.counts[id as usize];
            let [first, second] = slots[id as usize];
            out.push_str(&format!(
                "{word}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                coarse[r],
                fine[r],
                self.article_step(word),
                31 - count.leading_zeros(),
                share_step(first, count),
                share_step(second, count)
            ));
        }
        out
    }

    fn count(&self, word: &str) -> u32 {
        self.ids.get(word).map_or(0, |&id| self.counts[id as usize])
    }

    /// How often the word (without its article) is written with the
    /// article, in steps 0..=4.
    fn article_step(&self, word: &str) -> u32 {
        let base = match word.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => rest,
            _ => word,
        };
        let with = self.count(&format!("ال{base}")) as f64;
        let without = self.count(base) as f64;
        if with + without == 0.0 {
            return 0;
        }
        ((with / (with + without) * 5.0) as u32).min(4)
    }

    /// Sparse unit vectors of neighbour counts, one per vocabulary row: a
    /// block of dimensions for each side and distance up to `window`
    /// (neighbours within the same text only).
    fn vectors(
        &self,
        row_of: &[u32],
        context_of: &[u32],
        rows: usize,
        window: usize,
    ) -> Vec<Vec<(u32, f32)>> {
        let contexts = context_of.iter().filter(|&&c| c != u32::MAX).count() as u32;
        let mut counts: Vec<FastMap<u32, u32>> = vec![FastMap::default(); rows];
        let s = &self.sequence;
        for i in 0..s.len() {
            if s[i] == BREAK {
                continue;
            }
            let r = row_of[s[i] as usize];
            if r == u32::MAX {
                continue;
            }
            let row = &mut counts[r as usize];
            // Block 2(d−1) is the neighbour d words before, 2(d−1)+1 the one
            // d words after.
            for d in 1..=window {
                for (side, at) in [(0, i.checked_sub(d)), (1, Some(i + d))] {
                    let Some(at) = at.filter(|&j| j < s.len()) else {
                        continue;
                    };
                    let (lo, hi) = (at.min(i), at.max(i));
                    if s[lo..=hi].contains(&BREAK) {
                        continue;
                    }
                    let c = context_of[s[at] as usize];
                    if c != u32::MAX {
                        let block = (2 * (d - 1) + side) as u32;
                        *row.entry(block * contexts + c).or_default() += 1;
                    }
                }
            }
        }
        counts
            .into_iter()
            .map(|row| {
                let mut v: Vec<(u32, f32)> = row
                    .into_iter()
                    .map(|(c, n)| (c, (n as f32).sqrt()))
                    .collect();
                v.sort_by_key(|(c, _)| *c);
                let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
                if norm > 0.0 {
                    for (_, x) in &mut v {
                        *x /= norm;
                    }
                }
                v
            })
            .collect()
    }
}

/// Kinds of words around a person-name slot.
const TITLE: u8 = 1;
const COMPLEMENT: u8 = 2;
const SAYS: u8 = 3;

/// Words besides the titles of [`super::cues`] that introduce a person's name.
const HONORIFICS: &[&str] = &[
    "السيد",
    "السيدة",
    "الدكتور",
    "الدكتورة",
    "المهندس",
    "الأستاذ",
    "الشيخة",
    "الحاج",
    "الإمام",
    "الفنان",
    "الفنانة",
    "الممثلة",
    "المطرب",
    "المطربة",
    "المغني",
    "المغنية",
    "اللاعب",
    "اللاعبة",
    "المدرب",
    "الكاتب",
    "الكاتبة",
    "الشاعر",
    "الروائي",
    "المخرج",
    "الصحفي",
    "الصحافي",
    "الناشط",
    "الناشطة",
    "النجم",
    "النجمة",
    "الزميل",
    "الزميلة",
];

/// Verbs of saying: the subject, often a name, follows them.
const SAYING: &[&str] = &[
    "قال",
    "وقال",
    "قالت",
    "وقالت",
    "أكد",
    "وأكد",
    "أكدت",
    "وأكدت",
    "أضاف",
    "وأضاف",
    "أضافت",
    "وأضافت",
    "أوضح",
    "وأوضح",
    "أوضحت",
    "وأوضحت",
    "صرح",
    "وصرح",
    "أعلن",
    "وأعلن",
    "ذكر",
    "وذكر",
    "أشار",
    "وأشار",
    "اعتبر",
    "واعتبر",
    "رأى",
    "ورأى",
    "يقول",
    "ويقول",
];

/// An adjective of relation with the article (`الأمريكي`, `السورية`): it
/// completes a title (`الرئيس السوري`), never starts a name.
fn is_nisba(word: &str) -> bool {
    word.starts_with("ال")
        && super::ner::at_least_chars(word, 5)
        && (word.ends_with('ي') || word.ends_with("يه"))
}

/// A share in six steps: 0 never, then under 2%, 5%, 15%, 40%, and more.
fn share_step(part: u32, whole: u32) -> u32 {
    if part == 0 || whole == 0 {
        return 0;
    }
    let share = part as f64 / whole as f64;
    1 + [0.02, 0.05, 0.15, 0.4]
        .iter()
        .filter(|&&t| share >= t)
        .count() as u32
}

/// Spherical k-means: the cluster of every vector. Centroids start at
/// vectors spread evenly over the (frequency-ordered) rows.
pub fn kmeans(vectors: &[Vec<(u32, f32)>], dims: usize, k: usize, iterations: usize) -> Vec<u32> {
    let n = vectors.len();
    let k = k.min(n).max(1);
    let mut centroids = vec![0f32; k * dims];
    for c in 0..k {
        for &(d, x) in &vectors[c * n / k] {
            centroids[c * dims + d as usize] = x;
        }
    }
    let mut assign = vec![0u32; n];
    for _ in 0..iterations {
        let threads = std::thread::available_parallelism().map_or(1, |p| p.get().min(4));
        let chunk = n.div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            for (part, out) in vectors.chunks(chunk).zip(assign.chunks_mut(chunk)) {
                let centroids = &centroids;
                scope.spawn(move || {
                    for (v, a) in part.iter().zip(out.iter_mut()) {
                        let mut best = f32::NEG_INFINITY;
                        for c in 0..k {
                            let row = &centroids[c * dims..(c + 1) * dims];
                            let dot: f32 = v.iter().map(|&(d, x)| row[d as usize] * x).sum();
                            if dot > best {
                                best = dot;
                                *a = c as u32;
                            }
                        }
                    }
                });
            }
        });
        let mut sums = vec![0f32; k * dims];
        for (v, &a) in vectors.iter().zip(&assign) {
            for &(d, x) in v {
                sums[a as usize * dims + d as usize] += x;
            }
        }
        for c in 0..k {
            let row = &mut sums[c * dims..(c + 1) * dims];
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                for x in row.iter_mut() {
                    *x /= norm;
                }
                centroids[c * dims..(c + 1) * dims].copy_from_slice(row);
            }
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::lexicon::Lexicon;

    #[test]
    fn words_in_the_same_slots_share_a_cluster() {
        let mut b = Builder::default();
        for k in 0..40 {
            let name = ["سمير", "كريم", "نادر", "فادي"][k % 4];
            let place = ["بيروت", "دمشق", "عمان", "القاهرة"][k % 4];
            b.add(&format!("قال {name} إن الوفد وصل إلى {place} أمس"));
            b.add(&format!("وصل الوزير إلى {place} و{name} معه"));
        }
        let options = Options {
            min_count: 2,
            contexts: 20,
            coarse: 2,
            fine: 6,
            ..Options::default()
        };
        let tsv = b.finish(&options);
        let lex = Lexicon::parse(&tsv, "").unwrap();
        let fine = |w: &str| lex.get(w).fine;
        assert_ne!(fine("سمير"), 0);
        assert_eq!(fine("سمير"), fine("كريم"));
        assert_eq!(fine("بيروت"), fine("دمشق"));
        assert_ne!(fine("سمير"), fine("بيروت"));
        // The article: القاهره always has it, the names never.
        assert_eq!(lex.get("القاهره").article, 5);
        assert_eq!(lex.get("سمير").article, 1);
    }

    #[test]
    fn names_after_titles_and_verbs_of_saying_fill_person_slots() {
        let mut b = Builder::default();
        for _ in 0..3 {
            b.add("وقال الرئيس السوري بشار الأسد إن الوفد وصل");
            b.add("قال نادر إن الوفد وصل إلى القاهرة");
            b.add("وصل الوفد إلى القاهرة");
        }
        let options = Options {
            min_count: 2,
            contexts: 20,
            coarse: 2,
            fine: 4,
            ..Options::default()
        };
        let lex = Lexicon::parse(&b.finish(&options), "").unwrap();
        let slots = |w: &str| {
            let e = lex.get(&crate::analysis::normalize(w));
            (e.first_slot, e.second_slot)
        };
        // The title's complement (السوري) is skipped: بشار is always first.
        assert_eq!(slots("بشار"), (5, 0));
        assert_eq!(slots("الأسد"), (0, 5));
        assert_eq!(slots("نادر"), (5, 0));
        // A title after a verb of saying is no name; إن only follows one.
        assert_eq!(slots("الرئيس"), (0, 0));
        assert_eq!(slots("إن").0, 0);
        assert_eq!(slots("الوفد"), (0, 0));
        assert_eq!(share_step(1, 100), 1);
        assert_eq!(share_step(0, 100), 0);
        assert_eq!(share_step(50, 100), 5);
    }

    #[test]
    fn neighbours_two_words_away_tell_words_apart() {
        // Same neighbours next to them, different ones two words away.
        let mut b = Builder::default();
        for k in 0..30 {
            let a = ["سمير", "كريم"][k % 2];
            let c = ["بيروت", "دمشق"][k % 2];
            b.add(&format!("قال ثم {a} ثم الوفد"));
            b.add(&format!("في ثم {c} ثم البلد"));
        }
        let clusters = |window: usize| {
            let options = Options {
                min_count: 2,
                contexts: 20,
                window,
                coarse: 2,
                fine: 8,
                ..Options::default()
            };
            let lex = Lexicon::parse(&b.finish(&options), "").unwrap();
            let fine = |w: &str| lex.get(w).fine;
            (fine("سمير"), fine("كريم"), fine("بيروت"))
        };
        let (a, b1, c) = clusters(1);
        assert_eq!(
            (a, a),
            (b1, c),
            "one word away, the names and places look alike"
        );
        let (a, b2, c) = clusters(2);
        assert_eq!(a, b2);
        assert_ne!(a, c);
    }
}
