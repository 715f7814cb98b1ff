//! What the chart tests share: readers for the flat SVG that plotters writes, a reader of dot
//! plot and panel layouts, and fixtures (the sample with districts, districts that differ).

#![allow(dead_code)]

pub mod svg;

use crate::common::{repo, Workdir};
use svg::{circles, polylines, texts, SvgCircle, SvgText};

/// The bundled codebook with every table also broken down by the ten districts.
pub fn wijk_codebook() -> String {
    let cb = std::fs::read_to_string(repo().join("samples/codebook.toml")).unwrap();
    // The sample's variables and design, with tables of our own (whatever the sample's are).
    let (head, _) = cb.split_once("[[tables]]").unwrap();
    // Files the codebook names are relative to it: point them at the samples.
    let samples = repo().join("samples");
    let mut out = head
        .replace(
            "margins = \"",
            &format!("margins = \"{}/", samples.display()),
        )
        .replace(
            "invited = \"",
            &format!("invited = \"{}/", samples.display()),
        );
    // The benchmark names the sample's own tables, which these replace.
    out = out
        .lines()
        .filter(|l| !l.starts_with("benchmark ="))
        .map(|l| format!("{l}\n"))
        .collect();
    for t in ["kanaal", "info", "tevredenheid", "cijfer_telefoon"] {
        out.push_str(&format!(
            "[[tables]]\nname = \"{t}\"\nrows = \"{t}\"\nby = [\"leeftijdsgroep\", \"taal\", \"wijk\"]\n\n"
        ));
    }
    out
}

pub fn sample_report(wd: &Workdir, codebook: &str, out: &str, extra: &[&str]) {
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let mut args = vec![
        "report",
        data.to_str().unwrap(),
        "-c",
        codebook,
        "--out",
        out,
    ];
    args.extend(extra);
    wd.run(&args).expect_code(0);
}

/// A codebook and data of ten districts of 150 respondents: Telefoon from 10% (district 1) to
/// 82% (district 10), Balie 50% everywhere.
pub fn districts_that_differ() -> (String, String) {
    let mut cb = String::from(
        "title = \"Wijken\"\n[[variables]]\nname = \"wijk\"\nlabel = \"Wijk\"\ntype = \"categorical\"\nvalues = [",
    );
    for g in 1..=10 {
        cb.push_str(&format!("{{ code = \"{g}\", label = \"Wijk {g}\" }}, "));
    }
    cb.push_str("]\n[[variables]]\nname = \"kanaal\"\nlabel = \"Kanaal\"\ntype = \"multi\"\n");
    cb.push_str("items = [ { column = \"k1\", label = \"Telefoon\" }, { column = \"k2\", label = \"Balie\" } ]\n");
    cb.push_str("[[tables]]\nname = \"kanaal\"\nrows = \"kanaal\"\nby = [\"wijk\"]\n");
    let mut data = String::from("wijk,k1,k2\n");
    for g in 1..=10u32 {
        let yes = (150.0 * (0.10 + 0.08 * (g - 1) as f64)).round() as u32;
        for i in 0..150 {
            data.push_str(&format!("{g},{},{}\n", u8::from(i < yes), i % 2));
        }
    }
    (cb, data)
}

/// English words that none of a Dutch chart's own words (nor the sample's labels) contain.
/// No SVG chart in `dir` has an English word from [`ENGLISH`] (the Dutch charts speak Dutch).
pub fn assert_no_english_words(dir: &std::path::Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            let words = svg::words(&std::fs::read_to_string(&p).unwrap());
            let english: Vec<&String> = words
                .iter()
                .filter(|w| ENGLISH.contains(&w.as_str()))
                .collect();
            assert!(english.is_empty(), "{}: {english:?}", p.display());
        }
    }
}

pub const ENGLISH: [&str; 26] = [
    "Source",
    "Total",
    "respondents",
    "weighted",
    "stratified",
    "Intervals",
    "normal",
    "with",
    "confidence",
    "interval",
    "by",
    "Hatched",
    "Pale",
    "unreliable",
    "indicative",
    "higher",
    "lower",
    "than",
    "tested",
    "fewer",
    "drawn",
    "Mean",
    "year",
    "change",
    "Filled",
    "answer",
];

/// One panel of a dot plot as drawn: its title, dots, row labels and values, reference line and
/// axis.
#[derive(Debug, Default)]
pub struct DotPanelSvg {
    pub title: String,
    pub left: f64,
    pub dots: Vec<SvgCircle>,
    pub labels: Vec<SvgText>,
    pub values: Vec<SvgText>,
    pub reference_x: Option<f64>,
    /// x of the tick labels "0%" and of the last tick, with its value.
    pub zero_x: f64,
    pub end: (f64, f64),
}

impl DotPanelSvg {
    pub fn value_at(&self, x: f64) -> f64 {
        (x - self.zero_x) / (self.end.0 - self.zero_x) * self.end.1
    }

    /// The row (label, value text) whose centre is at `y`.
    pub fn row_at(&self, y: f64) -> (&str, &str) {
        fn near(ts: &[SvgText], y: f64) -> &str {
            ts.iter()
                .find(|t| (t.mid() - y).abs() < 6.0)
                .map_or("", |t| t.text.as_str())
        }
        (near(&self.labels, y), near(&self.values, y))
    }

    pub fn row_of(&self, label: &str) -> Option<f64> {
        self.labels
            .iter()
            .find(|t| t.text == label)
            .map(SvgText::mid)
    }
}

/// The panels of a two-column dot plot (1600 px wide, 48 px margins, 64 px between columns).
pub fn dot_panels(svg_text: &str) -> Vec<DotPanelSvg> {
    let panel_w = (1600.0 - 2.0 * 48.0 - 64.0) / 2.0;
    let column = |x: f64| usize::from(x > 48.0 + panel_w + 32.0);
    let texts = texts(svg_text);
    let titles: Vec<&SvgText> = texts.iter().filter(|t| t.bold && t.size == 24.0).collect();
    let footer_top = texts
        .iter()
        .filter(|t| t.size == 21.0)
        .map(|t| t.y)
        .fold(f64::MAX, f64::min);
    // The panel an element at (x, y) belongs to: the lowest title above it in its column.
    let panel_of = |x: f64, y: f64| -> Option<usize> {
        if y >= footer_top {
            return None;
        }
        titles
            .iter()
            .enumerate()
            .filter(|(_, t)| column(t.x) == column(x) && t.y <= y)
            .max_by(|a, b| a.1.y.total_cmp(&b.1.y))
            .map(|(i, _)| i)
    };
    let mut panels: Vec<DotPanelSvg> = titles
        .iter()
        .map(|t| DotPanelSvg {
            title: t.text.clone(),
            left: t.x,
            ..Default::default()
        })
        .collect();
    for c in circles(svg_text) {
        if let Some(i) = panel_of(c.cx, c.cy) {
            panels[i].dots.push(c);
        }
    }
    for t in texts.iter().filter(|t| !t.bold) {
        let Some(i) = panel_of(t.x, t.y) else {
            continue;
        };
        let p = &mut panels[i];
        match (t.anchor.as_str(), t.size) {
            ("end", 22.0) if t.x < p.left + panel_w / 2.0 => p.labels.push(t.clone()),
            ("end", 22.0) => p.values.push(t.clone()),
            ("middle", 23.0) if t.text == "0%" => p.zero_x = t.x,
            ("middle", 23.0) => {
                let v: f64 = t.text.trim_end_matches('%').parse().unwrap();
                if v > p.end.1 {
                    p.end = (t.x, v);
                }
            }
            _ => {}
        }
    }
    for l in polylines(svg_text) {
        let vertical = l.points.len() == 2 && l.points[0].0 == l.points[1].0;
        if l.stroke == "#444444" && vertical {
            if let Some(i) = panel_of(l.points[0].0, l.points[0].1 + 3.0) {
                panels[i].reference_x = Some(l.points[0].0);
            }
        }
    }
    panels
}

/// The panels of a two-column chart: (title, left, top), and the panel an element belongs to.
pub struct PanelGrid {
    pub titles: Vec<(String, f64, f64)>,
}

impl PanelGrid {
    pub fn new(svg_text: &str) -> PanelGrid {
        let titles = texts(svg_text)
            .into_iter()
            .filter(|t| t.bold && t.size == 24.0)
            .map(|t| (t.text, t.x, t.y))
            .collect();
        PanelGrid { titles }
    }

    pub fn of(&self, x: f64, y: f64) -> Option<&str> {
        let column = |x: f64| usize::from(x > 800.0);
        self.titles
            .iter()
            .filter(|(_, tx, ty)| column(*tx) == column(x) && *ty <= y)
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(t, _, _)| t.as_str())
    }
}
