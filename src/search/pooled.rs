//! Analyzers for query words that cost nothing to clone.
//!
//! Query compilation takes a fresh copy of each field's analyzer from the
//! tokenizer manager for every query, and copying one of akhbar's analyzers
//! copies its term cache (hundreds of kilobytes). The analyzers registered
//! here are empty handles: on first use one borrows a ready analyzer from its
//! thread's pool, and gives it back when dropped, so copies are free and the
//! analyzers (with their warm caches) are reused query after query.

use std::cell::RefCell;

use tantivy::tokenizer::{BoxTokenStream, TextAnalyzer, Tokenizer, TokenizerManager};

use crate::analysis;

/// Analyzers kept per thread and name; more are dropped when given back.
const POOL_PER_NAME: usize = 4;

thread_local! {
    static POOL: RefCell<Vec<(&'static str, TextAnalyzer)>> = const { RefCell::new(Vec::new()) };
}

/// A handle on one of akhbar's analyzers, by name.
pub struct PooledAnalyzer {
    name: &'static str,
    analyzer: Option<TextAnalyzer>,
}

impl Clone for PooledAnalyzer {
    fn clone(&self) -> PooledAnalyzer {
        PooledAnalyzer {
            name: self.name,
            analyzer: None,
        }
    }
}

impl Drop for PooledAnalyzer {
    fn drop(&mut self) {
        let Some(analyzer) = self.analyzer.take() else {
            return;
        };
        let _ = POOL.try_with(|pool| {
            let mut pool = pool.borrow_mut();
            if pool.iter().filter(|(n, _)| *n == self.name).count() < POOL_PER_NAME {
                pool.push((self.name, analyzer));
            }
        });
    }
}

impl Tokenizer for PooledAnalyzer {
    type TokenStream<'a> = BoxTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BoxTokenStream<'a> {
        let name = self.name;
        let analyzer = self.analyzer.get_or_insert_with(|| {
            let pooled = POOL.with(|pool| {
                let mut pool = pool.borrow_mut();
                let i = pool.iter().position(|(n, _)| *n == name)?;
                Some(pool.swap_remove(i).1)
            });
            pooled.unwrap_or_else(|| analysis::by_name(name).unwrap_or_default())
        });
        analyzer.token_stream(text)
    }
}

/// A tokenizer manager with tantivy's default tokenizers and akhbar's
/// analyzers as pooled handles: the same analysis, cheap to copy.
pub fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    for &name in analysis::known_analyzers() {
        if analysis::by_name(name).is_some() {
            manager.register(
                name,
                PooledAnalyzer {
                    name,
                    analyzer: None,
                },
            );
        }
    }
    manager
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooled_analyzers_analyze_as_the_originals() {
        let manager = tokenizers();
        let text = "أمدت تركيا أذربيجان بطائرات بيرقدار، وقال وزير الدفاع";
        for &name in analysis::known_analyzers() {
            let Some(mut original) = analysis::by_name(name) else {
                continue;
            };
            let expected = analysis::tokens(&mut original, text);
            for _ in 0..3 {
                let mut pooled = manager.get(name).expect("registered");
                assert_eq!(analysis::tokens(&mut pooled, text), expected, "{name}");
            }
        }
        assert!(manager.get(analysis::RAW).is_some());
    }
}
