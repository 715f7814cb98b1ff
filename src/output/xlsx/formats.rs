//! The workbook's cell formats, and number formats that carry marks after the number.

use crate::present::mark;
use crate::stats::{Reliability, Statistic};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

/// A number format with a mark after the number (the cell stays numeric).
pub(super) fn with_mark(base: &str, mark: &str) -> String {
    if mark.is_empty() {
        base.to_string()
    } else {
        format!("{base}\"{mark}\"")
    }
}

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) header: Format,
    pub(super) group: Format,
    pub(super) label: Format,
    pub(super) count: Format,
    pub(super) base_label: Format,
    pub(super) suppressed: Format,
    pub(super) note: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_font_color(Color::RGB(0x555555)),
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border_bottom(FormatBorder::Thin),
            group: Format::new().set_bold().set_align(FormatAlign::Center),
            label: Format::new().set_text_wrap(),
            count: Format::new()
                .set_num_format("#,##0")
                .set_italic()
                .set_border_top(FormatBorder::Thin),
            base_label: Format::new()
                .set_italic()
                .set_border_top(FormatBorder::Thin),
            suppressed: Format::new()
                .set_align(FormatAlign::Right)
                .set_font_color(Color::RGB(0x808080)),
            note: Format::new().set_font_color(Color::RGB(0x555555)),
        }
    }

    /// The format of an estimate: grey for indicative, grey italic for unreliable, bold for a
    /// significant difference; the marks of the other outputs after the number.
    pub(super) fn estimate(
        statistic: Statistic,
        reliability: Reliability,
        significance: &str,
    ) -> Format {
        let base = match statistic {
            Statistic::Proportion => "0.0%",
            Statistic::Mean | Statistic::Quantile => "0.00",
            Statistic::Total => "#,##0",
        };
        let significant = !significance.is_empty();
        let mut marks = significance.replace('"', "");
        match reliability {
            Reliability::Indicative => marks.push_str(mark::INDICATIVE),
            Reliability::Unreliable => marks.push_str(mark::UNRELIABLE),
            _ => {}
        }
        let mut f = Format::new().set_num_format(with_mark(base, &marks));
        match reliability {
            Reliability::Indicative => f = f.set_font_color(Color::RGB(0x808080)),
            Reliability::Unreliable => f = f.set_font_color(Color::RGB(0x808080)).set_italic(),
            _ => {}
        }
        if significant {
            f = f.set_bold();
        }
        f
    }

    /// The format of an interval limit.
    pub(super) fn limit(statistic: Statistic, reliability: Reliability) -> Format {
        let base = match statistic {
            Statistic::Proportion => "0.0%",
            Statistic::Mean | Statistic::Quantile => "0.00",
            Statistic::Total => "#,##0",
        };
        let f = Format::new().set_num_format(base);
        match reliability {
            Reliability::Indicative | Reliability::Unreliable => {
                f.set_font_color(Color::RGB(0x808080))
            }
            _ => f,
        }
    }
}
