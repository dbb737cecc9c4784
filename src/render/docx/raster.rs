//! Charts as PNG for Word: the same SVG the PDF and HTML show
//! ([`crate::render::chart`]), rasterised by resvg at 150 dpi with the
//! embedded fonts only, so the picture is the same on every machine.
//!
//! Pixel geometry is floating point (tiny-skia's); no figure of the case
//! passes through it, only the drawing of figures already laid out in SVG.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

use crate::render::pdf::fonts;

/// Dots per inch of the pictures.
#[cfg(not(fuzzing))]
pub const DPI: u32 = 150;
/// Dots per inch of the pictures in the fuzz targets' builds (cargo fuzz
/// sets `cfg(fuzzing)`): the same SVG through the same drawing and PNG
/// code, at a fortieth of the pixels, since drawing and compressing pixels
/// was over half of a run's time (docs/reliability.md, "Fuzzing").
#[cfg(fuzzing)]
pub const DPI: u32 = 24;
/// CSS pixels (the SVG's unit) per inch.
const CSS_DPI: u32 = 96;
/// English Metric Units per CSS pixel: 914,400 per inch / 96.
pub const EMU_PER_PX: u32 = 9525;

/// A rasterised chart: PNG bytes and its size in CSS pixels.
#[derive(Debug, Clone)]
pub struct Picture {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
}

/// Why a chart could not become a picture (a defect: the SVG is ours).
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("a chart could not be read as SVG: {0}")]
    Svg(String),
    #[error("a chart is too large to draw ({0} by {1} pixels)")]
    Size(u32, u32),
    #[error("a chart could not be encoded as PNG: {0}")]
    Png(String),
}

/// The embedded fonts, loaded once: Liberation Sans only, no system font.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for face in fonts::LIBERATION {
            db.load_font_data(face.to_vec());
        }
        db.set_sans_serif_family("Liberation Sans");
        usvg::Options {
            font_family: "Liberation Sans".into(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// The largest picture drawn, in pixels a side: charts are a few hundred
/// CSS pixels wide; this bounds memory whatever the SVG says.
const MAX_SIDE: u32 = 8000;

/// Draws `svg` at [`DPI`] on white.
///
/// # Errors
/// A [`RasterError`] when the SVG cannot be read or the picture encoded.
pub fn png(svg: &str) -> Result<Picture, RasterError> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| RasterError::Svg(e.to_string()))?;
    let size = tree.size().to_int_size();
    let (w, h) = (size.width(), size.height());
    let scale_px = |v: u32| v.saturating_mul(DPI).div_ceil(CSS_DPI);
    let (pw, ph) = (scale_px(w), scale_px(h));
    if pw == 0 || ph == 0 || pw > MAX_SIDE || ph > MAX_SIDE {
        return Err(RasterError::Size(pw, ph));
    }
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph).ok_or(RasterError::Size(pw, ph))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    #[allow(
        clippy::cast_precision_loss,
        reason = "DPI ratios are small integers, exact in f32"
    )]
    let scale = DPI as f32 / CSS_DPI as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .map_err(|e| RasterError::Png(e.to_string()))?;
    Ok(Picture {
        png,
        width_px: w,
        height_px: h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_text_with_the_embedded_font_at_150_dpi() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 96 48\" width=\"96\" height=\"48\">\
                   <text x=\"4\" y=\"30\" font-family=\"Liberation Sans\" font-size=\"20\">£12</text></svg>";
        let p = png(svg).unwrap();
        assert_eq!((p.width_px, p.height_px), (96, 48));
        assert!(p.png.starts_with(b"\x89PNG"));
        // 150 px wide: the IHDR width, bytes 16..20.
        assert_eq!(&p.png[16..20], &150u32.to_be_bytes());
        // Text was drawn: the picture is not blank white (a blank PNG of this size is tiny).
        let blank =
            png("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"48\"/>").unwrap();
        assert!(
            p.png.len() > blank.png.len() + 100,
            "{} vs {}",
            p.png.len(),
            blank.png.len()
        );
        // Same SVG, same bytes.
        assert_eq!(png(svg).unwrap().png, p.png);
    }

    #[test]
    fn refuses_an_enormous_picture() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"10\"/>";
        assert!(matches!(png(svg), Err(RasterError::Size(..))));
    }
}
