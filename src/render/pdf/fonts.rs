//! The fonts embedded in the binary for the PDF: what typst sets the
//! document in, and what [`super::fit`] measures tables with.

/// Liberation Sans (SIL Open Font License, `templates/fonts/LICENSE`): the
/// body face, regular, bold, italic and bold italic.
pub const LIBERATION: [&[u8]; 4] = [
    include_bytes!("../../../templates/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../../../templates/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../../templates/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../../templates/fonts/LiberationSans-BoldItalic.ttf"),
];
