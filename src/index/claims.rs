//! Which copy of a duplicated article is kept: the first in walk order.
//!
//! Workers read files in parallel, so the copy that reaches the index first
//! is a matter of timing. Left at that, two runs over the same archive could
//! keep different copies (another id, path, source or category each time).
//! Instead every article claims its keys (id hash, body hash) with its rank,
//! its file's place in the walk and its record number: a claim with a
//! lower rank wins, and one that comes late supersedes the copy already
//! claimed, which is dropped if not yet indexed or deleted if it was.
//!
//! A claim can only be superseded by a file earlier in the walk; files are
//! started in walk order, so once every earlier file is finished the claim
//! is final and only its keys stay, as those of articles indexed by earlier
//! runs do. Memory beyond the key sets is bounded by the files in progress.

use std::collections::{BTreeMap, HashMap, HashSet};

/// A key's holder in [`Claims`]: a live claim's number, or [`FINAL`].
type Holder = u64;

/// The holder of keys whose article stays, whatever comes later.
const FINAL: Holder = 0;

/// One article's live claim.
#[derive(Debug)]
struct Claim {
    rank: (usize, usize),
    keys: [u64; 2],
    id: Box<str>,
    added: bool,
}

/// A copy that an earlier one superseded after it reached the index: its
/// document must be deleted, and its file's record of it updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superseded {
    /// Place of its file in the walk.
    pub file: usize,
    /// Its id, by which the document is deleted.
    pub id: Box<str>,
    pub keys: [u64; 2],
    /// Whether its file was finished (its keys are in the manifest);
    /// otherwise [`Claims::finish_file`] drops them from the file's keys.
    pub file_finished: bool,
}

/// What a claim decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// An earlier copy holds a key: this one is a duplicate.
    Duplicate,
    /// This copy holds its keys for now (claim number for
    /// [`Claims::confirm`]); the copies it superseded that were already
    /// indexed are listed.
    Claimed(u64, Vec<Superseded>),
}

/// The keys of the articles kept, and the live claims of this run.
#[derive(Debug, Default)]
pub struct Claims {
    ids: HashMap<u64, Holder>,
    bodies: HashMap<u64, Holder>,
    live: HashMap<u64, Claim>,
    /// Live claims by file, to make them final when earlier files finish.
    by_file: BTreeMap<usize, Vec<u64>>,
    /// Copies superseded after being indexed, by unfinished file.
    taken_back: HashMap<usize, Vec<[u64; 2]>>,
    /// Claims superseded before their article was added, until their
    /// worker asks ([`Claims::confirm`]).
    dropped: HashSet<u64>,
    finished: Vec<bool>,
    /// The first unfinished file: claims of files up to it are final.
    first_open: usize,
    next_claim: u64,
}

impl Claims {
    /// Claims over `files` files, the keys `kept` (of articles already in
    /// the index) holding from the start. A body hash of 0 is no key.
    pub fn new(files: usize, kept: impl IntoIterator<Item = [u64; 2]>) -> Claims {
        let mut claims = Claims {
            finished: vec![false; files],
            next_claim: FINAL + 1,
            ..Claims::default()
        };
        for [id, body] in kept {
            claims.ids.insert(id, FINAL);
            if body != 0 {
                claims.bodies.insert(body, FINAL);
            }
        }
        claims
    }

    /// Claims the keys of record `record` of file `file`.
    pub fn claim(&mut self, keys: [u64; 2], file: usize, record: usize, id: &str) -> Verdict {
        let rank = (file, record);
        let [id_key, body_key] = keys;
        let holders = [
            self.ids.get(&id_key).copied(),
            (body_key != 0)
                .then(|| self.bodies.get(&body_key).copied())
                .flatten(),
        ];
        let mut losers: Vec<u64> = Vec::new();
        for holder in holders.into_iter().flatten() {
            match self.live.get(&holder) {
                Some(claim) if claim.rank > rank => {
                    if !losers.contains(&holder) {
                        losers.push(holder);
                    }
                }
                // FINAL, or a live claim of an earlier copy.
                _ => return Verdict::Duplicate,
            }
        }
        let mut superseded = Vec::new();
        for number in losers {
            let claim = self.live.remove(&number).expect("a live claim");
            self.release(number, claim.keys);
            if !claim.added {
                self.dropped.insert(number);
            } else {
                let file_finished = self.finished[claim.rank.0];
                if !file_finished {
                    self.taken_back
                        .entry(claim.rank.0)
                        .or_default()
                        .push(claim.keys);
                }
                superseded.push(Superseded {
                    file: claim.rank.0,
                    id: claim.id,
                    keys: claim.keys,
                    file_finished,
                });
            }
        }
        let number = self.next_claim;
        self.next_claim += 1;
        self.ids.insert(id_key, number);
        if body_key != 0 {
            self.bodies.insert(body_key, number);
        }
        self.live.insert(
            number,
            Claim {
                rank,
                keys,
                id: id.into(),
                added: false,
            },
        );
        self.by_file.entry(file).or_default().push(number);
        Verdict::Claimed(number, superseded)
    }

    /// Whether claim `number` still holds, its article about to be added
    /// to the index; false when an earlier copy superseded it meanwhile.
    /// (A claim made final meanwhile holds.)
    pub fn confirm(&mut self, number: u64) -> bool {
        if self.dropped.remove(&number) {
            return false;
        }
        if let Some(claim) = self.live.get_mut(&number) {
            claim.added = true;
        }
        true
    }

    /// Marks file `file` finished and returns the keys of its articles that
    /// were indexed and then superseded, to drop from the file's keys.
    pub fn finish_file(&mut self, file: usize) -> Vec<[u64; 2]> {
        self.finished[file] = true;
        while self.first_open < self.finished.len() && self.finished[self.first_open] {
            self.first_open += 1;
        }
        // Claims of files up to the first open one cannot be superseded.
        let last_final = self.first_open;
        while let Some(entry) = self.by_file.first_entry() {
            if *entry.key() > last_final {
                break;
            }
            for number in entry.remove() {
                if let Some(claim) = self.live.remove(&number) {
                    self.finalize(number, claim.keys);
                }
            }
        }
        self.taken_back.remove(&file).unwrap_or_default()
    }

    /// Drops the keys claim `number` holds.
    fn release(&mut self, number: u64, [id, body]: [u64; 2]) {
        if self.ids.get(&id) == Some(&number) {
            self.ids.remove(&id);
        }
        if body != 0 && self.bodies.get(&body) == Some(&number) {
            self.bodies.remove(&body);
        }
    }

    /// Keeps the keys claim `number` holds for good.
    fn finalize(&mut self, number: u64, [id, body]: [u64; 2]) {
        if let Some(holder) = self.ids.get_mut(&id).filter(|h| **h == number) {
            *holder = FINAL;
        }
        if let Some(holder) = self.bodies.get_mut(&body).filter(|h| **h == number) {
            *holder = FINAL;
        }
    }

    /// Claims not yet final (for tests of the memory bound).
    #[cfg(test)]
    fn live_claims(&self) -> usize {
        self.live.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claimed(v: Verdict) -> (u64, Vec<Superseded>) {
        match v {
            Verdict::Claimed(n, s) => (n, s),
            Verdict::Duplicate => panic!("expected a claim"),
        }
    }

    #[test]
    fn earlier_index_keys_always_win() {
        let mut c = Claims::new(2, [[1, 10]]);
        assert_eq!(c.claim([1, 11], 0, 0, "a"), Verdict::Duplicate);
        assert_eq!(c.claim([2, 10], 0, 1, "b"), Verdict::Duplicate);
        assert!(matches!(c.claim([3, 0], 0, 2, "c"), Verdict::Claimed(..)));
    }

    #[test]
    fn the_first_in_walk_order_wins_whatever_the_timing() {
        // File 1's copy is claimed and indexed before file 0's arrives.
        let mut c = Claims::new(2, []);
        let (late, _) = claimed(c.claim([7, 70], 1, 0, "late"));
        assert!(c.confirm(late));
        let (early, superseded) = claimed(c.claim([8, 70], 0, 5, "early"));
        assert_eq!(
            superseded,
            [Superseded {
                file: 1,
                id: "late".into(),
                keys: [7, 70],
                file_finished: false,
            }]
        );
        assert!(c.confirm(early));
        // File 1 learns that its copy went when it finishes.
        assert_eq!(c.finish_file(1), [[7, 70]]);
        // The loser's id is free again; the body is the winner's.
        assert!(matches!(c.claim([7, 0], 1, 1, "x"), Verdict::Claimed(..)));
        assert_eq!(c.claim([9, 70], 1, 2, "y"), Verdict::Duplicate);
    }

    #[test]
    fn a_copy_superseded_before_it_is_added_is_not_confirmed() {
        let mut c = Claims::new(2, []);
        let (late, _) = claimed(c.claim([1, 5], 1, 0, "late"));
        let (early, superseded) = claimed(c.claim([2, 5], 0, 0, "early"));
        assert!(superseded.is_empty());
        assert!(!c.confirm(late));
        assert!(c.confirm(early));
        assert!(c.finish_file(1).is_empty());
    }

    #[test]
    fn copies_in_finished_files_are_reported_as_such() {
        let mut c = Claims::new(3, []);
        let (n, _) = claimed(c.claim([1, 5], 2, 0, "c"));
        assert!(c.confirm(n));
        assert!(c.finish_file(2).is_empty());
        let (_, superseded) = claimed(c.claim([2, 5], 0, 0, "a"));
        assert!(superseded[0].file_finished);
    }

    #[test]
    fn claims_become_final_once_earlier_files_finish() {
        let mut c = Claims::new(3, []);
        for r in 0..10 {
            let (n, _) = claimed(c.claim([100 + r, 0], 1, r as usize, "b"));
            assert!(c.confirm(n));
        }
        let (n, _) = claimed(c.claim([1, 0], 0, 0, "a"));
        assert!(c.confirm(n));
        assert_eq!(c.live_claims(), 11);
        c.finish_file(1);
        // File 0 is still open: file 1's claims may yet be superseded, but
        // file 0's own are final (nothing comes before it).
        assert_eq!(c.live_claims(), 10);
        c.finish_file(0);
        assert_eq!(c.live_claims(), 0);
        // Final keys still make duplicates, for any later file.
        assert_eq!(c.claim([100, 0], 2, 0, "z"), Verdict::Duplicate);
        assert_eq!(c.claim([1, 0], 2, 1, "z"), Verdict::Duplicate);
    }

    #[test]
    fn the_same_file_keeps_its_first_record() {
        let mut c = Claims::new(1, []);
        let (n, _) = claimed(c.claim([1, 5], 0, 0, "a"));
        assert!(c.confirm(n));
        assert_eq!(c.claim([1, 6], 0, 1, "a"), Verdict::Duplicate);
    }

    #[test]
    fn a_claim_made_final_before_it_is_added_still_holds() {
        let mut c = Claims::new(2, []);
        // File 0's record is being analyzed when file 1 finishes, which
        // makes file 0's claims final.
        let (n, _) = claimed(c.claim([1, 5], 0, 0, "a"));
        c.finish_file(1);
        assert_eq!(c.live_claims(), 0);
        assert!(c.confirm(n));
        assert_eq!(c.claim([2, 5], 0, 1, "b"), Verdict::Duplicate);
    }
}
