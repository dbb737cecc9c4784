//! Charts as SVG, drawn from a figure's data ([`crate::document::Chart`]).
//!
//! An exporter-side renderer shared by every format: the PDF embeds the
//! SVG, HTML can inline it, Word can rasterise it.
//!
//! Geometry is worked out in `Decimal` (no floating point reaches a figure)
//! and written as SVG text that typst embeds with the document's own fonts.
//! Series differ by fill, hatching, line style and markers, never by colour
//! alone, so a chart reads the same printed in black and white.

use std::fmt::Write as _;

use crate::document::{
    Bar, Chart, Curve, MatrixPoint, MatrixRegion, ProfilePoint, TimelineEvent, TornadoLine,
};
use crate::format;
use rust_decimal::{Decimal, RoundingStrategy};

/// The SVG drawing of `chart`.
pub fn svg(chart: &Chart) -> String {
    match chart {
        Chart::Bars {
            bars: b,
            y_title,
            x_title,
            series,
        } => bars(b, y_title, x_title, series),
        Chart::Profile {
            points,
            y_title,
            labels,
        } => profile(points, y_title, [&labels[0], &labels[1], &labels[2]]),
        Chart::Tornado {
            lines,
            base,
            title,
            legend,
        } => tornado(lines, *base, title, [&legend[0], &legend[1], &legend[2]]),
        Chart::Matrix {
            points,
            regions,
            x_title,
            y_title,
            lo,
            hi,
        } => matrix(points, regions, x_title, y_title, *lo, *hi),
        Chart::SCurve {
            series,
            marks,
            y_title,
            x_title,
        } => s_curve(series, marks, y_title, x_title),
        Chart::Timeline {
            events,
            ticks,
            gateway,
        } => timeline(events, ticks, gateway),
    }
}

/// Milestones along a time axis: one row each, a diamond where there is a
/// gateway and a circle where there is none, the label ("name (date)")
/// beside the marker on the side with room for it, on white so the year
/// lines pass behind it; the years marked on the axis below. A label too
/// long for either side is shortened in its name, never in its date (the
/// Milestones table above the chart gives every name whole).
pub fn timeline(events: &[TimelineEvent], ticks: &[(String, i64)], gateway: &str) -> String {
    const W: i64 = WIDTH;
    const PAD: i64 = 12;
    const ROW: i64 = 16;
    const AXIS: i64 = 30;
    // Label type size, thousandths of a pixel; the gap between a marker
    // and its label; the margin a label keeps from the chart's edge.
    const LABEL_SIZE: u32 = 8_500;
    const GAP: i64 = 7;
    const EDGE: i64 = 2;
    // Room at each end for half a tick label.
    const SIDE: i64 = 30;
    let rows = i64::try_from(events.len()).unwrap_or(0);
    let height = PAD + rows * ROW + AXIS + 18;
    let last = events
        .iter()
        .map(|e| e.day)
        .chain(ticks.iter().map(|t| t.1))
        .max()
        .unwrap_or(1)
        .max(1);
    let span = Decimal::from(W - 2 * SIDE);
    let x_at = |day: i64| {
        Decimal::from(SIDE) + Decimal::from(day.clamp(0, last)) / Decimal::from(last) * span
    };
    let axis_y = PAD + rows * ROW + 6;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" width=\"{W}\" height=\"{height}\">"
    );
    for (label, day) in ticks {
        let x = n(x_at(*day));
        let _ = write!(
            svg,
            "<line x1=\"{x}\" y1=\"{PAD}\" x2=\"{x}\" y2=\"{axis_y}\" stroke=\"#999999\" stroke-width=\"0.4\" stroke-dasharray=\"2 2\"/>\
<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
            axis_y + 12,
            escape(label)
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{SIDE}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" stroke=\"black\" stroke-width=\"1\"/>",
        W - SIDE
    );
    let half = Decimal::from(W / 2);
    for (i, e) in events.iter().enumerate() {
        let y = PAD + i64::try_from(i).unwrap_or(0) * ROW + ROW / 2;
        let x = x_at(e.day);
        let marker = if e.gateway.is_empty() {
            format!(
                "<circle cx=\"{}\" cy=\"{y}\" r=\"3.5\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>",
                n(x)
            )
        } else {
            format!(
                "<path d=\"M {} {} l 4.5 4.5 l -4.5 4.5 l -4.5 -4.5 z\" fill=\"black\"/>",
                n(x),
                y - 5
            )
        };
        let right = Decimal::from(W - EDGE) - (x + Decimal::from(GAP));
        let left = x - Decimal::from(GAP + EDGE);
        let (text, width, on_right) =
            place_label(&e.label, &e.date, x <= half, left, right, LABEL_SIZE);
        let (tx, anchor, bx) = if on_right {
            let tx = x + Decimal::from(GAP);
            (tx, "start", tx)
        } else {
            let tx = x - Decimal::from(GAP);
            (tx, "end", tx - width)
        };
        let _ = write!(
            svg,
            "{marker}<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10.5\" fill=\"white\"/>\
<text x=\"{}\" y=\"{y}\" dy=\"3\" text-anchor=\"{anchor}\" font-size=\"8.5\" {FONT}>{}</text>",
            n(bx),
            y - 5,
            n(width),
            n(tx),
            escape(&text)
        );
    }
    let ly = axis_y + 28;
    let _ = write!(
        svg,
        "<path d=\"M {PAD} {} l 4.5 4.5 l -4.5 4.5 l -4.5 -4.5 z\" fill=\"black\" transform=\"translate(5 0)\"/>\
<text x=\"{}\" y=\"{ly}\" dy=\"3\" font-size=\"9\" {FONT}>{}</text></svg>",
        ly - 4,
        PAD + 14,
        escape(gateway)
    );
    svg
}

/// Width of `text` set in the regular face at `size` thousandths of a
/// pixel, in pixels; a character the embedded face lacks counts a whole em.
fn text_width(text: &str, size: u32) -> Decimal {
    let thousandths = super::pdf::fit::regular_width(text, size).map_or_else(
        || Decimal::from(size) * Decimal::from(text.chars().count()),
        Decimal::from,
    );
    thousandths / Decimal::from(1000)
}

/// A timeline label: "name (date)" whole on the preferred side (right when
/// `prefer_right`) if it fits in that side's room, else whole on the other
/// side if it fits there, else on the roomier side with the name cut, with
/// an ellipsis, to what fits before the date. Returns the text, its width
/// and whether it stands right of the marker.
fn place_label(
    name: &str,
    date: &str,
    prefer_right: bool,
    left: Decimal,
    right: Decimal,
    size: u32,
) -> (String, Decimal, bool) {
    let whole = format!("{name} ({date})");
    let width = text_width(&whole, size);
    let (first, second) = if prefer_right {
        (right, left)
    } else {
        (left, right)
    };
    if width <= first {
        return (whole, width, prefer_right);
    }
    if width <= second {
        return (whole, width, !prefer_right);
    }
    let on_right = right >= left;
    let room = right.max(left);
    let chars: Vec<char> = name.chars().collect();
    let cut = |k: usize| {
        let kept: String = chars[..k].iter().collect();
        format!("{}… ({date})", kept.trim_end())
    };
    // The most characters of the name that fit: a binary search, since a
    // name may be long (the text limit) and each try measures the label.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&cut(mid), size) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let text = cut(lo);
    let width = text_width(&text, size);
    (text, width, on_right)
}

/// Points placed by two scores over regions shaded in greys that print
/// apart (the first region lightest), each region labelled in its top
/// right corner and in the legend; each point a marker with its label.
pub fn matrix(
    points: &[MatrixPoint],
    regions: &[MatrixRegion],
    x_title: &str,
    y_title: &str,
    lo: Decimal,
    hi: Decimal,
) -> String {
    const SIZE: i64 = 300;
    const PAD_LEFT: i64 = 46;
    const PAD: i64 = 14;
    const PAD_BOTTOM: i64 = 40;
    const LEGEND: i64 = 170;
    const GREYS: [&str; 4] = ["#e6e6e6", "#c8c8c8", "#a8a8a8", "#888888"];
    let (width, height) = (PAD_LEFT + SIZE + PAD + LEGEND, PAD + SIZE + PAD_BOTTOM);
    let span = if hi > lo { hi - lo } else { Decimal::ONE };
    let size = Decimal::from(SIZE);
    let x_at = |v: Decimal| Decimal::from(PAD_LEFT) + (v.clamp(lo, hi) - lo) / span * size;
    let y_at = |v: Decimal| Decimal::from(PAD + SIZE) - (v.clamp(lo, hi) - lo) / span * size;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    );
    let order: Vec<usize> = (0..regions.len()).rev().collect();
    for (k, i) in order.iter().enumerate() {
        let r = &regions[*i];
        let grey = GREYS[k.min(GREYS.len() - 1)];
        let (x, y) = (x_at(r.x), y_at(hi));
        let (x2, y2) = (x_at(hi), y_at(r.y));
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{grey}\" stroke=\"black\" stroke-width=\"0.75\"/>\
<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"9\" font-weight=\"bold\" {FONT}>{}</text>",
            n(x),
            n(y),
            n(x2 - x),
            n(y2 - y),
            n(x2 - Decimal::from(3)),
            n(y2 - Decimal::from(4)),
            escape(&r.label)
        );
    }
    // Gridlines and tick labels at each whole score.
    let mut tick = lo.ceil();
    while tick <= hi {
        let (x, y) = (n(x_at(tick)), n(y_at(tick)));
        let _ = write!(
            svg,
            "<line x1=\"{PAD_LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#777777\" stroke-width=\"0.4\" stroke-dasharray=\"2 2\"/>\
<line x1=\"{x}\" y1=\"{PAD}\" x2=\"{x}\" y2=\"{}\" stroke=\"#777777\" stroke-width=\"0.4\" stroke-dasharray=\"2 2\"/>\
<text x=\"{}\" y=\"{y}\" dy=\"3\" text-anchor=\"end\" font-size=\"9\" {FONT}>{}</text>\
<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
            PAD_LEFT + SIZE,
            PAD + SIZE,
            PAD_LEFT - 4,
            tick.normalize(),
            PAD + SIZE + 12,
            tick.normalize()
        );
        tick += Decimal::ONE;
    }
    let mid = PAD + SIZE / 2;
    let _ = write!(
        svg,
        "<rect x=\"{PAD_LEFT}\" y=\"{PAD}\" width=\"{SIZE}\" height=\"{SIZE}\" fill=\"none\" stroke=\"black\" stroke-width=\"1\"/>\
<text x=\"12\" y=\"{mid}\" text-anchor=\"middle\" font-size=\"9\" {FONT} transform=\"rotate(-90 12 {mid})\">{}</text>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
        escape(y_title),
        PAD_LEFT + SIZE / 2,
        PAD + SIZE + 28,
        escape(x_title)
    );
    // Points: a white-filled circle with a black ring, the label to its
    // right; points at the same place stack their labels downwards.
    let mut placed: Vec<(Decimal, Decimal)> = Vec::new();
    for p in points {
        let (x, y) = (x_at(p.x), y_at(p.y));
        let same = placed.iter().filter(|(a, b)| *a == x && *b == y).count();
        placed.push((x, y));
        let dy = Decimal::from(i64::try_from(same).unwrap_or(0) * 10);
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>\
<text x=\"{}\" y=\"{}\" font-size=\"9\" {FONT}>{}</text>",
            n(x),
            n(y),
            n(x + Decimal::from(6)),
            n(y + Decimal::from(3) + dy),
            escape(&p.label)
        );
    }
    // The legend: one swatch per region, in the order given.
    for (k, r) in regions.iter().enumerate() {
        let grey = GREYS[(regions.len() - 1 - k).min(GREYS.len() - 1)];
        let y = PAD + 6 + i64::try_from(k).unwrap_or(0) * 16;
        let x = PAD_LEFT + SIZE + PAD;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"16\" height=\"10\" fill=\"{grey}\" stroke=\"black\" stroke-width=\"0.75\"/>\
<text x=\"{}\" y=\"{}\" font-size=\"9\" {FONT}>{}</text>",
            y - 5,
            x + 22,
            y + 4,
            escape(&r.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

const WIDTH: i64 = 480;
const HEIGHT: i64 = 270;
const LEFT: i64 = 70;
const RIGHT: i64 = 12;
const TOP: i64 = 16;
/// Room under the plot for category labels, the axis title and the legend.
const BOTTOM: i64 = 78;
const FONT: &str = "font-family=\"Liberation Sans\"";

/// The value axis: from `lo` to `hi` in steps of `step`.
#[derive(Debug, Clone, Copy)]
struct Axis {
    lo: Decimal,
    hi: Decimal,
    step: Decimal,
}

impl Axis {
    /// A range from 0 or below to 0 or above, ticks at 1, 2, 2.5 or 5 × 10ⁿ.
    fn covering(values: impl IntoIterator<Item = Decimal>) -> Self {
        Self::between(Decimal::ZERO, Decimal::ZERO, values)
    }

    /// A range over the values alone, not necessarily reaching 0: a tornado
    /// chart's bars all start at the base npsv, which may be far from 0.
    fn spanning(values: impl IntoIterator<Item = Decimal>) -> Self {
        let mut values = values.into_iter();
        let first = values.next().unwrap_or(Decimal::ZERO);
        let (min, max) = values.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if min == max {
            // Nothing moves: a unit either side of the one value.
            return Axis {
                lo: min.floor() - Decimal::ONE,
                hi: min.floor() + Decimal::TWO,
                step: Decimal::ONE,
            };
        }
        Self::between(min, max, [])
    }

    fn between(
        mut min: Decimal,
        mut max: Decimal,
        values: impl IntoIterator<Item = Decimal>,
    ) -> Self {
        for v in values {
            min = min.min(v);
            max = max.max(v);
        }
        let span = max - min;
        if span.is_zero() {
            return Axis {
                lo: Decimal::ZERO,
                hi: Decimal::ONE,
                step: Decimal::new(2, 1),
            };
        }
        let rough = span / Decimal::from(5);
        let mut magnitude = Decimal::ONE;
        while magnitude * Decimal::TEN <= rough && magnitude < Decimal::from(1_000_000_000_000_i64)
        {
            magnitude *= Decimal::TEN;
        }
        while magnitude > rough && magnitude > Decimal::new(1, 12) {
            magnitude /= Decimal::TEN;
        }
        let step = [
            Decimal::ONE,
            Decimal::TWO,
            Decimal::new(25, 1),
            Decimal::from(5),
            Decimal::TEN,
        ]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(magnitude * Decimal::TEN);
        let lo = (min / step).floor() * step;
        let hi = (max / step).ceil() * step;
        Axis { lo, hi, step }
    }

    fn ticks(&self) -> Vec<Decimal> {
        let mut out = Vec::new();
        let mut t = self.lo;
        while t <= self.hi && out.len() < 50 {
            out.push(t);
            t += self.step;
        }
        out
    }

    /// The SVG y coordinate of `v`.
    fn y(&self, v: Decimal) -> Decimal {
        let plot = Decimal::from(HEIGHT - TOP - BOTTOM);
        let span = self.hi - self.lo;
        let frac = if span.is_zero() {
            Decimal::ZERO
        } else {
            (v - self.lo) / span
        };
        Decimal::from(HEIGHT - BOTTOM) - frac * plot
    }

    /// Decimals that tell the tick labels apart.
    fn places(&self) -> u32 {
        self.step.normalize().scale()
    }
}

/// A coordinate as SVG text, to two places.
fn n(v: Decimal) -> String {
    let mut r = v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r = r.normalize();
    if r.is_zero() {
        "0".to_string()
    } else {
        r.to_string()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The frame common to both charts: gridlines, tick labels and axis titles.
fn frame(svg: &mut String, axis: &Axis, y_title: &str, x_title: &str) {
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\">\
<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\">\
<rect width=\"5\" height=\"5\" fill=\"white\"/><path d=\"M0,5 L5,0\" stroke=\"black\" stroke-width=\"1\"/></pattern></defs>"
    );
    let places = axis.places();
    for t in axis.ticks() {
        let y = n(axis.y(t));
        let stroke = if t.is_zero() {
            "black\" stroke-width=\"1"
        } else {
            "#bbbbbb\" stroke-width=\"0.5"
        };
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{stroke}\"/>\
<text x=\"{}\" y=\"{y}\" dy=\"3\" text-anchor=\"end\" font-size=\"9\" {FONT}>{}</text>",
            WIDTH - RIGHT,
            LEFT - 4,
            escape(&format::money(t, places))
        );
    }
    let mid = (TOP + HEIGHT - BOTTOM) / 2;
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\" stroke=\"black\" stroke-width=\"1\"/>\
<text x=\"14\" y=\"{mid}\" text-anchor=\"middle\" font-size=\"9\" {FONT} transform=\"rotate(-90 14 {mid})\">{}</text>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
        HEIGHT - BOTTOM,
        escape(y_title),
        (LEFT + WIDTH - RIGHT) / 2,
        HEIGHT - BOTTOM + 32,
        escape(x_title)
    );
}

/// Legend entries in a row under the plot: (swatch SVG at origin, label).
fn legend(svg: &mut String, entries: &[(String, String)]) {
    legend_row(svg, entries, LEFT, HEIGHT - 18, 40);
}

/// One row of legend entries starting at (`x`, `y`), each `gap` plus five
/// units a character wider than its label, so labels never overlap.
fn legend_row<S: AsRef<str>, L: AsRef<str>>(
    svg: &mut String,
    entries: &[(S, L)],
    mut x: i64,
    y: i64,
    gap: i64,
) {
    for (swatch, label) in entries {
        let (swatch, label) = (swatch.as_ref(), label.as_ref());
        let _ = write!(
            svg,
            "<g transform=\"translate({x} {y})\">{swatch}</g>\
<text x=\"{}\" y=\"{}\" font-size=\"9\" {FONT}>{}</text>",
            x + 22,
            y + 4,
            escape(label)
        );
        let chars = i64::try_from(label.chars().count()).unwrap_or(40);
        x += gap + chars * 5;
    }
}

fn plot_width() -> Decimal {
    Decimal::from(WIDTH - LEFT - RIGHT)
}

/// A vertical bar chart of one series (npsv by option).
pub fn bars(bars: &[Bar], y_title: &str, x_title: &str, series: &str) -> String {
    let axis = Axis::covering(bars.iter().map(|b| b.value));
    let mut svg = String::new();
    frame(&mut svg, &axis, y_title, x_title);
    let count = Decimal::from(bars.len().max(1));
    let slot = plot_width() / count;
    let width = slot * Decimal::new(55, 2);
    let zero = axis.y(Decimal::ZERO);
    for (i, bar) in bars.iter().enumerate() {
        let x = Decimal::from(LEFT) + slot * Decimal::from(i) + (slot - width) / Decimal::TWO;
        let y = axis.y(bar.value);
        let (top, height) = if y < zero {
            (y, zero - y)
        } else {
            (zero, y - zero)
        };
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#555555\" stroke=\"black\" stroke-width=\"0.75\"/>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
            n(x),
            n(top),
            n(width),
            n(height),
            n(x + width / Decimal::TWO),
            HEIGHT - BOTTOM + 14,
            escape(&bar.label)
        );
    }
    legend(
        &mut svg,
        &[(
            "<rect x=\"0\" y=\"-4\" width=\"16\" height=\"9\" fill=\"#555555\" stroke=\"black\" stroke-width=\"0.75\"/>".to_string(),
            series.to_string(),
        )],
    );
    svg.push_str("</svg>");
    svg
}

/// Yearly savings and costs as paired bars, cumulative net as a dashed line with markers.
pub fn profile(points: &[ProfilePoint], y_title: &str, labels: [&str; 3]) -> String {
    let axis = Axis::covering(
        points
            .iter()
            .flat_map(|p| [p.savings, p.costs, p.cumulative]),
    );
    let mut svg = String::new();
    frame(&mut svg, &axis, y_title, "Financial year");
    let count = Decimal::from(points.len().max(1));
    let slot = plot_width() / count;
    let bar = slot * Decimal::new(32, 2);
    let zero = axis.y(Decimal::ZERO);
    let mut line = Vec::new();
    let label_every = points.len().div_ceil(8).max(1);
    for (i, p) in points.iter().enumerate() {
        let left = Decimal::from(LEFT) + slot * Decimal::from(i);
        let centre = left + slot / Decimal::TWO;
        for (offset, value, fill) in [
            (-bar, p.savings, "#444444"),
            (Decimal::ZERO, p.costs, "url(#hatch)"),
        ] {
            let y = axis.y(value);
            let (top, height) = if y < zero {
                (y, zero - y)
            } else {
                (zero, y - zero)
            };
            let _ = write!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"black\" stroke-width=\"0.75\"/>",
                n(centre + offset),
                n(top),
                n(bar),
                n(height)
            );
        }
        line.push((centre, axis.y(p.cumulative)));
        // Every year is labelled up to eight; beyond that every second or third, so labels never touch.
        if i % label_every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
                n(centre),
                HEIGHT - BOTTOM + 14,
                escape(&p.year)
            );
        }
    }
    if !line.is_empty() {
        let path: Vec<String> = line
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"black\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
            path.join(" ")
        );
        for (x, y) in &line {
            let _ = write!(
                svg,
                "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>",
                n(*x),
                n(*y)
            );
        }
    }
    legend(
        &mut svg,
        &[
            (
                "<rect x=\"0\" y=\"-4\" width=\"16\" height=\"9\" fill=\"#444444\" stroke=\"black\" stroke-width=\"0.75\"/>".to_string(),
                labels[0].to_string(),
            ),
            (
                "<rect x=\"0\" y=\"-4\" width=\"16\" height=\"9\" fill=\"url(#hatch)\" stroke=\"black\" stroke-width=\"0.75\"/>".to_string(),
                labels[1].to_string(),
            ),
            (
                "<line x1=\"0\" y1=\"0\" x2=\"16\" y2=\"0\" stroke=\"black\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/><circle cx=\"8\" cy=\"0\" r=\"3\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>".to_string(),
                labels[2].to_string(),
            ),
        ],
    );
    svg.push_str("</svg>");
    svg
}

/// Dash patterns and markers that tell S-curves apart without colour.
const CURVE_STYLES: [(&str, &str); 4] = [
    ("", "circle"),
    ("6 3", "square"),
    ("2 2", "diamond"),
    ("8 3 2 3", "triangle"),
];

/// A marker of `kind` centred on (`x`, `y`).
fn marker(kind: &str, x: &str, y: &str) -> String {
    match kind {
        "square" => format!(
            "<rect x=\"-3\" y=\"-3\" width=\"6\" height=\"6\" transform=\"translate({x} {y})\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>"
        ),
        "diamond" => format!(
            "<path d=\"M0,-4 L4,0 L0,4 L-4,0 Z\" transform=\"translate({x} {y})\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>"
        ),
        "triangle" => format!(
            "<path d=\"M0,-4 L4,3 L-4,3 Z\" transform=\"translate({x} {y})\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>"
        ),
        _ => format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"3\" fill=\"white\" stroke=\"black\" stroke-width=\"1.25\"/>"
        ),
    }
}

/// S-curves: the cumulative probability (0% to 100%) across, the figure
/// up, one line per series in its own dash pattern, each marked with its
/// own marker at the percentiles in `marks` (dotted verticals, labelled P20…).
pub fn s_curve(series: &[Curve], marks: &[u32], y_title: &str, x_title: &str) -> String {
    let axis = Axis::spanning(series.iter().flat_map(|c| c.values.iter().copied()));
    let mut svg = String::new();
    frame(&mut svg, &axis, y_title, x_title);
    let x_at =
        |q: usize| Decimal::from(LEFT) + plot_width() * Decimal::from(q) / Decimal::ONE_HUNDRED;
    for q in (0..=100).step_by(10) {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{q}%</text>",
            n(x_at(q)),
            HEIGHT - BOTTOM + 14
        );
    }
    for m in marks {
        let x = n(x_at(*m as usize));
        let _ = write!(
            svg,
            "<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{}\" stroke=\"#777777\" stroke-width=\"0.75\" stroke-dasharray=\"1 2\"/>\
<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"8\" {FONT}>P{m}</text>",
            HEIGHT - BOTTOM,
            TOP - 4
        );
    }
    let mut entries = Vec::new();
    for (i, c) in series.iter().enumerate() {
        let (dash, kind) = CURVE_STYLES[i % CURVE_STYLES.len()];
        let points: Vec<String> = c
            .values
            .iter()
            .enumerate()
            .map(|(q, v)| format!("{},{}", n(x_at(q)), n(axis.y(*v))))
            .collect();
        let dash_attr = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"{dash_attr}/>",
            points.join(" ")
        );
        for m in marks {
            if let Some(v) = c.values.get(*m as usize) {
                svg.push_str(&marker(kind, &n(x_at(*m as usize)), &n(axis.y(*v))));
            }
        }
        entries.push((
            format!(
                "<line x1=\"0\" y1=\"0\" x2=\"16\" y2=\"0\" stroke=\"black\" stroke-width=\"1.5\"{dash_attr}/>{}",
                marker(kind, "8", "0")
            ),
            c.label.clone(),
        ));
    }
    legend(&mut svg, &entries);
    svg.push_str("</svg>");
    svg
}

/// Width of the label column of a tornado chart.
const TORNADO_LEFT: i64 = 176;
/// Height of one line of a tornado chart.
const TORNADO_ROW: i64 = 24;
/// Characters of a line's name that fit the label column.
const TORNADO_LABEL: usize = 36;
/// Room right of the plot for half of the last tick label.
const TORNADO_RIGHT: i64 = 24;

/// Lines of text a tornado label may take in its row.
const TORNADO_LABEL_LINES: usize = 2;

/// A label wrapped to the label column at spaces, in at most
/// [`TORNADO_LABEL_LINES`] lines; a word longer than a line is broken, and
/// only a label longer than every line can hold is cut, with an ellipsis.
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in label.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = current.chars().count();
            let room = if used == 0 {
                TORNADO_LABEL
            } else {
                TORNADO_LABEL.saturating_sub(used + 1)
            };
            if word.len() <= room {
                if used > 0 {
                    current.push(' ');
                }
                current.extend(&word);
                break;
            }
            if used == 0 {
                // A word longer than a line: break it.
                current.extend(&word[..TORNADO_LABEL]);
                word.drain(..TORNADO_LABEL);
            }
            lines.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    if lines.len() > TORNADO_LABEL_LINES {
        lines.truncate(TORNADO_LABEL_LINES);
        if let Some(last) = lines.last_mut() {
            let mut cut: String = last.chars().take(TORNADO_LABEL - 1).collect();
            cut.push('…');
            *last = cut;
        }
    }
    lines
}

/// A tornado chart: for each line, in the order given (largest swing
/// first), a solid bar from `base` to its npsv with the line moved up and a
/// hatched bar to its npsv with the line moved down, one above the other,
/// so the two read apart in greyscale even when they fall on the same side.
pub fn tornado(
    lines: &[TornadoLine],
    base: Decimal,
    x_title: &str,
    legend_labels: [&str; 3],
) -> String {
    let axis = Axis::spanning(
        lines
            .iter()
            .flat_map(|l| [l.down, l.up])
            .chain(std::iter::once(base)),
    );
    let count = i64::try_from(lines.len()).unwrap_or(0).max(1);
    let plot_bottom = TOP + count * TORNADO_ROW;
    let height = plot_bottom + 62;
    let left = Decimal::from(TORNADO_LEFT);
    let width = Decimal::from(WIDTH - TORNADO_LEFT - TORNADO_RIGHT);
    let span = axis.hi - axis.lo;
    let x = |v: Decimal| {
        if span.is_zero() {
            left
        } else {
            left + (v - axis.lo) / span * width
        }
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\">\
<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\">\
<rect width=\"5\" height=\"5\" fill=\"white\"/><path d=\"M0,5 L5,0\" stroke=\"black\" stroke-width=\"1\"/></pattern></defs>"
    );
    let places = axis.places();
    for t in axis.ticks() {
        let tx = n(x(t));
        let _ = write!(
            svg,
            "<line x1=\"{tx}\" y1=\"{TOP}\" x2=\"{tx}\" y2=\"{plot_bottom}\" stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>\
<text x=\"{tx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
            plot_bottom + 12,
            escape(&format::money(t, places))
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{TORNADO_LEFT}\" y1=\"{plot_bottom}\" x2=\"{}\" y2=\"{plot_bottom}\" stroke=\"black\" stroke-width=\"1\"/>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" {FONT}>{}</text>",
        WIDTH - TORNADO_RIGHT,
        (TORNADO_LEFT + WIDTH - TORNADO_RIGHT) / 2,
        plot_bottom + 28,
        escape(x_title)
    );
    let bar = Decimal::from(TORNADO_ROW) * Decimal::new(36, 2);
    for (i, l) in lines.iter().enumerate() {
        let row = TOP + i64::try_from(i).unwrap_or(0) * TORNADO_ROW;
        let mid = Decimal::from(row) + Decimal::from(TORNADO_ROW) / Decimal::TWO;
        for (value, fill, top) in [(l.up, "#444444", mid - bar), (l.down, "url(#hatch)", mid)] {
            let (a, b) = (x(base), x(value));
            let _ = write!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"black\" stroke-width=\"0.75\"/>",
                n(a.min(b)),
                n(top),
                n((b - a).abs()),
                n(bar)
            );
        }
        // One text element a line, centred on the row as a block.
        let wrapped = wrap(&l.label);
        let count = Decimal::from(u32::try_from(wrapped.len()).unwrap_or(1));
        let leading = Decimal::from(10);
        let first = mid - (count - Decimal::ONE) * leading / Decimal::TWO;
        for (k, text) in wrapped.iter().enumerate() {
            let y = first + Decimal::from(u32::try_from(k).unwrap_or(0)) * leading;
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" dy=\"3\" text-anchor=\"end\" font-size=\"8.5\" {FONT}>{}</text>",
                TORNADO_LEFT - 6,
                n(y),
                escape(text)
            );
        }
    }
    let bx = n(x(base));
    let _ = write!(
        svg,
        "<line x1=\"{bx}\" y1=\"{}\" x2=\"{bx}\" y2=\"{plot_bottom}\" stroke=\"black\" stroke-width=\"1.5\"/>",
        TOP - 6
    );
    let entries = [
        (
            "<rect x=\"0\" y=\"-4\" width=\"16\" height=\"9\" fill=\"#444444\" stroke=\"black\" stroke-width=\"0.75\"/>",
            legend_labels[0],
        ),
        (
            "<rect x=\"0\" y=\"-4\" width=\"16\" height=\"9\" fill=\"url(#hatch)\" stroke=\"black\" stroke-width=\"0.75\"/>",
            legend_labels[1],
        ),
        (
            "<line x1=\"8\" y1=\"-6\" x2=\"8\" y2=\"7\" stroke=\"black\" stroke-width=\"1.5\"/>",
            legend_labels[2],
        ),
    ];
    legend_row(&mut svg, &entries, 20, height - 14, 36);
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    /// Each label of a timeline's SVG: its text and its white box (x, width).
    fn timeline_labels(svg: &str) -> Vec<(String, Decimal, Decimal)> {
        svg.split("<rect x=\"")
            .skip(1)
            .filter(|part| part.contains("fill=\"white\"/><text"))
            .map(|part| {
                let x: Decimal = part.split('"').next().unwrap().parse().unwrap();
                let width: Decimal = part
                    .split("width=\"")
                    .nth(1)
                    .and_then(|w| w.split('"').next())
                    .unwrap()
                    .parse()
                    .unwrap();
                let text = part
                    .split("<text")
                    .nth(1)
                    .and_then(|t| t.split_once('>'))
                    .and_then(|(_, t)| t.split("</text>").next())
                    .unwrap()
                    .to_string();
                (text, x, width)
            })
            .collect()
    }

    fn event(label: &str, date: &str, day: i64) -> TimelineEvent {
        TimelineEvent {
            label: label.into(),
            date: date.into(),
            day,
            gateway: String::new(),
        }
    }

    #[test]
    fn timeline_labels_are_whole_where_they_fit_and_keep_their_dates_where_they_do_not() {
        let long = "Wave 2 live: Bedfordshire, Cambridgeshire, Hertfordshire, Norfolk, \
                    and the remaining forces of the region";
        let events = [
            // Early: room on the right for a long label.
            event(
                "Platform procurement launched (framework call-off)",
                "Jan 2027",
                290,
            ),
            // Late: its label goes left of the marker.
            event("First benefits realisation review", "Mar 2030", 1460),
            // Mid-way and too long for either side.
            event(long, "Apr 2029", 1095),
            // A name at the text limit.
            event(&"x".repeat(2000), "Apr 2028", 730),
        ];
        let svg = timeline(&events, &[("Apr 2026".into(), 0)], "a gateway");
        let labels = timeline_labels(&svg);
        assert_eq!(labels.len(), 4, "{svg}");
        assert_eq!(
            labels[0].0,
            "Platform procurement launched (framework call-off) (Jan 2027)"
        );
        assert_eq!(labels[1].0, "First benefits realisation review (Mar 2030)");
        for (text, _, _) in &labels[2..] {
            assert!(text.contains("… ("), "{text}");
        }
        assert!(
            labels[2].0.starts_with("Wave 2 live: Bedfordshire"),
            "{}",
            labels[2].0
        );
        assert!(labels[2].0.ends_with("… (Apr 2029)"), "{}", labels[2].0);
        assert!(labels[3].0.ends_with("x… (Apr 2028)"), "{}", labels[3].0);
        // Every label's box within the chart, and as wide as its text.
        for (text, x, width) in &labels {
            assert!(
                *x >= Decimal::ZERO && x + width <= Decimal::from(480),
                "{text}: {x} + {width}"
            );
            assert_eq!(
                *width,
                n(text_width(&text.replace("&amp;", "&"), 8_500))
                    .parse()
                    .unwrap()
            );
        }
    }

    #[test]
    fn axis_covers_negative_and_positive_values_with_round_steps() {
        let a = Axis::covering([dec!(-3.2), dec!(11.7)]);
        assert_eq!((a.lo, a.hi, a.step), (dec!(-5), dec!(15), dec!(5)));
        let a = Axis::covering([dec!(0.34)]);
        assert_eq!(a.step, dec!(0.1));
        assert_eq!(a.hi, dec!(0.4));
        assert!(a.ticks().contains(&Decimal::ZERO));
    }

    #[test]
    fn labels_are_escaped() {
        let svg = bars(
            &[Bar {
                label: "<A & B>".into(),
                value: dec!(1),
            }],
            "y",
            "x",
            "s",
        );
        assert!(svg.contains("&lt;A &amp; B&gt;"));
        assert!(!svg.contains("<A & B>"));
    }

    #[test]
    fn tornado_labels_wrap_at_spaces_and_are_cut_only_beyond_two_lines() {
        assert_eq!(
            wrap("Business support staff savings"),
            ["Business support staff savings"]
        );
        assert_eq!(
            wrap("Force vetting posts removed after the merger (Avon and Somerset)"),
            [
                "Force vetting posts removed after",
                "the merger (Avon and Somerset)"
            ]
        );
        for line in wrap("Force vetting posts removed after the merger (Avon and Somerset)") {
            assert!(line.chars().count() <= TORNADO_LABEL, "{line}");
        }
        let long = "word ".repeat(30);
        let lines = wrap(&long);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap(&"x".repeat(40)), ["x".repeat(36), "x".repeat(4)]);
        assert_eq!(wrap(""), [""]);
    }

    #[test]
    fn tornado_bars_start_at_the_base_and_labels_are_escaped_and_clipped() {
        let long = "x".repeat(80);
        let svg = tornado(
            &[
                TornadoLine {
                    label: "<Hub & spoke>".into(),
                    down: dec!(8),
                    up: dec!(12),
                },
                TornadoLine {
                    label: long.clone(),
                    down: dec!(10),
                    up: dec!(10),
                },
            ],
            dec!(10),
            "NPSV",
            ["up", "down", "base"],
        );
        assert!(svg.contains("&lt;Hub &amp; spoke&gt;"));
        assert!(!svg.contains(&long));
        assert!(svg.contains('…'));
        // Axis 8 to 12 over the plot: the base, 10, is its middle.
        let mid = n(Decimal::from(TORNADO_LEFT)
            + Decimal::from(WIDTH - TORNADO_LEFT - TORNADO_RIGHT) / Decimal::TWO);
        assert!(
            svg.contains(&format!("<line x1=\"{mid}\" y1=\"10\"")),
            "{svg}"
        );
        // The up bar of the first line runs from the base rightwards.
        assert!(svg.contains(&format!("<rect x=\"{mid}\"")), "{svg}");
        assert_eq!(Axis::spanning([dec!(5), dec!(5)]).lo, dec!(4));
    }
}
