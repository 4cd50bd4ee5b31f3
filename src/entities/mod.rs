//! Entities: the countries, places and actors an article is about.

pub mod clusters;
pub mod conll;
pub mod cues;
pub mod fingerprints;
pub mod gazetteer;
pub mod lexicon;
pub mod matcher;
pub mod memory;
pub mod ner;
mod rows;
pub mod suggest;
pub mod tagger;
pub mod tokens;

pub use gazetteer::{Actor, ActorKind, Country, Gazetteer, Place};
pub use tagger::{Entities, Mention, MentionKind, Tagger};
pub use tokens::{Token, Tokens};
