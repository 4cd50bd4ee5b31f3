//! The `tag`, `actors` and `ner` commands: reading input, calling the
//! library, printing.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use akhbar::archive;
use akhbar::entities::clusters;
use akhbar::entities::conll::{self, Scores};
use akhbar::entities::suggest::Harvest;
use akhbar::entities::{Gazetteer, Tagger};

/// The text of `file` (`-`: standard input). Text in another encoding the
/// archive reader recognizes (Windows-1256, ISO-8859-6, UTF-16) is decoded,
/// and a note says so: offsets are then into its UTF-8 form.
fn read_input(file: &Path) -> Result<String> {
    let (name, bytes) = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        ("standard input".to_string(), bytes)
    } else {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
        (name, bytes)
    };
    match archive::encoding::detect(&bytes, true, || None) {
        Ok(archive::encoding::Detected::Other(encoding)) => {
            eprintln!(
                "akhbar: {name} read as {} text; offsets are into its UTF-8 form",
                encoding.name()
            );
            Ok(encoding.decode(&bytes).0.into_owned())
        }
        Ok(archive::encoding::Detected::Utf8) => String::from_utf8(bytes).or_else(|e| {
            eprintln!(
                "akhbar: {name} has bytes that are not UTF-8 (the first at byte {}); they read as U+FFFD and later offsets move",
                e.utf8_error().valid_up_to()
            );
            Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
        }),
        Err(e) => bail!(
            "cannot read {name}: {}; convert it to UTF-8 first (iconv -f ENCODING -t UTF-8)",
            e.reason()
        ),
    }
}

/// `akhbar tag FILE [--json | --conll]`.
pub fn tag(file: &Path, json: bool, conll_mode: bool) -> Result<()> {
    let text = read_input(file)?;
    let tagger = Tagger::new(Gazetteer::builtin()?);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if conll_mode {
        if tagger.model().is_none() {
            bail!("the built-in NER model could not be read; rebuild akhbar");
        }
        let sentences = conll::read(&text, &file.display().to_string())?;
        for (s, tags) in sentences
            .iter()
            .zip(conll::tag_sentences(&tagger, &sentences))
        {
            for (token, tag) in s.tokens.iter().zip(tags) {
                writeln!(out, "{token}\t{tag}")?;
            }
            writeln!(out)?;
        }
        out.flush()?;
        return Ok(());
    }
    let mentions = tagger.mentions(&text);
    if json {
        for m in &mentions {
            serde_json::to_writer(&mut out, m)?;
            writeln!(out)?;
        }
    } else {
        for m in &mentions {
            writeln!(
                out,
                "{}-{}\t{}\t{}\t{}\t{}\t{}",
                m.start,
                m.end,
                serde_json::to_value(m.kind)?.as_str().unwrap_or(""),
                m.text,
                m.canonical,
                if m.country.is_empty() {
                    "-"
                } else {
                    &m.country
                },
                m.evidence
            )?;
        }
        let e = tagger.entities(&mentions);
        writeln!(out, "countries: {}", e.countries.join(" "))?;
        writeln!(out, "places: {}", e.places.join("، "))?;
        writeln!(out, "actors: {}", e.actors.join("، "))?;
    }
    out.flush()?;
    Ok(())
}

/// Calls `f` with the texts (title, body) of every article under `dirs`,
/// reporting skipped files and records; returns the number of articles.
fn each_article(dirs: &[PathBuf], mut f: impl FnMut(&[&str])) -> Result<usize> {
    for dir in dirs {
        if !dir.exists() {
            bail!("{}: no such file or directory", dir.display());
        }
    }
    let (files, errors) = archive::walk::walk(dirs);
    for e in &errors {
        eprintln!("akhbar: skipped {}: {}", e.path.display(), e.reason);
    }
    let mut articles = 0usize;
    for file in &files {
        let read = archive::read_file(&file.path, &file.rel_path, &mut |record| match record {
            Ok(article) => {
                let mut texts: Vec<&str> = Vec::new();
                if let Some(title) = &article.title {
                    texts.push(title);
                }
                texts.push(&article.body);
                f(&texts);
                articles += 1;
            }
            Err(e) => eprintln!(
                "akhbar: skipped {} record {}: {}",
                file.path.display(),
                e.record,
                e.reason
            ),
        });
        if let Err(e) = read {
            eprintln!("akhbar: skipped {}: {}", file.path.display(), e.reason);
        }
    }
    Ok(articles)
}

/// `akhbar actors suggest DIR…`.
pub fn suggest(dirs: &[PathBuf], min_count: usize, limit: usize, json: bool) -> Result<()> {
    let tagger = Tagger::new(Gazetteer::builtin()?);
    let mut harvest = Harvest::default();
    let articles = each_article(dirs, |texts| harvest.add(&tagger, texts))?;
    let candidates = harvest.candidates(min_count);
    eprintln!(
        "akhbar: {} candidate actors seen at least {min_count} times in {articles} articles",
        candidates.len()
    );
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !json {
        writeln!(out, "# count\tname\tcountry\trole\texample")?;
    }
    for c in candidates.iter().take(limit) {
        if json {
            serde_json::to_writer(&mut out, c)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                c.count,
                c.name,
                if c.country.is_empty() {
                    "-"
                } else {
                    &c.country
                },
                c.role,
                c.examples.first().map(String::as_str).unwrap_or("")
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn read_conll(file: &Path) -> Result<Vec<conll::Sentence>> {
    let text = read_input(file)?;
    let sentences = conll::read(&text, &file.display().to_string())?;
    if sentences.is_empty() {
        bail!("{}: no sentences", file.display());
    }
    Ok(sentences)
}

/// `akhbar ner eval FILE`.
pub fn ner_eval(file: &Path) -> Result<()> {
    let sentences = read_conll(file)?;
    let tagger = Tagger::new(Gazetteer::builtin()?);
    if tagger.model().is_none() {
        bail!("the built-in NER model could not be read; rebuild akhbar");
    }
    print!("{}", conll::evaluate(&tagger, &sentences));
    Ok(())
}

/// `akhbar ner score GOLD PREDICTED`.
pub fn ner_score(gold: &Path, predicted: &Path) -> Result<()> {
    let g = read_conll(gold)?;
    let p = read_conll(predicted)?;
    if g.len() != p.len() {
        bail!(
            "{} has {} sentences but {} has {}",
            gold.display(),
            g.len(),
            predicted.display(),
            p.len()
        );
    }
    let mut scores = Scores::default();
    for (k, (gs, ps)) in g.iter().zip(&p).enumerate() {
        if gs.tokens.len() != ps.tokens.len() {
            bail!(
                "sentence {}: {} tokens in {} but {} in {}",
                k + 1,
                gs.tokens.len(),
                gold.display(),
                ps.tokens.len(),
                predicted.display()
            );
        }
        let gt: Vec<&str> = gs.tags.iter().map(String::as_str).collect();
        let pt: Vec<&str> = ps.tags.iter().map(String::as_str).collect();
        scores.add(&gt, &pt);
    }
    print!("{scores}");
    Ok(())
}

/// `akhbar ner cv FILE [--predictions OUT]`.
pub fn ner_cv(
    file: &Path,
    folds: usize,
    epochs: usize,
    seed: u64,
    predictions: Option<&Path>,
) -> Result<()> {
    let sentences = read_conll(file)?;
    let tagger = Tagger::with_model(Gazetteer::builtin()?, None);
    let cv = conll::cross_validate(&tagger, &sentences, folds, epochs, seed)?;
    if let Some(path) = predictions {
        let mut text = String::new();
        for (s, tags) in sentences.iter().zip(&cv.predicted) {
            for ((token, gold), tag) in s.tokens.iter().zip(&s.tags).zip(tags) {
                text.push_str(&format!("{token}\t{gold}\t{tag}\n"));
            }
            text.push('\n');
        }
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let pooled = cv.pooled;
    for (k, s) in cv.folds.iter().enumerate() {
        let m = s.micro();
        println!(
            "fold {}: micro P {:.4} R {:.4} F1 {:.4}",
            k + 1,
            m.precision(),
            m.recall(),
            m.f1()
        );
    }
    println!("{folds}-fold cross-validation, {epochs} epochs, seed {seed}, pooled:");
    print!("{pooled}");
    Ok(())
}

/// `akhbar ner train FILE -o MODEL`.
pub fn ner_train(file: &Path, output: &Path, epochs: usize) -> Result<()> {
    let sentences = read_conll(file)?;
    let tagger = Tagger::with_model(Gazetteer::builtin()?, None);
    let model = conll::train(&tagger, &sentences, epochs);
    let bytes = model.to_bytes();
    std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "akhbar: trained on {} sentences ({epochs} epochs); wrote {} ({} feature rows, {:.1} MB)",
        sentences.len(),
        output.display(),
        model.len(),
        bytes.len() as f64 / 1e6
    );
    Ok(())
}

/// `akhbar ner lexicon DIR… -o data/ner/lexicon.tsv`.
pub fn ner_lexicon(dirs: &[PathBuf], output: &Path, options: &clusters::Options) -> Result<()> {
    let mut builder = clusters::Builder::default();
    let articles = each_article(dirs, |texts| {
        for t in texts {
            builder.add(t);
        }
    })?;
    if builder.tokens() == 0 {
        bail!("no text found under the given directories");
    }
    let tsv = builder.finish(options);
    std::fs::write(output, &tsv).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "akhbar: {} tokens of {articles} articles; wrote {} ({} words, {:.1} MB)",
        builder.tokens(),
        output.display(),
        tsv.lines().filter(|l| !l.starts_with('#')).count(),
        tsv.len() as f64 / 1e6
    );
    Ok(())
}
