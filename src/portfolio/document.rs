//! The programme paper as a `Document` (filled in below).

/// The programme paper as PDF bytes.
///
/// # Errors
/// A typesetting failure, in words.
pub fn pdf(_loaded: &super::Loaded, _date: chrono::NaiveDate) -> Result<Vec<u8>, String> {
    Err("the programme paper is not built yet".into())
}
