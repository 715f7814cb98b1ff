//! What every HTML page of enquete shares, built to meet WCAG 2.1 AA as written: the skeleton
//! (language, skip link, header, a labelled navigation that wraps, one `main`), the style sheet
//! (every text colour at least 4.5:1 on white; reflow down to 320 px: wide tables and charts
//! scroll inside their own focusable, named regions, never the page), escaping, and marks that
//! show a glyph to the eye and say words to a screen reader.

use crate::present::Vocabulary;
use std::io::Write;

/// Text as HTML text or attribute value.
pub fn esc(s: &str) -> String {
    crate::text::escape::xml(s)
}

/// Colours: text #1a1a1a (17:1), secondary text #555 (7.5:1), marks of reliability #595959
/// (7:1): all above 4.5:1 on white, also at 12 px.
const STYLE: &str = "body{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;max-width:1200px;margin:0 auto;padding:0 1em 2em;color:#1a1a1a;line-height:1.4}\
.skip{position:absolute;left:-10000px}.skip:focus{position:static;display:inline-block;margin:.5em 0;padding:.25em .5em;outline:2px solid #1a1a1a}\
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}\
nav ul{list-style:none;margin:.5em 0 1em;padding:0;display:flex;flex-wrap:wrap;gap:.25em 1.25em}\
h1{font-size:1.8em;margin:.8em 0 .3em}h2{margin-top:1.6em}\
div.wide{overflow-x:auto;margin:1em 0;position:relative}div.wide:focus{outline:2px solid #1a1a1a;outline-offset:2px}\
table{border-collapse:collapse;font-size:14px}caption{text-align:left;font-weight:bold;padding:0 0 .4em;max-width:90vw}\
caption .sub{display:block;font-weight:normal;color:#555;font-size:13px}\
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}\
th[scope=row],td.text,th.text{text-align:left;font-weight:normal}thead th{border-bottom:2px solid #555;white-space:nowrap}\
thead th[scope=colgroup]{border-bottom:1px solid #999;text-align:center;font-weight:normal;color:#555}\
td .v{white-space:nowrap}td .ci{display:block;white-space:nowrap;font-size:12px;color:#555}\
td.flag,td.sup{color:#595959}tr.base th,tr.base td{font-style:italic}\
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:13px;color:#555}\
p.method,ul.legend{color:#555;font-size:13px}ul.legend{padding-left:1.2em}\
@media (max-width:800px){figure div.wide img{max-width:none;width:800px}}";

/// The top of a page: `<html lang>`, head, skip link, the header with the title and an
/// introduction, the navigation (`links`: in-page or relative targets with their words), and
/// the opening of `main`.
pub fn open(
    out: &mut dyn Write,
    v: &Vocabulary,
    title: &str,
    intro: &[String],
    links: &[(String, String)],
) -> std::io::Result<()> {
    let title = esc(title);
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        v.lang.tag()
    )?;
    writeln!(
        out,
        "<title>{title}</title><style>{STYLE}</style></head><body>"
    )?;
    writeln!(
        out,
        "<a class=\"skip\" href=\"#main\">{}</a>\n<header><h1>{title}</h1>",
        v.skip_to_content()
    )?;
    for p in intro {
        writeln!(out, "<p>{}</p>", esc(p))?;
    }
    writeln!(out, "</header>")?;
    if !links.is_empty() {
        write!(out, "<nav aria-label=\"{}\"><ul>", v.contents_label())?;
        for (href, words) in links {
            write!(out, "<li><a href=\"{}\">{}</a></li>", esc(href), esc(words))?;
        }
        writeln!(out, "</ul></nav>")?;
    }
    writeln!(out, "<main id=\"main\">")
}

/// The end of a page.
pub fn close(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "</main>\n</body></html>")
}

/// A mark as HTML: the glyph for the eye, the words for a screen reader.
pub fn mark(glyph: &str, words: &str) -> String {
    if glyph.is_empty() {
        return String::new();
    }
    format!(
        "<span aria-hidden=\"true\">{}</span><span class=\"sr\"> ({})</span>",
        esc(glyph),
        esc(words)
    )
}

/// The opening of a region that scrolls sideways on a narrow screen: focusable (keyboard
/// users can scroll it) and named after the element `labelled_by`.
pub fn region(labelled_by: &str) -> String {
    format!("<div class=\"wide\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{labelled_by}\">")
}
