//! Finding a field's text among a variable's codes, and a number among a recode's values or a
//! bin's ranges, per row: a few entries are scanned (faster than hashing), many are looked up in
//! a hash map or by binary search, so a variable of 10,000 codes costs what one of 3 does (a
//! linear scan made 10⁴ codes on a million rows take 36 s instead of 0.2 s).

use std::collections::HashMap;

/// Up to this many entries a scan beats a hash lookup.
const SCAN: usize = 16;

/// The longest text [`pack`] turns into a key.
const PACKED: usize = 7;

/// A text of at most [`PACKED`] bytes as one integer: its bytes, and its length in the top byte,
/// so that two texts have the same key exactly when they are the same bytes. Survey codes are
/// short (`1`, `NL`, `99`), so comparing keys replaces a `memcmp` call per candidate.
#[inline(always)]
pub(super) fn pack(raw: &[u8]) -> Option<u64> {
    let n = raw.len();
    // Two overlapping loads cover 2 to 8 bytes; bytes read twice land on the same place, so
    // or-ing them changes nothing.
    let bytes = match n {
        0 => 0,
        1 => u64::from(raw[0]),
        2 | 3 => {
            let head = u16::from_le_bytes([raw[0], raw[1]]);
            let tail = u16::from_le_bytes([raw[n - 2], raw[n - 1]]);
            u64::from(head) | u64::from(tail) << (8 * (n - 2))
        }
        4..=PACKED => {
            let head = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
            let tail = u32::from_le_bytes([raw[n - 4], raw[n - 3], raw[n - 2], raw[n - 1]]);
            u64::from(head) | u64::from(tail) << (8 * (n - 4))
        }
        _ => return None,
    };
    Some(bytes | (n as u64) << 56)
}

/// Never the key of a text (its length byte is 255): stands for a code too long for a key.
pub(super) const NO_KEY: u64 = u64::MAX;
/// Never the key of a text either, and not [`NO_KEY`]: stands for a field too long for a key.
pub(super) const LONG: u64 = u64::MAX - 1;
/// The key of the empty text.
pub(super) const EMPTY: Option<u64> = Some(0);

/// A list of codes (as bytes, after trimming) and their positions.
#[derive(Debug, Clone, Default)]
pub(super) struct Codes {
    list: Vec<Vec<u8>>,
    /// Per code, its [`pack`]ed key, or [`NO_KEY`] for a longer code.
    keys: Vec<u64>,
    index: Option<HashMap<Vec<u8>, u32>>,
}

impl Codes {
    pub fn new(list: Vec<Vec<u8>>) -> Codes {
        let index = (list.len() > SCAN).then(|| {
            let mut m = HashMap::with_capacity(list.len());
            for (i, c) in list.iter().enumerate() {
                m.entry(c.clone()).or_insert(i as u32);
            }
            m
        });
        let keys = list.iter().map(|c| pack(c).unwrap_or(NO_KEY)).collect();
        Codes { list, keys, index }
    }

    /// The position of `raw` among the codes (the first, if listed twice).
    #[inline]
    pub fn find(&self, raw: &[u8]) -> Option<u32> {
        self.find_packed(raw, pack(raw))
    }

    /// [`Codes::find`] with `raw`'s key already made (`pack(raw)`).
    #[inline(always)]
    pub fn find_packed(&self, raw: &[u8], key: Option<u64>) -> Option<u32> {
        match (&self.index, key) {
            (Some(m), _) => m.get(raw).copied(),
            (None, Some(k)) => self.keys.iter().position(|&c| c == k).map(|i| i as u32),
            (None, None) => self.list.iter().position(|c| c == raw).map(|i| i as u32),
        }
    }

    #[inline]
    pub fn contains(&self, raw: &[u8]) -> bool {
        self.find(raw).is_some()
    }

    /// The position of the text whose key is `key` (`raw` gives the text itself, asked only
    /// for a text too long for a key or a long list). Up to [`SCAN`] keys are all compared
    /// and the first equal one kept, without a branch on where it is.
    #[inline(always)]
    pub fn find_key<'r>(&self, key: Option<u64>, raw: impl Fn() -> &'r [u8]) -> Option<u32> {
        match (&self.index, key) {
            (None, Some(k)) => {
                let mut found = u32::MAX;
                for (i, &c) in self.keys.iter().enumerate().rev() {
                    if c == k {
                        found = i as u32;
                    }
                }
                (found != u32::MAX).then_some(found)
            }
            _ => self.find_packed(raw(), key),
        }
    }

    /// [`Codes::find_key`] found something (false at once for no codes).
    #[inline(always)]
    pub fn contains_key<'r>(&self, key: Option<u64>, raw: impl Fn() -> &'r [u8]) -> bool {
        !self.list.is_empty() && self.find_key(key, raw).is_some()
    }

    pub fn as_slice(&self) -> &[Vec<u8>] {
        &self.list
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Numbers to codes (a recode of a numeric source), sorted for binary search.
#[derive(Debug, Clone, Default)]
pub(super) struct NumberMap {
    sorted: Vec<(f64, u32)>,
}

impl NumberMap {
    /// `pairs` in the recode's order; the first pair of a value wins, as a scan would find it.
    pub fn new(pairs: Vec<(f64, u32)>) -> NumberMap {
        let mut sorted: Vec<(usize, (f64, u32))> = pairs.into_iter().enumerate().collect();
        sorted.sort_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(a.0.cmp(&b.0)));
        sorted.dedup_by(|later, first| later.1 .0 == first.1 .0);
        NumberMap {
            sorted: sorted.into_iter().map(|(_, p)| p).collect(),
        }
    }

    #[inline]
    pub fn get(&self, x: f64) -> Option<u32> {
        self.sorted
            .binary_search_by(|(v, _)| v.total_cmp(&x))
            .ok()
            .map(|i| self.sorted[i].1)
    }
}

/// Non-overlapping inclusive ranges (bins) to their positions.
#[derive(Debug, Clone, Default)]
pub(super) struct Ranges {
    /// (lower, upper, position), sorted by lower bound.
    sorted: Vec<(f64, f64, u32)>,
    /// Few ranges, none with a NaN lower bound: counted rather than searched.
    count: bool,
}

impl Ranges {
    pub fn new(bins: &[(f64, f64)]) -> Ranges {
        let mut sorted: Vec<(f64, f64, u32)> = bins
            .iter()
            .enumerate()
            .map(|(i, &(lo, hi))| (lo, hi, i as u32))
            .collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let count = sorted.len() <= SCAN && sorted.iter().all(|r| !r.0.is_nan());
        Ranges { sorted, count }
    }

    /// The bin holding `x` (the codebook refuses overlapping bins).
    #[inline]
    pub fn find(&self, x: f64) -> Option<u32> {
        // The last range starting at or below x. Sorted lower bounds without NaN make the
        // ranges starting at or below x a prefix, so counting them finds where it ends as the
        // binary search does, with independent compares instead of a chain of dependent ones.
        let after = if self.count {
            self.sorted.iter().map(|r| usize::from(r.0 <= x)).sum()
        } else {
            self.sorted.partition_point(|r| r.0 <= x)
        };
        let (lo, hi, i) = *self.sorted.get(after.checked_sub(1)?)?;
        (lo <= x && x <= hi).then_some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_codes_are_found_as_a_few_are() {
        for n in [3, 17, 10_000] {
            let codes = Codes::new((0..n).map(|i| i.to_string().into_bytes()).collect());
            assert_eq!(codes.find(b"2"), Some(2));
            assert_eq!(codes.find(b"x"), None);
            assert_eq!(codes.find(format!("{}", n - 1).as_bytes()), Some(n - 1));
        }
        let dup = Codes::new((0..20).map(|i| (i % 10).to_string().into_bytes()).collect());
        assert_eq!(dup.find(b"3"), Some(3), "the first of a repeated code");
    }

    #[test]
    fn packed_keys_tell_texts_apart() {
        let texts: [&[u8]; 9] = [
            b"", b"1", b"1\0", b"\0", b"10", b"01", b"NL", b"1234567", b"\xff",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(pack(a) == pack(b), a == b, "{a:?} {b:?}");
            }
        }
        assert_eq!(pack(b"12345678"), None);
        // The loads give each byte its place, as a loop over the bytes would.
        let text = b"\x01\x82\x03\xf4\x05\x06\x07";
        for n in 0..=7 {
            let mut key = (n as u64) << 56;
            for (i, &b) in text[..n].iter().enumerate() {
                key |= u64::from(b) << (8 * i);
            }
            assert_eq!(pack(&text[..n]), Some(key), "{n}");
        }
        let codes = Codes::new(vec![b"longer code".to_vec(), b"1".to_vec(), b"".to_vec()]);
        assert_eq!(codes.find(b"longer code"), Some(0));
        assert_eq!(codes.find(b"1"), Some(1));
        assert_eq!(codes.find(b""), Some(2));
        assert_eq!(codes.find(b"longer cod"), None);
    }

    #[test]
    fn numbers_and_ranges() {
        let m = NumberMap::new(vec![(8.0, 1), (9.0, 2), (8.0, 7), (-1.0, 3)]);
        assert_eq!(
            (m.get(8.0), m.get(9.0), m.get(-1.0), m.get(8.5)),
            (Some(1), Some(2), Some(3), None)
        );
        let r = Ranges::new(&[(30.0, 44.0), (18.0, 29.0), (65.0, f64::INFINITY)]);
        assert_eq!(r.find(18.0), Some(1));
        assert_eq!(r.find(29.5), None);
        assert_eq!(r.find(44.0), Some(0));
        assert_eq!(r.find(90.0), Some(2));
        assert_eq!(r.find(10.0), None);
        // Counting and searching agree, on bounds, between them and outside.
        let many: Vec<(f64, f64)> = (0..40)
            .map(|i| (i as f64 * 3.0, i as f64 * 3.0 + 1.0))
            .collect();
        for n in [1, 5, 16, 17, 40] {
            let r = Ranges::new(&many[..n]);
            assert_eq!(r.count, n <= SCAN);
            let searched = |x: f64| {
                let after = r.sorted.partition_point(|b| b.0 <= x);
                let (lo, hi, i) = *r.sorted.get(after.checked_sub(1)?)?;
                (lo <= x && x <= hi).then_some(i)
            };
            for k in -2..130 {
                let x = k as f64 * 0.5 - 0.25;
                for x in [x, k as f64, -0.0, f64::INFINITY, f64::NEG_INFINITY] {
                    assert_eq!(r.find(x), searched(x), "{n} {x}");
                }
            }
        }
    }
}
