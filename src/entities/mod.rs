//! Entities: the countries, places and actors an article is about.

pub mod gazetteer;
pub mod tagger;

pub use gazetteer::{Actor, ActorKind, Country, Gazetteer, Place};
pub use tagger::{Entities, Mention, MentionKind, Tagger};
