//! Turning computed results into what people read: terminal tables, JSON,
//! the typeset PDF, HTML and Word documents and the model workbook.
//!
//! Invariant: render does no arithmetic on the case. Each output builds one
//! view from `compute::Results` (formatting and layout only).

pub mod chart;
pub mod docx;
pub mod html;
pub mod json;
pub mod pdf;
pub mod template;
pub mod terminal;
pub mod workbook;
pub mod xlsx;
