//! Dot plots for many groups: sorted panels with the total, marks up and down, no suppressed cells.

use super::*;

#[test]
fn ten_districts_get_a_sorted_dot_plot_with_the_total_and_no_suppressed_cells() {
    let wd = Workdir::new();
    wd.write("cb.toml", wijk_codebook());
    sample_report(&wd, "cb.toml", "rep", &[]);
    let estimates = read_csv(&wd.path("rep/kanaal.csv"));
    let svg_text = std::fs::read_to_string(wd.path("rep/charts/kanaal-wijk.svg")).unwrap();
    let html = std::fs::read_to_string(wd.path("rep/index.html")).unwrap();
    assert!(
        html.contains("charts/kanaal-wijk.svg") && html.contains("charts/tevredenheid-wijk.svg")
    );
    let md = std::fs::read_to_string(wd.path("rep/report.md")).unwrap();
    assert!(md.contains("charts/kanaal-wijk.png"));
    let panels = dot_panels(&svg_text);
    assert_eq!(panels.len(), 7, "a panel per answer");
    let mut suppressed = 0;
    for panel in &panels {
        let cat_rows: Vec<_> = estimates
            .iter()
            .filter(|e| e["by"] == "wijk" && e["category_label"] == panel.title)
            .collect();
        assert_eq!(cat_rows.len(), 10, "{}", panel.title);
        assert_eq!(panel.labels.len(), 10, "one row per district: {panel:?}");
        let shown: Vec<_> = cat_rows
            .iter()
            .filter(|e| e["reliability"] != "suppress")
            .collect();
        assert_eq!(
            panel.dots.len(),
            shown.len(),
            "one dot per shown district in {}",
            panel.title
        );
        // Sorted: the higher a row, the larger its value.
        let mut dots = panel.dots.clone();
        dots.sort_by(|a, b| a.cy.total_cmp(&b.cy));
        for pair in dots.windows(2) {
            assert!(
                pair[0].cx >= pair[1].cx,
                "{}: not sorted: {pair:?}",
                panel.title
            );
        }
        for e in &shown {
            let y = panel.row_of(&e["group_label"]).unwrap();
            let dot = panel.dots.iter().find(|d| (d.cy - y).abs() < 6.0).unwrap();
            let want = e["estimate"].parse::<f64>().unwrap() * 100.0;
            assert!(
                (panel.value_at(dot.cx) - want).abs() < 0.5,
                "{} {}",
                panel.title,
                e["group_label"]
            );
            assert_eq!(panel.row_at(dot.cy).1, format!("{}%", want.round()));
        }
        for e in cat_rows.iter().filter(|e| e["reliability"] == "suppress") {
            suppressed += 1;
            let y = panel.row_of(&e["group_label"]).unwrap();
            assert!(
                panel.dots.iter().all(|d| (d.cy - y).abs() > 10.0),
                "suppressed cell drawn"
            );
            assert_eq!(panel.row_at(y).1, "x");
        }
        let total = estimates
            .iter()
            .find(|e| e["by"] == "(all)" && e["category_label"] == panel.title)
            .unwrap();
        let want = total["estimate"].parse::<f64>().unwrap() * 100.0;
        let rx = panel
            .reference_x
            .unwrap_or_else(|| panic!("no reference line in {}", panel.title));
        assert!(
            (panel.value_at(rx) - want).abs() < 0.5,
            "{}: total {want}",
            panel.title
        );
    }
    assert!(
        suppressed > 0,
        "the sample suppresses some video-calling districts"
    );
    assert!(svg_text.contains("x minder dan 5 respondenten gaven dit antwoord: niet getekend"));
    assert!(svg_text.contains("n per wijk (ongewogen aantal respondenten): West ("));
}

#[test]
fn districts_that_differ_from_the_total_are_marked_up_or_down() {
    let wd = Workdir::new();
    let (cb, data) = districts_that_differ();
    wd.write("cb.toml", cb);
    wd.write("d.csv", data);
    wd.run(&["report", "d.csv", "-c", "cb.toml", "--out", "rep"])
        .expect_code(0);
    let svg_text = std::fs::read_to_string(wd.path("rep/charts/kanaal-wijk.svg")).unwrap();
    let panels = dot_panels(&svg_text);
    let comparisons = read_csv(&wd.path("rep/comparisons.csv"));
    let (mut up, mut down) = (0, 0);
    for c in comparisons
        .iter()
        .filter(|c| c["between"] == "wijk" && c["group_a"] == "(all)")
    {
        let panel = panels
            .iter()
            .find(|p| p.title == c["category_label"])
            .unwrap();
        let y = panel.row_of(&c["group_b_label"]).unwrap();
        let value = panel.row_at(y).1;
        let diff: f64 = c["difference"].parse().unwrap();
        match (c["significant"].as_str(), diff > 0.0) {
            ("true", true) => {
                up += 1;
                assert!(value.ends_with('▲'), "{value}");
            }
            ("true", false) => {
                down += 1;
                assert!(value.ends_with('▼'), "{value}");
            }
            _ => assert!(!value.contains('▲') && !value.contains('▼'), "{value}"),
        }
    }
    assert!(up >= 2 && down >= 2, "{up} up, {down} down");
    assert!(svg_text.contains("▲ ▼ significant hoger of lager dan het totaal op het 5%-niveau"));
    assert!(svg_text.contains("Totaal (alle respondenten)"));
}
