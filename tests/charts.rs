//! Charts: SVG structure (labels, one bar per estimate, whiskers at the interval limits), dot
//! plots for many groups, trend lines, marks, colours, words in both languages, PNG size, and
//! drawing with no system fonts at all.

mod common;

mod chartkit;

use chartkit::svg;
use chartkit::svg::{attr, elements, num, texts};
use chartkit::{
    assert_no_english_words, districts_that_differ, dot_panels, sample_report, wijk_codebook,
    PanelGrid,
};
use common::{read_csv, read_csv_str, repo, Workdir};

const CODEBOOK: &str = r#"
title = "Grafiektest"
[[variables]]
name = "groep"
label = "Groep"
type = "categorical"
values = [ { code = "a", label = "Groep A & co" }, { code = "b", label = "Groep <B>" } ]
[[variables]]
name = "kanaal"
label = "Welk kanaal?"
type = "multi"
items = [ { column = "k1", label = "Telefoon" }, { column = "k2", label = "E-mail" } ]
[[tables]]
name = "kanaal"
rows = "kanaal"
by = ["groep"]
"#;

fn data() -> String {
    let mut s = String::from("groep,k1,k2\n");
    for i in 0..400 {
        let g = if i % 2 == 0 { "a" } else { "b" };
        s.push_str(&format!(
            "{g},{},{}\n",
            (i % 4 < 2) as u8,
            (i % 8 < 3) as u8
        ));
    }
    s
}

#[test]
fn svg_has_labels_one_bar_per_estimate_and_whiskers_at_the_limits() {
    let wd = Workdir::new();
    wd.write("cb.toml", CODEBOOK);
    wd.write("d.csv", data());
    wd.run(&[
        "chart", "d.csv", "-c", "cb.toml", "-t", "kanaal", "--by", "groep", "-o", "k.svg",
    ])
    .expect_code(0);
    let svg = std::fs::read_to_string(wd.path("k.svg")).unwrap();
    let texts: Vec<(f64, String)> = texts(&svg).into_iter().map(|t| (t.x, t.text)).collect();
    let has = |s: &str| texts.iter().any(|(_, t)| t.contains(s));
    assert!(
        has("Welk kanaal?") && has("Telefoon") && has("E-mail"),
        "{texts:?}"
    );
    assert!(
        has("Groep A &amp; co (n = 200)") && has("Groep &lt;B&gt; (n = 200)"),
        "labels are escaped: {texts:?}"
    );
    // Axis ends from the tick labels.
    let x0 = texts.iter().find(|(_, t)| t == "0%").unwrap().0;
    let x100 = texts.iter().find(|(_, t)| t == "100%").unwrap().0;
    let value = |x: f64| (x - x0) / (x100 - x0) * 100.0;

    let estimates = read_csv_str(
        &wd.run(&[
            "crosstab", "d.csv", "-c", "cb.toml", "-t", "kanaal", "-f", "csv",
        ])
        .stdout(),
    );
    let groups: Vec<_> = estimates.iter().filter(|e| e["by"] == "groep").collect();
    assert_eq!(groups.len(), 4);
    // Bars: rectangles that start at the zero line in a group colour (legend swatches do not).
    let bars: Vec<&str> = elements(&svg, "rect")
        .into_iter()
        .filter(|r| {
            (num(r, "x") - x0).abs() <= 1.0 && num(r, "width") > 2.0 && num(r, "height") > 10.0
        })
        .collect();
    assert_eq!(bars.len(), 4, "one bar per estimate");
    let whiskers: Vec<(f64, f64, f64)> = elements(&svg, "polyline")
        .into_iter()
        .filter_map(|p| {
            let pts: Vec<(f64, f64)> = attr(p, "points")?
                .split_whitespace()
                .filter_map(|xy| {
                    let (x, y) = xy.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            (pts.len() == 2 && pts[0].1 == pts[1].1 && pts[0].0 != pts[1].0)
                .then(|| (pts[0].0, pts[1].0, pts[0].1))
        })
        .collect();
    // Categories top-down (Telefoon, E-mail), groups within (a, b): the order of `bars` by y.
    let mut bars_by_y: Vec<&str> = bars.clone();
    bars_by_y.sort_by(|a, b| num(a, "y").total_cmp(&num(b, "y")));
    let order = [("k1", "a"), ("k1", "b"), ("k2", "a"), ("k2", "b")];
    for (bar, (cat, group)) in bars_by_y.iter().zip(order) {
        let e = groups
            .iter()
            .find(|e| e["category"] == cat && e["group"] == group)
            .unwrap();
        let est: f64 = e["estimate"].parse::<f64>().unwrap() * 100.0;
        let width_value = value(num(bar, "x") + num(bar, "width"));
        assert!(
            (width_value - est).abs() < 0.15,
            "{cat}/{group}: bar {width_value} vs {est}"
        );
        let mid = (num(bar, "y") + num(bar, "height") / 2.0).round();
        let (l, u, _) = whiskers
            .iter()
            .find(|(_, _, y)| (*y - mid).abs() <= 1.0)
            .unwrap_or_else(|| panic!("no whisker at y={mid}"));
        let lo: f64 = e["ci_lower"].parse::<f64>().unwrap() * 100.0;
        let hi: f64 = e["ci_upper"].parse::<f64>().unwrap() * 100.0;
        assert!(
            (value(*l) - lo).abs() < 0.15 && (value(*u) - hi).abs() < 0.15,
            "{cat}/{group}: whisker {}–{} vs {lo}–{hi}",
            value(*l),
            value(*u)
        );
    }
}

#[test]
fn report_draws_pngs_without_any_system_font() {
    let wd = Workdir::new();
    let empty = wd.path("nofonts");
    std::fs::create_dir_all(&empty).unwrap();
    let out = std::process::Command::new(common::bin())
        .args([
            "report",
            repo()
                .join("samples/inwonersenquete-2023.csv")
                .to_str()
                .unwrap(),
            "-c",
            repo().join("samples/codebook.toml").to_str().unwrap(),
            "--out",
            wd.path("rep").to_str().unwrap(),
        ])
        .env_clear()
        .env("HOME", &empty)
        .env("XDG_DATA_DIRS", &empty)
        .env("XDG_DATA_HOME", &empty)
        .env("FONTCONFIG_FILE", empty.join("none.conf"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let charts = wd.path("rep/charts");
    let mut pngs = 0;
    for e in std::fs::read_dir(&charts).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "png") {
            let decoder =
                png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&p).unwrap()));
            let reader = decoder.read_info().unwrap();
            let info = reader.info();
            assert!(
                info.width >= 1200 && info.height >= 800,
                "{}: {}x{}",
                p.display(),
                info.width,
                info.height
            );
            pngs += 1;
        }
    }
    // kanaal: total + 3 breakdowns; info: total + 3 (one crossed); tevreden: total + 2;
    // 2 numeric tables: one chart of means each; the battery buurt: stacked bars + 2
    // breakdowns; the scale leefbaarheid: means + a dot plot of the ten districts.
    assert_eq!(pngs, 4 + 4 + 3 + 1 + 1 + 3 + 2);
    let html = std::fs::read_to_string(wd.path("rep/index.html")).unwrap();
    assert!(
        html.contains("<img src=\"charts/kanaal-taal.svg\"") && !html.contains("http"),
        "self-contained page"
    );
    let svg = std::fs::read_to_string(charts.join("kanaal-taal.svg")).unwrap();
    assert!(
        svg.contains("Balie in het Stadskantoor *"),
        "significant differences are marked"
    );
}

#[test]
fn small_groups_are_hatched_and_explained() {
    let wd = Workdir::new();
    wd.write("cb.toml", CODEBOOK);
    let mut s = String::from("groep,k1,k2\n");
    for i in 0..120 {
        // group b has 12 respondents only
        let g = if i < 108 { "a" } else { "b" };
        s.push_str(&format!("{g},{},{}\n", (i % 3 == 0) as u8, (i % 2) as u8));
    }
    wd.write("d.csv", s);
    wd.run(&[
        "chart", "d.csv", "-c", "cb.toml", "-t", "kanaal", "--by", "groep", "-o", "k.svg",
    ])
    .expect_code(0);
    let svg = std::fs::read_to_string(wd.path("k.svg")).unwrap();
    assert!(
        svg.contains("Gearceerd"),
        "the legend and footer explain the hatching"
    );
    let thin_lines = elements(&svg, "polyline")
        .into_iter()
        .filter(|p| attr(p, "stroke") == Some("#D55E00"))
        .count();
    assert!(
        thin_lines > 4,
        "hatching lines in the second group's colour: {thin_lines}"
    );
    // Group b: 4 of 12 chose k1 (suppressed: no bar at all, an `x` as in the tables), 6 chose k2
    // (unreliable: hatched, ‡).
    let b_bars = svg::rects(&svg)
        .into_iter()
        .filter(|r| r.fill == "#D55E00" && r.h > 10.0 && r.w != r.h)
        .count();
    assert_eq!(b_bars, 1, "only the unreliable cell of group b is drawn");
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t.text == "x"), "the suppression mark");
    assert!(texts.iter().any(|t| t.text == "50%‡"), "{texts:?}");
    assert!(svg.contains("x minder dan 5 respondenten gaven dit antwoord: niet getekend"));
    assert!(svg.contains("‡ onbetrouwbaar (minder dan 30 respondenten), gearceerd"));
    wd.run(&[
        "chart", "d.csv", "-c", "cb.toml", "-t", "kanaal", "-o", "k.png",
    ])
    .expect_code(0);
    let r = wd.run(&[
        "chart", "d.csv", "-c", "cb.toml", "-t", "kanaal", "-o", "k.pdf",
    ]);
    r.expect_code(2);
    assert!(r.stderr().contains(".svg or .png"));
}

#[test]
fn no_chart_repeats_a_colour() {
    let wd = Workdir::new();
    wd.write("cb.toml", wijk_codebook());
    sample_report(&wd, "cb.toml", "rep", &[]);
    let mut charts = 0;
    for e in std::fs::read_dir(wd.path("rep/charts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "svg") {
            continue;
        }
        charts += 1;
        let svg_text = std::fs::read_to_string(&p).unwrap();
        let rects = svg::rects(&svg_text);
        // Legend swatches: opaque squares; bars: opaque rectangles at least 10 px high.
        let swatches: Vec<&str> = rects
            .iter()
            .filter(|r| r.w == r.h && (20.0..=25.0).contains(&r.w) && r.opacity == 1.0)
            .map(|r| r.fill.as_str())
            .collect();
        for (i, a) in swatches.iter().enumerate() {
            assert!(
                !swatches[..i].contains(a),
                "{}: colour {a} twice",
                p.display()
            );
        }
        let structural = ["#FFFFFF", "#1A1A1A", "#D9D9D9", "#555555"];
        for r in rects
            .iter()
            .filter(|r| r.h >= 10.0 && r.w >= 3.0 && r.opacity == 1.0)
        {
            if !structural.contains(&r.fill.as_str()) {
                assert!(
                    swatches.contains(&r.fill.as_str()),
                    "{}: bar colour {} not in the legend",
                    p.display(),
                    r.fill
                );
            }
        }
        // Dot plots: one colour for every dot.
        let dots: Vec<String> = svg::circles(&svg_text)
            .into_iter()
            .filter(|c| c.r == 8.0)
            .map(|c| c.fill)
            .collect();
        assert!(
            dots.iter().all(|f| f == "#0072B2"),
            "{}: {dots:?}",
            p.display()
        );
    }
    // 2 tables of answers x (total, age, language, district) + 2 of means x (means, district).
    assert_eq!(charts, 12);
}

#[test]
fn charts_speak_dutch_by_default_and_english_when_asked() {
    let wd = Workdir::new();
    wd.write("cb.toml", wijk_codebook());
    sample_report(&wd, "cb.toml", "nl", &[]);
    sample_report(&wd, "cb.toml", "en", &["--language", "en"]);
    assert_no_english_words(&wd.path("nl/charts"));
    let en =
        |stem: &str| std::fs::read_to_string(wd.path(&format!("en/charts/{stem}.svg"))).unwrap();
    let dots = en("kanaal-wijk");
    for phrase in [
        "Percentage by district, with 95% confidence interval; from high to low per answer",
        "Total (all respondents)",
        "Source: Resident survey 2023 (synthetic example)",
        "n by district (unweighted number of respondents): West (",
        "x fewer than 5 respondents gave this answer: not drawn",
        "Total: 65%",
    ] {
        assert!(dots.contains(phrase), "{phrase}");
    }
    let means = en("tevredenheid-gemiddelden");
    assert!(
        means.contains("Intervals: 95% (normal)") && means.contains(">\n7.1\n<"),
        "decimal point"
    );
    let bars = en("kanaal-leeftijdsgroep");
    assert!(bars.contains("significantly higher or lower than the total"));
    for dutch in [
        "Totaal",
        "Bron",
        "respondenten",
        "betrouwbaarheidsinterval",
        "Gearceerd",
        "getoetst",
    ] {
        for stem in [
            "kanaal-wijk",
            "tevredenheid-gemiddelden",
            "kanaal-leeftijdsgroep",
            "info-taal",
        ] {
            assert!(!en(stem).contains(dutch), "{stem}: {dutch}");
        }
    }
    let nl_means =
        std::fs::read_to_string(wd.path("nl/charts/tevredenheid-gemiddelden.svg")).unwrap();
    assert!(nl_means.contains("Intervallen: 95% (normaal)") && nl_means.contains(">\n7,1\n<"));
}

#[path = "charts/dots.rs"]
mod dots;
#[path = "charts/trends.rs"]
mod trends;
