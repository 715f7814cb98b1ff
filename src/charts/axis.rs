//! The value axis of a chart.

/// The value axis: from `min` (0 for bars, which show length) to `max`, with labelled ticks.
pub struct Axis {
    pub min: f64,
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
            min: 0.0,
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
            min: 0.0,
            max,
            ticks: (0..=n).map(|i| step * i as f64).collect(),
            percent: true,
            decimal: ',',
        }
    }

    /// A round range around `lo`..`hi` (means in dot plots and trend lines: a dot or a line shows
    /// a position, not a length, so the axis need not start at 0, and differences of a tenth on
    /// a 1–10 scale stay visible), at most `floor`..`ceiling` (the question's scale).
    pub fn numbers_between(lo: f64, hi: f64, floor: f64, ceiling: f64) -> Axis {
        let (lo, hi) = (lo.max(floor), hi.min(ceiling));
        if !(hi > lo) {
            return Axis::numbers(if ceiling.is_finite() { ceiling } else { hi });
        }
        let raw = (hi - lo) / 4.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        // The tolerance keeps a value on a tick (6.8 = 34 × 0.2) from adding a step.
        let min = ((lo / step + 1e-9).floor() * step).max(floor.min(lo));
        let max = ((hi / step - 1e-9).ceil() * step).min(ceiling.max(hi));
        let n = ((max - min) / step).round() as usize;
        Axis {
            min,
            max,
            ticks: (0..=n).map(|i| min + step * i as f64).collect(),
            percent: false,
            decimal: ',',
        }
    }

    /// Where `v` lies between the ends of the axis (0 to 1, clamped).
    pub fn fraction(&self, v: f64) -> f64 {
        ((v - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
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
            min: 0.0,
            max,
            ticks: (0..=n).map(|i| step * i as f64).collect(),
            percent: false,
            decimal: ',',
        }
    }

    /// A tick label: whole numbers when every tick is whole, else one decimal for all ("7,0",
    /// "7,2"), so that the labels of one axis look alike.
    pub fn label(&self, v: f64) -> String {
        let whole = |t: f64| (t - t.round()).abs() < 1e-9;
        if self.percent {
            format!("{}%", v.round() as i64)
        } else if whole(v) && self.ticks.iter().all(|&t| whole(t)) {
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
    fn mean_axes_span_the_data_within_the_scale() {
        let a = Axis::numbers_between(6.8, 7.4, 1.0, 10.0);
        assert!(
            a.min <= 6.8 + 1e-9 && a.max >= 7.4 - 1e-9 && a.max - a.min <= 1.0,
            "{}–{}",
            a.min,
            a.max
        );
        assert_eq!(a.ticks.first(), Some(&a.min));
        assert!((a.fraction(a.max) - 1.0).abs() < 1e-12 && a.fraction(0.0) == 0.0);
        let b = Axis::numbers_between(0.5, 12.0, 1.0, 10.0);
        assert!(b.min >= 1.0 - 1e-9 && b.max <= 10.0 + 1e-9);
        assert_eq!(Axis::numbers_between(7.0, 7.0, 1.0, 10.0).max, 10.0);
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
