//! A synthetic Inwonersenquête, for the bundled samples and the benchmark.
//!
//! Respondents are drawn so that the *weighted* figures echo Utrecht's published results
//! (Inwonersenquête 2023): phone 65%, e-mail 43%, web form 37%; English-questionnaire respondents
//! prefer the counter (51% vs 15%), WhatsApp (24% vs 15%) and video calling (18% vs 1%); phone is
//! more popular with 55+, chat and WhatsApp with the young; 66% want information by e-mail and
//! 65-plussers prefer a letter. Older residents respond more often, so weights correct the age
//! mix towards the population. The generator has its own PRNG (SplitMix64), so a seed gives the
//! same bytes on every platform and version of its dependencies.

use std::io::Write;

/// The columns, in order (20). The last three come from the municipal register and the sample
/// design: sex and age as registered (complete, unlike the answers), and the design weight
/// (district population / planned district sample).
pub const HEADER: [&str; 20] = [
    "respondent",
    "leeftijd",
    "geslacht",
    "taal",
    "wijk",
    "weegfactor",
    "kan_telefoon",
    "kan_email",
    "kan_webformulier",
    "kan_balie",
    "kan_whatsapp",
    "kan_chat",
    "kan_video",
    "info",
    "tevredenheid",
    "cijfer_telefoon",
    "invuldatum",
    "geslacht_brp",
    "leeftijd_brp",
    "ontwerpgewicht",
];

/// The statements on the neighbourhood after the 20 columns (1 = helemaal mee eens …
/// 5 = helemaal mee oneens, 9 = weet niet): a battery, and the items of a scale score.
pub const STATEMENTS: [&str; 4] = ["st_schoon", "st_veilig", "st_contact", "st_voorzieningen"];

/// Small, fast, reproducible generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard normal (Box–Muller; one value per call keeps the stream simple).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// An index drawn with the given (unnormalised) probabilities.
    pub fn choose(&mut self, probs: &[f64]) -> usize {
        let total: f64 = probs.iter().sum();
        let mut u = self.uniform() * total;
        for (i, p) in probs.iter().enumerate() {
            if u < *p {
                return i;
            }
            u -= p;
        }
        probs.len() - 1
    }
}

/// Age groups 18-29, 30-44, 45-54, 55-64, 65+.
const AGE_BOUNDS: [(u32, u32); 5] = [(18, 29), (30, 44), (45, 54), (55, 64), (65, 94)];
/// Share of each age group among respondents (older residents respond more).
const SAMPLE_AGE: [f64; 5] = [0.17, 0.25, 0.17, 0.17, 0.24];
/// Share among adult residents (Utrecht is young); the weights restore it.
const POP_AGE: [f64; 5] = [0.30, 0.28, 0.14, 0.12, 0.16];
/// Share of respondents in each of the ten districts (wijken).
const WIJK: [f64; 10] = [0.08, 0.09, 0.10, 0.08, 0.09, 0.06, 0.07, 0.07, 0.26, 0.10];
/// Adult residents per district (Utrecht 2023, rounded): the design weights' numerators and
/// the bundled population margins (samples/bevolking-*.csv).
pub const WIJK_POPULATION: [f64; 10] = [
    22_400.0, 37_300.0, 28_000.0, 25_600.0, 31_300.0, 17_200.0, 28_400.0, 30_300.0, 36_200.0,
    34_700.0,
];
/// Probability of the English questionnaire by age group.
const ENGLISH: [f64; 5] = [0.14, 0.08, 0.03, 0.02, 0.01];

/// Channel preferences (select all) for Dutch respondents by age group, then English.
/// Order: telefoon, email, webformulier, balie, whatsapp, chat, video.
const CHANNEL_NL: [[f64; 7]; 5] = [
    [0.57, 0.43, 0.40, 0.12, 0.21, 0.19, 0.010],
    [0.63, 0.45, 0.40, 0.13, 0.16, 0.13, 0.010],
    [0.67, 0.44, 0.37, 0.15, 0.13, 0.09, 0.010],
    [0.75, 0.42, 0.33, 0.18, 0.10, 0.06, 0.008],
    [0.80, 0.38, 0.27, 0.22, 0.07, 0.04, 0.006],
];
const CHANNEL_EN: [f64; 7] = [0.45, 0.52, 0.40, 0.56, 0.27, 0.21, 0.17];

/// Preferred way to be informed (single choice): e-mail, brief, website, sociale media,
/// posters en digitale schermen, huis-aan-huisblad; by age group.
const INFO: [[f64; 6]; 5] = [
    [0.70, 0.03, 0.08, 0.10, 0.07, 0.02],
    [0.74, 0.05, 0.09, 0.07, 0.03, 0.02],
    [0.70, 0.10, 0.09, 0.05, 0.02, 0.04],
    [0.62, 0.18, 0.09, 0.04, 0.02, 0.05],
    [0.38, 0.42, 0.06, 0.02, 0.02, 0.10],
];

/// Year effects along the published trends (satisfaction with phone 7.5 in 2019, 7.6 in 2021,
/// 7.2 in 2023; digital channels growing).
fn year_shift(year: u32) -> (f64, f64, bool) {
    // (shift of digital channel shares, mean phone rating, chat/video asked)
    match year {
        ..=2019 => (-0.06, 7.5, false),
        2020..=2021 => (-0.03, 7.6, true),
        _ => (0.0, 7.2, true),
    }
}

fn decimal_comma(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

/// Write `rows` respondents as a `;`-separated file with decimal commas: the 20 columns of
/// [`HEADER`] and the [`STATEMENTS`] (the bundled samples, `enquete generate`).
pub fn write_sample(out: &mut dyn Write, rows: u64, seed: u64, year: u32) -> std::io::Result<()> {
    write_rows(out, rows, seed, year, true)
}

/// The same file without the statements: the 20 columns the benchmark's workloads were
/// measured on (`examples/benchmark.rs`).
pub fn write_sample_classic(
    out: &mut dyn Write,
    rows: u64,
    seed: u64,
    year: u32,
) -> std::io::Result<()> {
    write_rows(out, rows, seed, year, false)
}

fn write_rows(
    out: &mut dyn Write,
    rows: u64,
    seed: u64,
    year: u32,
    statements: bool,
) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    // The statements have a stream of their own: every other column is the same for a seed as
    // before they existed.
    let mut extra = Rng::new(seed ^ 0x5EED_5747_E3E4_7500);
    let (_, _, asked_new) = year_shift(year);
    let mut header: Vec<&str> = HEADER
        .iter()
        .copied()
        .filter(|h| asked_new || (*h != "kan_chat" && *h != "kan_video"))
        .collect();
    if statements {
        header.extend(STATEMENTS);
    }
    writeln!(out, "{}", header.join(";"))?;
    let mut line = String::with_capacity(128);
    for id in 1..=rows {
        line.clear();
        let g = rng.choose(&SAMPLE_AGE);
        let (lo, hi) = AGE_BOUNDS[g];
        let age = lo + (rng.uniform() * f64::from(hi - lo + 1)) as u32;
        let age_missing = rng.bernoulli(0.01);
        let english = rng.bernoulli(ENGLISH[g]);
        let wijk = rng.choose(&WIJK) + 1;
        let sex = if rng.bernoulli(0.01) {
            9
        } else {
            rng.choose(&[0.48, 0.50, 0.02]) + 1
        };
        // Weight: population share over sample share, times a little district-level noise.
        let noise = (0.12 * rng.normal()).exp();
        let weight = if age_missing {
            noise
        } else {
            POP_AGE[g] / SAMPLE_AGE[g] * noise
        };

        line.push_str(&id.to_string());
        line.push(';');
        line.push_str(&if age_missing {
            "999".to_string()
        } else {
            age.to_string()
        });
        line.push(';');
        line.push_str(&sex.to_string());
        line.push(';');
        line.push_str(if english { "EN" } else { "NL" });
        line.push(';');
        line.push_str(&wijk.to_string());
        line.push(';');
        line.push_str(&decimal_comma(weight, 4));

        push_answers(&mut line, &mut rng, g, english, year);
        // Register and design columns: derived without drawing, so the answers above are the
        // same for a seed as before these columns existed.
        let registered_sex = if sex <= 2 { sex } else { 1 + (id % 2) as usize };
        let design_weight = WIJK_POPULATION[wijk - 1] / (rows as f64 * WIJK[wijk - 1]);
        line.push_str(&format!(
            ";{registered_sex};{age};{}",
            decimal_comma(design_weight, 4)
        ));
        if statements {
            push_statements(&mut line, &mut extra, g, wijk, year);
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}

/// How residents of each district feel about their neighbourhood (higher: more positive), and
/// the statements' levels (schoon, veilig, contact, voorzieningen): most residents feel safe,
/// fewer find the neighbourhood clean.
const DISTRICT_MOOD: [f64; 10] = [0.1, -0.1, -0.6, 0.2, 0.3, 0.2, 0.0, -0.3, 0.4, 0.5];
const STATEMENT_LEVEL: [f64; 4] = [2.5, 2.0, 2.3, 2.2];

/// One respondent's answers to the [`STATEMENTS`]: one attitude behind all four (so they form a
/// scale), by district and age; 4% "weet niet" (9) and 1% unanswered per statement.
fn push_statements(line: &mut String, rng: &mut Rng, g: usize, wijk: usize, year: u32) {
    let trend = if year >= 2023 { 0.0 } else { 0.1 };
    let mood = DISTRICT_MOOD[wijk - 1] + 0.15 * g as f64 - 0.3 + trend + 0.7 * rng.normal();
    for level in STATEMENT_LEVEL {
        let code = (level - mood + 0.75 * rng.normal()).round().clamp(1.0, 5.0) as u32;
        let u = rng.uniform();
        line.push(';');
        if u < 0.04 {
            line.push('9');
        } else if u >= 0.05 {
            line.push_str(&code.to_string());
        }
    }
}

/// The answers of one respondent (channels, information preference, ratings, interview date),
/// appended to `line`. The draws are made in a fixed order: a seed gives the same file as ever.
fn push_answers(line: &mut String, rng: &mut Rng, g: usize, english: bool, year: u32) {
    let (digital, phone_mean, asked_new) = year_shift(year);
    // Channels: about 2% leave the question unanswered.
    let skip_channels = rng.bernoulli(0.02);
    let probs = if english { CHANNEL_EN } else { CHANNEL_NL[g] };
    for (k, p) in probs.iter().enumerate() {
        let p = if (1..=2).contains(&k) || k >= 4 {
            (p + digital).clamp(0.0, 1.0)
        } else {
            *p
        };
        let chosen = rng.bernoulli(p);
        if !asked_new && k >= 5 {
            continue;
        }
        line.push(';');
        if !skip_channels {
            line.push(if chosen { '1' } else { '0' });
        }
    }
    // Information preference, with "weet niet" (99) for about 3%.
    let info = rng.choose(&INFO[g]) + 1;
    line.push(';');
    line.push_str(&if rng.bernoulli(0.03) {
        "99".to_string()
    } else {
        info.to_string()
    });
    // Overall satisfaction (1-10), about 5% unanswered.
    let sat = (7.1 + 1.3 * rng.normal()).round().clamp(1.0, 10.0);
    line.push(';');
    if !rng.bernoulli(0.05) {
        line.push_str(&(sat as u32).to_string());
    }
    // Rating of the phone contact, only from respondents who called (about 40%).
    let phone = (phone_mean + 1.4 * rng.normal()).round().clamp(1.0, 10.0);
    line.push(';');
    if rng.bernoulli(0.4) {
        line.push_str(&(phone as u32).to_string());
    }
    let day = 1 + (rng.uniform() * 28.0) as u32;
    let month = 9 + rng.choose(&[0.6, 0.4]) as u32;
    line.push_str(&format!(";{year}-{month:02}-{day:02}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_sample(&mut a, 200, 7, 2023).unwrap();
        write_sample(&mut b, 200, 7, 2023).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert_eq!(text.lines().count(), 201);
        assert!(text.lines().all(|l| l.split(';').count() == 24));
    }

    #[test]
    fn the_statements_leave_every_other_column_as_it_was() {
        let (mut with, mut without) = (Vec::new(), Vec::new());
        write_sample(&mut with, 300, 11, 2023).unwrap();
        write_sample_classic(&mut without, 300, 11, 2023).unwrap();
        let (with, without) = (
            String::from_utf8(with).unwrap(),
            String::from_utf8(without).unwrap(),
        );
        for (a, b) in with.lines().zip(without.lines()) {
            let cut: Vec<&str> = a.split(';').collect();
            assert_eq!(cut[..20].join(";"), b);
        }
    }

    #[test]
    fn year_2019_lacks_chat_and_video() {
        let mut a = Vec::new();
        write_sample(&mut a, 10, 1, 2019).unwrap();
        let text = String::from_utf8(a).unwrap();
        assert!(!text.lines().next().unwrap().contains("kan_chat"));
        assert!(text.lines().all(|l| l.split(';').count() == 22));
    }
}
