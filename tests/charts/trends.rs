//! Trend charts: a line per group, significant changes filled.

use super::*;

#[test]
fn trend_charts_draw_a_line_per_group_with_significant_changes_filled() {
    let wd = Workdir::new();
    let mut project = String::from("title = \"Trend\"\ncodebook = \"codebook.toml\"\n");
    for (year, rows) in [(2019, "1500"), (2021, "1800"), (2023, "2000")] {
        let (y, file) = (year.to_string(), format!("{year}.csv"));
        wd.run(&[
            "generate", "--rows", rows, "--seed", &y, "--year", &y, "--out", &file,
        ])
        .expect_code(0);
        project.push_str(&format!("[[survey]]\nyear = {year}\ndata = \"{file}\"\n"));
    }
    wd.write("project.toml", project);
    wd.write("codebook.toml", wijk_codebook());
    wd.run(&["batch", "project.toml", "--out", "res"])
        .expect_code(0);
    let trends = read_csv(&wd.path("res/trends.csv"));
    let read =
        |stem: &str| std::fs::read_to_string(wd.path(&format!("res/charts/{stem}.svg"))).unwrap();
    let svg_text = read("kanaal-leeftijdsgroep-trend");
    let grid = PanelGrid::new(&svg_text);
    assert_eq!(grid.titles.len(), 7, "a panel per answer");
    let all_texts = texts(&svg_text);
    let lines = svg::polylines(&svg_text);
    let circles = svg::circles(&svg_text);
    let groups = ["18-29", "30-44", "45-54", "55-64", "65+"];
    let mut colours = Vec::new();
    let mut filled_total = 0;
    for group in groups {
        // The legend: the group's label, right of a line in its colour.
        let label = all_texts
            .iter()
            .find(|t| t.text == group && t.size == 25.0)
            .unwrap();
        let swatch = lines
            .iter()
            .filter(|l| l.width == 3.0 && l.points.len() == 2 && l.points[0].1 == l.points[1].1)
            .filter(|l| (l.points[0].1 - label.mid()).abs() < 2.0 && l.points[1].0 < label.x)
            .max_by(|a, b| a.points[1].0.total_cmp(&b.points[1].0))
            .unwrap();
        let colour = swatch.stroke.clone();
        assert!(
            !colours.contains(&colour),
            "{group}: colour {colour} repeats"
        );
        colours.push(colour.clone());
        for (title, _, _) in &grid.titles {
            let mut rows: Vec<_> = trends
                .iter()
                .filter(|r| {
                    r["table"] == "kanaal"
                        && r["by"] == "leeftijdsgroep"
                        && r["group_label"] == group
                        && r["category_label"] == *title
                })
                .collect();
            rows.sort_by_key(|r| r["year"].clone());
            let drawable: Vec<bool> = rows
                .iter()
                .map(|r| {
                    r["estimate"].parse::<f64>().is_ok_and(f64::is_finite)
                        && r["reliability"] != "suppress"
                })
                .collect();
            let want: Vec<(String, bool)> = rows
                .iter()
                .zip(&drawable)
                .filter(|(_, d)| **d)
                .map(|(r, _)| (r["year"].clone(), r["change_significant"] == "true"))
                .collect();
            let in_panel = |x: f64, y: f64| grid.of(x, y) == Some(title.as_str());
            let mut markers: Vec<&svg::SvgCircle> = circles
                .iter()
                .filter(|c| in_panel(c.cx, c.cy))
                .filter(|c| {
                    (c.r == 7.0 && c.fill == colour)
                        || (c.r == 6.0 && c.stroke == colour && c.fill == "none")
                })
                .collect();
            markers.sort_by(|a, b| a.cx.total_cmp(&b.cx));
            let year_at = |x: f64| {
                all_texts
                    .iter()
                    .filter(|t| t.text.starts_with("20") && t.size == 23.0 && in_panel(t.x, t.y))
                    .min_by(|a, b| (a.x - x).abs().total_cmp(&(b.x - x).abs()))
                    .map(|t| t.text.clone())
                    .unwrap()
            };
            let got: Vec<(String, bool)> = markers
                .iter()
                .map(|m| (year_at(m.cx), m.r == 7.0))
                .collect();
            assert_eq!(got, want, "{title}, {group}: markers (year, filled)");
            filled_total += got.iter().filter(|(_, f)| *f).count();
            // Segments join consecutive years that both have a figure: a missing year breaks the line.
            let segments = lines
                .iter()
                .filter(|l| l.stroke == colour && l.width == 3.0 && l.points.len() == 2)
                .filter(|l| in_panel(l.points[0].0, l.points[0].1))
                .count();
            let pairs = drawable.windows(2).filter(|w| w[0] && w[1]).count();
            assert_eq!(segments, pairs, "{title}, {group}: segments");
        }
    }
    assert!(filled_total > 0, "some changes are significant");
    assert!(svg_text.contains("Gevuld punt: de verandering ten opzichte van de vorige meting is significant op het 5%-niveau"));
    // Many groups: a dot plot with a row per district and a dot per year.
    let dots = read("kanaal-wijk-trend");
    let panels = dot_panels(&dots);
    assert_eq!(panels.len(), 7);
    assert!(panels.iter().all(|p| p.labels.len() == 10), "{panels:?}");
    assert_no_english_words(&wd.path("res/charts"));
}
