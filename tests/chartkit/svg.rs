//! Readers for the flat SVG that plotters writes (one element per line or per text block), enough
//! to check charts without an XML crate: texts with their position, circles, rectangles and
//! polylines with their attributes.

#![allow(dead_code)]

/// Every `<tag …>` element's opening tag.
pub fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(&open) {
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        out.push(&rest[i..end]);
        rest = &rest[end..];
    }
    out
}

pub fn attr<'a>(el: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = el.find(&key)? + key.len();
    let j = el[i..].find('"')? + i;
    Some(&el[i..j])
}

pub fn num(el: &str, name: &str) -> f64 {
    attr(el, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

#[derive(Debug, Clone)]
pub struct SvgText {
    pub x: f64,
    /// The top of the line box (plotters anchors text at its top, `dy="0.76em"`).
    pub y: f64,
    pub anchor: String,
    pub size: f64,
    pub bold: bool,
    pub fill: String,
    pub text: String,
}

impl SvgText {
    /// The vertical middle of the capitals: where the row or bar it labels is centred.
    pub fn mid(&self) -> f64 {
        self.y + 0.4 * self.size
    }
}

/// Every `<text>` element, content trimmed (entities kept as written).
pub fn texts(svg: &str) -> Vec<SvgText> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text ") {
        let close = rest[i..].find("</text>").map_or(rest.len(), |e| i + e);
        let el = &rest[i..close];
        let gt = el.find('>').unwrap_or(0);
        let tag = &el[..gt];
        out.push(SvgText {
            x: num(tag, "x"),
            y: num(tag, "y"),
            anchor: attr(tag, "text-anchor").unwrap_or("").to_string(),
            size: num(tag, "font-size"),
            bold: attr(tag, "font-weight") == Some("bold"),
            fill: attr(tag, "fill").unwrap_or("").to_string(),
            text: el[gt + 1..].trim().to_string(),
        });
        rest = &rest[close..];
    }
    out
}

#[derive(Debug, Clone)]
pub struct SvgCircle {
    pub cx: f64,
    pub cy: f64,
    pub r: f64,
    pub fill: String,
    pub stroke: String,
}

pub fn circles(svg: &str) -> Vec<SvgCircle> {
    elements(svg, "circle")
        .into_iter()
        .map(|c| SvgCircle {
            cx: num(c, "cx"),
            cy: num(c, "cy"),
            r: num(c, "r"),
            fill: attr(c, "fill").unwrap_or("").to_string(),
            stroke: attr(c, "stroke").unwrap_or("").to_string(),
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct SvgRect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub fill: String,
    pub opacity: f64,
}

pub fn rects(svg: &str) -> Vec<SvgRect> {
    elements(svg, "rect")
        .into_iter()
        .map(|r| SvgRect {
            x: num(r, "x"),
            y: num(r, "y"),
            w: num(r, "width"),
            h: num(r, "height"),
            fill: attr(r, "fill").unwrap_or("").to_string(),
            opacity: num(r, "opacity"),
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct SvgLine {
    pub stroke: String,
    pub width: f64,
    pub points: Vec<(f64, f64)>,
}

pub fn polylines(svg: &str) -> Vec<SvgLine> {
    elements(svg, "polyline")
        .into_iter()
        .map(|p| SvgLine {
            stroke: attr(p, "stroke").unwrap_or("").to_string(),
            width: num(p, "stroke-width"),
            points: attr(p, "points")
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|xy| {
                    let (x, y) = xy.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect(),
        })
        .collect()
}

/// Words of every text element, split at anything that is not a letter.
pub fn words(svg: &str) -> Vec<String> {
    texts(svg)
        .iter()
        .flat_map(|t| {
            t.text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}
