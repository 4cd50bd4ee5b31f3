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
//! is final and only its keys stay (with the place of its article, for
//! reports), as those of articles indexed by earlier runs do. Memory
//! beyond the key sets is bounded by the files in progress.

use std::collections::{BTreeMap, HashMap};

/// A key's holder in [`Claims`]: a live claim's number, [`EARLIER`], or
/// the place of a final claim of this run ([`final_holder`]).
type Holder = u64;

/// The holder of keys of articles indexed by earlier runs.
const EARLIER: Holder = 0;

/// Marks a holder that is the place of a final claim of this run.
const FINAL_BIT: Holder = 1 << 63;

/// The holder of a final claim's keys: its place, packed into 63 bits (31
/// for the file, 32 for the record, saturated: the place is for reports).
fn final_holder((file, record): (usize, usize)) -> Holder {
    let file = (file as u64).min((1 << 31) - 1);
    let record = (record as u64).min(u32::MAX as u64);
    FINAL_BIT | file << 32 | record
}

/// The place of the copy behind a holder that is not a live claim.
fn final_place(holder: Holder) -> Option<(usize, usize)> {
    (holder & FINAL_BIT != 0).then(|| {
        let place = holder & !FINAL_BIT;
        (
            (place >> 32) as usize,
            (place & u64::from(u32::MAX)) as usize,
        )
    })
}

/// One article's live claim.
#[derive(Debug)]
struct Claim {
    /// Place of its file in the walk, and its record number.
    rank: (usize, usize),
    keys: [u64; 2],
    id: Box<str>,
    added: bool,
}

/// The copy a duplicate was dropped for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Original {
    /// Whether the two share their id (else their text).
    pub same_id: bool,
    /// Whether they share their id with texts known to differ: not a copy
    /// of one article but two articles given one id (ids numbered anew in
    /// each file of an export, say).
    pub other_text: bool,
    /// The place of its file in the walk and its record number; `None`
    /// for an article indexed by an earlier run.
    pub at: Option<(usize, usize)>,
}

/// A copy that an earlier one superseded after it reached the index: its
/// document must be deleted, and its file's record of it updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superseded {
    /// Place of its file in the walk.
    pub file: usize,
    /// Its record number in the file.
    pub record: usize,
    /// Its id, by which the document is deleted.
    pub id: Box<str>,
    pub keys: [u64; 2],
    /// Whether its file was finished (its keys are in the manifest);
    /// otherwise [`Claims::finish_file`] drops them from the file's keys.
    pub file_finished: bool,
    /// The copy that superseded it.
    pub by: Original,
}

/// What a claim decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// An earlier copy holds a key: this one is a duplicate of it.
    Duplicate(Original),
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
    /// Claims superseded before their article was added, with the copy
    /// that superseded them, until their worker asks ([`Claims::confirm`]).
    dropped: HashMap<u64, Original>,
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
            next_claim: EARLIER + 1,
            ..Claims::default()
        };
        for [id, body] in kept {
            claims.ids.insert(id, EARLIER);
            if body != 0 {
                claims.bodies.insert(body, EARLIER);
            }
        }
        claims
    }

    /// Claims the keys of record `record` of file `file` (records of a
    /// file claim in increasing order).
    pub fn claim(&mut self, keys: [u64; 2], file: usize, record: usize, id: &str) -> Verdict {
        let rank = (file, record);
        let [id_key, body_key] = keys;
        let holders = [
            self.ids.get(&id_key).map(|&h| (h, true)),
            (body_key != 0)
                .then(|| self.bodies.get(&body_key).map(|&h| (h, false)))
                .flatten(),
        ];
        let mut losers: Vec<u64> = Vec::new();
        for (holder, same_id) in holders.into_iter().flatten() {
            match self.live.get(&holder) {
                Some(claim) if claim.rank > rank => {
                    if !losers.contains(&holder) {
                        losers.push(holder);
                    }
                }
                Some(claim) => {
                    return Verdict::Duplicate(Original {
                        same_id,
                        other_text: same_id && claim.keys[1] != body_key,
                        at: Some(claim.rank),
                    })
                }
                None => {
                    // A final claim's text is known only by the body key it
                    // holds (a short text holds none).
                    let other_text =
                        same_id && body_key != 0 && self.bodies.get(&body_key) != Some(&holder);
                    return Verdict::Duplicate(Original {
                        same_id,
                        other_text,
                        at: final_place(holder),
                    });
                }
            }
        }
        let mut superseded = Vec::new();
        for number in losers {
            let claim = self.live.remove(&number).expect("a live claim");
            self.release(number, claim.keys);
            let same_id = claim.keys[0] == id_key;
            let by = Original {
                same_id,
                other_text: same_id && claim.keys[1] != body_key,
                at: Some(rank),
            };
            if !claim.added {
                self.dropped.insert(number, by);
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
                    record: claim.rank.1,
                    id: claim.id,
                    keys: claim.keys,
                    file_finished,
                    by,
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
    /// to the index; the copy that superseded it meanwhile if not. (A
    /// claim made final meanwhile holds.)
    pub fn confirm(&mut self, number: u64) -> Result<(), Original> {
        if let Some(by) = self.dropped.remove(&number) {
            return Err(by);
        }
        if let Some(claim) = self.live.get_mut(&number) {
            claim.added = true;
        }
        Ok(())
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
                    self.finalize(number, &claim);
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
    fn finalize(&mut self, number: u64, claim: &Claim) {
        let [id, body] = claim.keys;
        let place = final_holder(claim.rank);
        if let Some(holder) = self.ids.get_mut(&id).filter(|h| **h == number) {
            *holder = place;
        }
        if let Some(holder) = self.bodies.get_mut(&body).filter(|h| **h == number) {
            *holder = place;
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
            Verdict::Duplicate(_) => panic!("expected a claim"),
        }
    }

    #[test]
    fn earlier_index_keys_always_win() {
        let mut c = Claims::new(2, [[1, 10]]);
        assert!(matches!(c.claim([1, 11], 0, 0, "a"), Verdict::Duplicate(_)));
        assert!(matches!(c.claim([2, 10], 0, 1, "b"), Verdict::Duplicate(_)));
        assert!(matches!(c.claim([3, 0], 0, 2, "c"), Verdict::Claimed(..)));
    }

    #[test]
    fn the_first_in_walk_order_wins_whatever_the_timing() {
        // File 1's copy is claimed and indexed before file 0's arrives.
        let mut c = Claims::new(2, []);
        let (late, _) = claimed(c.claim([7, 70], 1, 0, "late"));
        assert!(c.confirm(late).is_ok());
        let (early, superseded) = claimed(c.claim([8, 70], 0, 5, "early"));
        assert_eq!(
            superseded,
            [Superseded {
                file: 1,
                record: 0,
                id: "late".into(),
                keys: [7, 70],
                file_finished: false,
                by: Original {
                    same_id: false,
                    other_text: false,
                    at: Some((0, 5)),
                },
            }]
        );
        assert!(c.confirm(early).is_ok());
        // File 1 learns that its copy went when it finishes.
        assert_eq!(c.finish_file(1), [[7, 70]]);
        // The loser's id is free again; the body is the winner's.
        assert!(matches!(c.claim([7, 0], 1, 1, "x"), Verdict::Claimed(..)));
        assert!(matches!(c.claim([9, 70], 1, 2, "y"), Verdict::Duplicate(_)));
    }

    #[test]
    fn a_copy_superseded_before_it_is_added_is_not_confirmed() {
        let mut c = Claims::new(2, []);
        let (late, _) = claimed(c.claim([1, 5], 1, 0, "late"));
        let (early, superseded) = claimed(c.claim([2, 5], 0, 0, "early"));
        assert!(superseded.is_empty());
        assert!(c.confirm(late).is_err());
        assert!(c.confirm(early).is_ok());
        assert!(c.finish_file(1).is_empty());
    }

    #[test]
    fn copies_in_finished_files_are_reported_as_such() {
        let mut c = Claims::new(3, []);
        let (n, _) = claimed(c.claim([1, 5], 2, 0, "c"));
        assert!(c.confirm(n).is_ok());
        assert!(c.finish_file(2).is_empty());
        let (_, superseded) = claimed(c.claim([2, 5], 0, 0, "a"));
        assert!(superseded[0].file_finished);
    }

    #[test]
    fn claims_become_final_once_earlier_files_finish() {
        let mut c = Claims::new(3, []);
        for r in 0..10 {
            let (n, _) = claimed(c.claim([100 + r, 0], 1, r as usize, "b"));
            assert!(c.confirm(n).is_ok());
        }
        let (n, _) = claimed(c.claim([1, 0], 0, 0, "a"));
        assert!(c.confirm(n).is_ok());
        assert_eq!(c.live_claims(), 11);
        c.finish_file(1);
        // File 0 is still open: file 1's claims may yet be superseded, but
        // file 0's own are final (nothing comes before it).
        assert_eq!(c.live_claims(), 10);
        c.finish_file(0);
        assert_eq!(c.live_claims(), 0);
        // Final keys still make duplicates, for any later file.
        assert!(matches!(
            c.claim([100, 0], 2, 0, "z"),
            Verdict::Duplicate(_)
        ));
        assert!(matches!(c.claim([1, 0], 2, 1, "z"), Verdict::Duplicate(_)));
    }

    #[test]
    fn the_same_file_keeps_its_first_record() {
        let mut c = Claims::new(1, []);
        let (n, _) = claimed(c.claim([1, 5], 0, 0, "a"));
        assert!(c.confirm(n).is_ok());
        assert!(matches!(c.claim([1, 6], 0, 1, "a"), Verdict::Duplicate(_)));
    }

    #[test]
    fn duplicates_learn_which_copy_they_were_dropped_for() {
        let mut c = Claims::new(3, [[1, 10]]);
        let earlier = Original {
            same_id: true,
            other_text: true,
            at: None,
        };
        assert_eq!(c.claim([1, 11], 0, 1, "a"), Verdict::Duplicate(earlier));
        // The same id and text as an earlier run's article is a copy.
        let copy = Original {
            other_text: false,
            ..earlier
        };
        assert_eq!(c.claim([1, 10], 0, 1, "a"), Verdict::Duplicate(copy));
        let (n, _) = claimed(c.claim([2, 20], 0, 2, "b"));
        assert!(c.confirm(n).is_ok());
        let live = Original {
            same_id: false,
            other_text: false,
            at: Some((0, 2)),
        };
        assert_eq!(c.claim([3, 20], 0, 3, "c"), Verdict::Duplicate(live));
        // Once final, the claim still tells where its article came from.
        c.finish_file(0);
        assert_eq!(c.live_claims(), 0);
        assert_eq!(c.claim([4, 20], 1, 7, "d"), Verdict::Duplicate(live));
        // A claim dropped before its article was added learns who took it.
        let (late, _) = claimed(c.claim([5, 50], 2, 1, "e"));
        claimed(c.claim([5, 51], 1, 9, "e"));
        assert_eq!(
            c.confirm(late),
            Err(Original {
                same_id: true,
                other_text: true,
                at: Some((1, 9)),
            })
        );
        // The same id on a text of the same file's copy, and on another.
        let (n, _) = claimed(c.claim([6, 60], 1, 10, "f"));
        assert!(c.confirm(n).is_ok());
        let Verdict::Duplicate(copy) = c.claim([6, 60], 1, 11, "f") else {
            panic!("a duplicate")
        };
        assert!(copy.same_id && !copy.other_text);
        let Verdict::Duplicate(other) = c.claim([6, 61], 1, 12, "f") else {
            panic!("a duplicate")
        };
        assert!(other.same_id && other.other_text);
    }

    #[test]
    fn places_pack_into_a_holder() {
        for place in [(0, 0), (3, 17), (1 << 30, u32::MAX as usize)] {
            let holder = final_holder(place);
            assert_ne!(holder, EARLIER);
            assert_eq!(final_place(holder), Some(place));
        }
        assert_eq!(final_place(EARLIER), None);
        assert_eq!(final_place(42), None);
    }

    #[test]
    fn a_claim_made_final_before_it_is_added_still_holds() {
        let mut c = Claims::new(2, []);
        // File 0's record is being analyzed when file 1 finishes, which
        // makes file 0's claims final.
        let (n, _) = claimed(c.claim([1, 5], 0, 0, "a"));
        c.finish_file(1);
        assert_eq!(c.live_claims(), 0);
        assert!(c.confirm(n).is_ok());
        assert!(matches!(c.claim([2, 5], 0, 1, "b"), Verdict::Duplicate(_)));
    }
}
