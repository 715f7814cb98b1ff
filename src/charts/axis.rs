//! The value axis of a bar chart.

/// The value axis: from 0 to `max`, with labelled ticks.
pub struct Axis {
    pub max: f64,
    pub ticks: Vec<f64>,
    /// Percentages ("40%") or numbers ("7,1").
    pub percent: bool,
    /// The decimal mark of number labels (the report's language).
    pub decimal: char,
}

impl Axis {
    /// 0–100% in steps of 20.
    pub fn percent() -> Axis {
        Axis {
            max: 100.0,
            ticks: (0..=5).map(|i| 20.0 * i as f64).collect(),
            percent: true,
            decimal: ',',
        }
    }

    /// 0% to a round percentage at or above `top` (a dot plot needs no room up to 100%): steps
    /// of 2, 5, 10 or 20 points, at most five of them.
    pub fn percent_upto(top: f64) -> Axis {
        let top = top.clamp(1.0, 100.0);
        let step = [2.0, 5.0, 10.0, 20.0]
            .into_iter()
            .find(|s| top / s <= 5.0 + 1e-9)
            .unwrap_or(20.0);
        let max = ((top / step - 1e-9).ceil() * step).min(100.0);
        let n = (max / step).round() as usize;
        Axis {
            max,
            ticks: (0..=n).map(|i| step * i as f64).collect(),
            percent: true,
            decimal: ',',
        }
    }

    /// The same axis with another decimal mark.
    pub fn with_decimal(mut self, decimal: char) -> Axis {
        self.decimal = decimal;
        self
    }

    /// 0 to a round number at or above `top` (e.g. 10 for ratings).
    pub fn numbers(top: f64) -> Axis {
        let top = if top > 0.0 { top } else { 1.0 };
        let raw = top / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let max = (top / step).ceil() * step;
        let n = (max / step).round() as usize;
        Axis {
            max,
            ticks: (0..=n).map(|i| step * i as f64).collect(),
            percent: false,
            decimal: ',',
        }
    }

    pub fn label(&self, v: f64) -> String {
        if self.percent {
            format!("{}%", v.round() as i64)
        } else if (v - v.round()).abs() < 1e-9 {
            format!("{}", v.round() as i64)
        } else {
            format!("{v:.1}").replace('.', &self.decimal.to_string())
        }
    }

    /// A bar's value label: whole percentages, or one decimal with a comma.
    pub fn value_label(&self, v: f64) -> String {
        if self.percent {
            format!("{}%", v.round() as i64)
        } else {
            format!("{v:.1}").replace('.', &self.decimal.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_labels() {
        assert_eq!(Axis::percent().label(40.0), "40%");
        assert_eq!(Axis::percent().value_label(39.6), "40%");
    }

    #[test]
    fn percent_axes_end_just_above_the_data() {
        let a = Axis::percent_upto(72.4);
        assert_eq!((a.max, a.ticks.len()), (80.0, 5));
        assert_eq!(Axis::percent_upto(8.0).max, 8.0);
        assert_eq!(Axis::percent_upto(30.0).ticks, vec![0.0, 10.0, 20.0, 30.0]);
        assert_eq!(Axis::percent_upto(100.0).max, 100.0);
        assert_eq!(Axis::percent_upto(0.0).max, 2.0);
    }

    #[test]
    fn number_axes_end_on_round_values() {
        let a = Axis::numbers(10.0);
        assert_eq!(a.max, 10.0);
        assert_eq!(a.ticks, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(a.value_label(7.126), "7,1");
        let b = Axis::numbers(7.3);
        assert_eq!(b.max, 8.0);
        assert_eq!(b.with_decimal('.').value_label(7.126), "7.1");
    }
}
