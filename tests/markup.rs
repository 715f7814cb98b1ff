//! The accessibility of the HTML pages by construction, checked without a browser: the report's
//! and the batch's `index.html` are scanned for what WCAG 2.1 AA asks of their markup (landmarks,
//! a skip link, table captions and header scopes, labelled keyboard-scrollable regions, text
//! alternatives that carry the figures, contrast of every colour in the style sheet, the page's
//! language). The full audit (axe-core in Chromium at 1280 and 390 px) is `tools/a11y/run.sh`;
//! see docs/accessibility.md. This test catches a writer that regresses the markup.

mod common;

use common::{repo, Workdir};
use std::collections::HashSet;
use std::path::Path;

/// One start tag: its name and attributes (values unescaped only for `&quot;` and `&amp;`).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// Byte offset of the tag in the page.
    at: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The start tags of a page, in order (comments, end tags and the style sheet's text skipped).
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let end = match html[start..].find('>') {
            Some(e) => start + e,
            None => break,
        };
        i = end + 1;
        if !b.get(start + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let inner = &html[start + 1..end];
        let name_end = inner
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut rest = &inner[name_end..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            let key_end = rest
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            let key = rest[..key_end].to_ascii_lowercase();
            rest = &rest[key_end..];
            let value = if let Some(r) = rest.strip_prefix("=\"") {
                let close = r.find('"').expect("attribute value closed");
                let v = &r[..close];
                rest = &r[close + 1..];
                v.replace("&quot;", "\"").replace("&amp;", "&")
            } else {
                String::new()
            };
            attrs.push((key, value));
        }
        out.push(Tag {
            name,
            attrs,
            at: start,
        });
    }
    out
}

/// The text between a start tag at `at` and its matching end tag (no nesting of the same
/// element is expected where this is used: th, caption, summary, title, desc).
fn content<'a>(html: &'a str, at: usize, name: &str) -> &'a str {
    let open_end = at + html[at..].find('>').unwrap() + 1;
    let close = html[open_end..]
        .find(&format!("</{name}>"))
        .unwrap_or_else(|| panic!("<{name}> at {at} is not closed"));
    &html[open_end..open_end + close]
}

/// Text without tags (and with the entities this project writes).
fn text_of(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// WCAG's contrast ratio of a hex colour against white.
fn contrast_on_white(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    let full: String = if h.len() == 3 {
        h.chars().flat_map(|c| [c, c]).collect()
    } else {
        h.to_string()
    };
    let ch = |i: usize| {
        let v = u8::from_str_radix(&full[i..i + 2], 16).unwrap() as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * ch(0) + 0.7152 * ch(2) + 0.0722 * ch(4);
    1.05 / (l + 0.05)
}

/// Every check on one page; `lang` is the language the page must declare, `charts` whether it
/// shows charts (images), `folder` where its relative links point.
fn check_page(path: &Path, lang: &str, charts: bool) {
    let html = std::fs::read_to_string(path).unwrap();
    let page = path.display();
    let all = tags(&html);
    let named = |n: &'static str| all.iter().filter(move |t| t.name == n);
    let folder = path.parent().unwrap();

    // The language of the words.
    let root = named("html").next().expect("an <html> element");
    assert_eq!(root.attr("lang"), Some(lang), "{page}: <html lang>");

    // Landmarks and the skip link (the first link of the page, to the main content).
    assert_eq!(named("main").count(), 1, "{page}: one <main>");
    let main_id = named("main").next().unwrap().attr("id").expect("main id");
    let first_link = named("a").next().expect("a link");
    assert_eq!(
        first_link.attr("href"),
        Some(format!("#{main_id}").as_str()),
        "{page}: the first link skips to the main content"
    );
    assert!(
        named("nav").all(|n| n.attr("aria-label").is_some()),
        "{page}: nav label"
    );
    assert!(named("h1").count() == 1, "{page}: one h1");

    // Ids are unique; every in-page link and every aria reference points at one.
    let mut ids = HashSet::new();
    for t in &all {
        if let Some(id) = t.attr("id") {
            assert!(ids.insert(id.to_string()), "{page}: id '{id}' twice");
        }
    }
    for t in &all {
        for key in ["aria-labelledby", "aria-describedby", "headers"] {
            for id in t.attr(key).unwrap_or("").split_whitespace() {
                assert!(ids.contains(id), "{page}: {key}='{id}' names no element");
            }
        }
        if let Some(target) = t.attr("href").and_then(|h| h.strip_prefix('#')) {
            assert!(
                ids.contains(target),
                "{page}: link to #{target} goes nowhere"
            );
        }
        if let Some(href) = t.attr("href").filter(|h| !h.starts_with('#')) {
            assert!(
                folder.join(href).exists(),
                "{page}: link to {href} points at no file"
            );
        }
    }

    // Tables: a caption first, header cells with a scope and words, no empty header cell.
    for t in named("table") {
        let after = &html[t.at..];
        let open_end = after.find('>').unwrap() + 1;
        assert!(
            after[open_end..].starts_with("<caption"),
            "{page}: table at byte {} has no caption",
            t.at
        );
    }
    for th in named("th") {
        let scope = th.attr("scope");
        assert!(
            matches!(scope, Some("col" | "row" | "colgroup" | "rowgroup")),
            "{page}: <th> at byte {} without scope",
            th.at
        );
        let words = text_of(content(&html, th.at, "th"));
        assert!(
            !words.trim().is_empty(),
            "{page}: empty <th> at byte {}",
            th.at
        );
    }
    for c in named("caption") {
        assert!(
            text_of(content(&html, c.at, "caption")).trim().len() >= 3,
            "{page}: empty caption"
        );
    }

    // Scrolling regions can be reached and are named.
    for d in named("div").filter(|d| d.attr("class").is_some_and(|c| c.contains("wide"))) {
        assert_eq!(
            d.attr("tabindex"),
            Some("0"),
            "{page}: region not focusable"
        );
        assert_eq!(d.attr("role"), Some("region"), "{page}: region role");
        assert!(
            d.attr("aria-labelledby").is_some() || d.attr("aria-label").is_some(),
            "{page}: region without a name"
        );
    }

    // Images: a text alternative that is not the file name and carries words and figures; the
    // SVG it shows has a title and a description.
    let images: Vec<&Tag> = named("img").collect();
    assert_eq!(!images.is_empty(), charts, "{page}: charts shown or not");
    for img in &images {
        let src = img.attr("src").expect("img src");
        let alt = img.attr("alt").expect("img alt");
        let stem = Path::new(src).file_stem().unwrap().to_string_lossy();
        assert!(
            alt.chars().count() >= 20 && !alt.contains(&*stem),
            "{page}: alt of {src} is '{alt}'"
        );
        assert!(
            alt.chars().any(|c| c.is_ascii_digit()) || img.attr("aria-describedby").is_some(),
            "{page}: alt of {src} carries no figures and points at none: '{alt}'"
        );
        if src.ends_with(".svg") {
            let svg = std::fs::read_to_string(folder.join(src)).unwrap();
            let head = &svg[..svg.find("</title>").unwrap_or(0)];
            assert!(
                head.contains("<title") && svg.contains("<desc"),
                "{page}: {src} has no <title>/<desc>"
            );
        }
    }

    // Marks have words for a screen reader: in the tables' cells, every glyph of a mark sits in
    // an aria-hidden span followed by visually hidden words.
    for td in named("td") {
        let inner = content(&html, td.at, "td");
        for glyph in ['▲', '▼', '†', '‡', '*'] {
            let shown = text_of(inner).matches(glyph).count();
            let hidden = inner
                .matches(&format!("<span aria-hidden=\"true\">{glyph}"))
                .count();
            let worded = inner.matches("<span class=\"sr\">").count();
            assert!(
                shown == hidden && (shown == 0 || worded >= shown),
                "{page}: a cell shows {glyph} without words for a screen reader: {inner}"
            );
        }
    }

    // Every text colour in the style sheet is at least 4.5:1 on white (the page's background).
    let style = content(&html, named("style").next().expect("style").at, "style");
    for (at, _) in style.match_indices("color:#") {
        let before = &style[..at];
        if before.ends_with("background-") || before.ends_with("border-") {
            continue;
        }
        let hex: String = style[at + 7..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let ratio = contrast_on_white(&hex);
        assert!(
            ratio >= 4.5,
            "{page}: color #{hex} is {ratio:.2}:1 on white"
        );
    }
}

/// Words of the tool's Dutch vocabulary and of the sample's Dutch labels that an English page
/// must not show once its labels are translated.
const DUTCH: [&str; 8] = [
    "Totaal",
    "Leeftijdsgroep",
    "Vrouw",
    "Taal van de vragenlijst",
    "Telefoon",
    "Weging",
    "respondenten",
    "Verantwoording",
];

fn report(w: &Workdir, codebook: &str, out: &str, extra: &[&str]) -> std::path::PathBuf {
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let codebook = repo().join(codebook);
    let mut args = vec![
        "report",
        data.to_str().unwrap(),
        "--codebook",
        codebook.to_str().unwrap(),
        "--out",
        out,
        "--no-progress",
    ];
    args.extend(extra);
    w.run(&args).expect_code(0);
    w.path(out).join("index.html")
}

#[test]
fn report_pages_are_accessible_by_construction() {
    let w = Workdir::new();
    check_page(&report(&w, "samples/codebook.toml", "nl", &[]), "nl", true);
    let en = report(&w, "samples/codebook.toml", "en", &["--language", "en"]);
    check_page(&en, "en", true);
    let page = std::fs::read_to_string(&en).unwrap();
    let body = text_of(&page[page.find("<body").unwrap()..]);
    for word in DUTCH {
        assert!(
            !body.contains(word),
            "English page shows the Dutch '{word}'"
        );
    }
    let bureau = report(&w, "samples/codebook-bureau.toml", "bureau", &["--letters"]);
    check_page(&bureau, "nl", true);
    let bare = report(&w, "samples/codebook.toml", "bare", &["--no-charts"]);
    check_page(&bare, "nl", false);
}

#[test]
fn batch_pages_are_accessible_by_construction() {
    let w = Workdir::new();
    let project = repo().join("samples/project.toml");
    w.run(&[
        "batch",
        project.to_str().unwrap(),
        "--out",
        "b",
        "--no-progress",
    ])
    .expect_code(0);
    check_page(&w.path("b").join("index.html"), "nl", false);
    check_page(&w.path("b").join("2023").join("index.html"), "nl", true);
}

#[test]
fn the_scanner_finds_what_it_checks() {
    // The checks above fail on the markup they are meant to catch.
    let t = tags("<p><img src=\"charts/a.svg\" alt=\"a\"><th>x</th><div class=\"wide\">");
    assert_eq!(t.len(), 4);
    assert_eq!(t[1].attr("alt"), Some("a"));
    assert_eq!(t[2].attr("scope"), None);
    assert!((contrast_on_white("#777") - 4.48).abs() < 0.01);
    assert!(contrast_on_white("#595959") >= 7.0);
    assert_eq!(text_of("<b>a</b>&lt;b"), "a<b");
}
