//! Strata and PSU keys interned to small indices, so that the hot loop indexes arrays.

use std::collections::HashMap;

/// Interns strata and PSU keys to small indices, so that the hot loop indexes arrays.
#[derive(Debug, Clone, Default)]
pub struct UnitInterner {
    strata: Vec<Vec<u8>>,
    /// Per stratum, its key [`pack`](super::lookup::pack)ed (`u64::MAX` when longer), so that
    /// the usual short keys are told by one comparison each.
    strata_keys: Vec<u64>,
    /// Per stratum: the population size its rows give ([design] fpc), and the line it came from.
    pub(super) strata_fpc: Vec<(f64, u64)>,
    strata_index: HashMap<Vec<u8>, u32>,
    /// With clusters: (stratum index, PSU key) per unit.
    psus: Vec<(u32, Vec<u8>)>,
    /// Per stratum: PSU key to unit index (looked up by slice, so no allocation per row).
    psu_index: Vec<HashMap<Vec<u8>, u32>>,
}

impl UnitInterner {
    pub(super) fn stratum(&mut self, key: &[u8]) -> u32 {
        self.stratum_by_key(super::lookup::pack(key), || key)
    }

    /// [`UnitInterner::stratum`] of the text `raw` gives, whose key is `packed`
    /// ([`pack`](super::lookup::pack)): the text itself is only looked at when it is too long
    /// for a key, there are many strata, or it is new.
    #[inline]
    pub(super) fn stratum_by_key<'r>(
        &mut self,
        packed: Option<u64>,
        raw: impl Fn() -> &'r [u8],
    ) -> u32 {
        // Few strata: a linear scan beats hashing for the usual ten districts.
        if self.strata.len() <= 16 {
            let found = match packed {
                Some(p) => self.strata_keys.iter().position(|&k| k == p),
                None => self.strata.iter().position(|k| k == raw()),
            };
            if let Some(i) = found {
                return i as u32;
            }
        }
        self.new_stratum(raw())
    }

    /// A stratum the scan did not find: past 16 strata looked up by its text, else added.
    fn new_stratum(&mut self, key: &[u8]) -> u32 {
        if self.strata.len() > 16 {
            if let Some(&i) = self.strata_index.get(key) {
                return i;
            }
        }
        let i = self.strata.len() as u32;
        self.strata.push(key.to_vec());
        self.strata_keys
            .push(super::lookup::pack(key).unwrap_or(u64::MAX));
        self.strata_fpc.push((f64::NAN, 0));
        self.strata_index.insert(key.to_vec(), i);
        i
    }

    /// The population size of each stratum (by local index) and the line that gave it; NaN
    /// without an fpc column.
    pub fn strata_fpc(&self) -> &[(f64, u64)] {
        &self.strata_fpc
    }

    pub(super) fn psu(&mut self, stratum: u32, key: &[u8]) -> u32 {
        let s = stratum as usize;
        if self.psu_index.len() <= s {
            self.psu_index.resize_with(s + 1, HashMap::new);
        }
        if let Some(&i) = self.psu_index[s].get(key) {
            return i;
        }
        let i = self.psus.len() as u32;
        self.psus.push((stratum, key.to_vec()));
        self.psu_index[s].insert(key.to_vec(), i);
        i
    }

    /// The stratum keys, by local stratum index.
    pub fn strata(&self) -> &[Vec<u8>] {
        &self.strata
    }

    /// The PSU keys (stratum index, PSU id), by local unit index (clustered designs only).
    pub fn psus(&self) -> &[(u32, Vec<u8>)] {
        &self.psus
    }
}
