//! Typed references to a case's options and partners.
//!
//! Ingest resolves every option id and partner name in the workbook once and
//! builds these; everything downstream refers to an option or a partner by
//! them, never by a bare index or a name string, so the two cannot be mixed up.

use std::ops::{Index, IndexMut};

use super::CaseOption;

/// An option of the case: its position in `Case::options` (sheet order).
/// `Default` (the first option) serves only the workings' derived defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct OptionId(usize);

impl OptionId {
    /// The option at position `index` of `Case::options`; ingest checks it exists.
    pub const fn new(index: usize) -> Self {
        Self(index)
    }

    /// Its position in `Case::options` (and in every per-option vector).
    pub const fn index(self) -> usize {
        self.0
    }

    /// Every option id of a case with `count` options, in sheet order.
    pub fn all(count: usize) -> impl DoubleEndedIterator<Item = Self> + ExactSizeIterator {
        (0..count).map(Self)
    }
}

/// A partner of the case: its position in `Partners::names` (sheet order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartnerId(usize);

impl PartnerId {
    /// The partner at position `index` of the Partners sheet; ingest checks it exists.
    pub const fn new(index: usize) -> Self {
        Self(index)
    }

    /// Its position on the Partners sheet (and in every per-partner vector).
    pub const fn index(self) -> usize {
        self.0
    }

    /// Every partner id of a case with `count` partners, in sheet order.
    pub fn all(count: usize) -> impl DoubleEndedIterator<Item = Self> + ExactSizeIterator {
        (0..count).map(Self)
    }
}

impl Index<OptionId> for [CaseOption] {
    type Output = CaseOption;

    fn index(&self, id: OptionId) -> &CaseOption {
        &self[id.0]
    }
}

impl Index<OptionId> for Vec<CaseOption> {
    type Output = CaseOption;

    fn index(&self, id: OptionId) -> &CaseOption {
        &self[id.0]
    }
}

impl IndexMut<OptionId> for Vec<CaseOption> {
    fn index_mut(&mut self, id: OptionId) -> &mut CaseOption {
        &mut self[id.0]
    }
}
