//! Guessing how a text file is written: the delimiter (counted outside quoted fields, so that a
//! free-text answer such as `"goed; snel"` does not count) and the decimal mark.

/// Delimiters tried, in order of preference when two fit equally well.
const CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];

/// How many records (not lines: a quoted field may hold a line break) are compared.
const RECORDS: usize = 30;

/// Delimiters outside quoted fields in each record of `head`, for one candidate delimiter.
/// Quoting follows RFC 4180: a field that starts with `"` runs to the next lone `"` (a doubled
/// `""` is a quote inside it) and may hold delimiters and line breaks. When `complete` is false,
/// `head` is a cut-off start of the file and its last, possibly partial, record is dropped.
fn counts_per_record(head: &str, delimiter: u8, complete: bool) -> Vec<usize> {
    let bytes = head.as_bytes();
    let mut counts = Vec::new();
    let mut count = 0usize;
    let mut at_field_start = true;
    let mut in_quotes = false;
    let mut record_has_content = false;
    let mut i = 0;
    while i < bytes.len() && counts.len() < RECORDS {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            at_field_start = false;
            record_has_content = true;
        } else if b == delimiter {
            count += 1;
            at_field_start = true;
            record_has_content = true;
        } else if b == b'\n' || b == b'\r' {
            // Blank lines are not records (the CSV reader skips them too).
            if record_has_content {
                counts.push(count);
            }
            count = 0;
            at_field_start = true;
            record_has_content = false;
        } else {
            // Spaces before an opening quote are not content that unquotes the field.
            if !(b == b' ' && at_field_start) {
                at_field_start = false;
            }
            record_has_content = true;
        }
        i += 1;
    }
    if record_has_content && complete && counts.len() < RECORDS {
        counts.push(count);
    }
    counts
}

/// The delimiter whose count outside quotes is the same on the header and the records that
/// follow. When no candidate is the same on every record (a damaged row), the one that agrees
/// with the header on most records wins; more fields win a tie. A single column gives `,`.
///
/// `complete` says whether `head` is the whole file (else its last record may be cut off).
pub fn detect_delimiter(head: &str, complete: bool) -> u8 {
    let mut best: Option<(usize, usize, u8)> = None; // (records agreeing, fields, delimiter)
    for d in CANDIDATES {
        let counts = counts_per_record(head, d, complete);
        let Some(&header) = counts.first() else {
            continue;
        };
        if header == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == header).count();
        let better = match best {
            None => true,
            Some((a, f, _)) => agreeing > a || (agreeing == a && header > f),
        };
        if better {
            best = Some((agreeing, header, d));
        }
    }
    best.map_or(b',', |(_, _, d)| d)
}

/// A delimiter as written in a codebook or on the command line: `\t` for tab.
pub fn shown(delimiter: u8) -> String {
    if delimiter == b'\t' {
        "\\t".to_string()
    } else {
        (delimiter as char).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_delimiter_from_consistent_counts() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n", true), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n", true), b',');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n", true), b'\t');
        assert_eq!(detect_delimiter("a|b\n1|2\n", true), b'|');
        assert_eq!(detect_delimiter("single\n1\n2\n", true), b',');
    }

    #[test]
    fn delimiters_inside_quotes_do_not_count() {
        let head = "respnr;geslacht;opmerking;weging\n\
                    1;1;\"goed; snel\";0,5\n\
                    2;2;\"slecht;; traag, \"\"echt\"\"\";1,25\n\
                    3;1;;1\n\
                    4;2;\"over twee\nregels; ja\";0,75\n";
        assert_eq!(detect_delimiter(head, true), b';');
        assert_eq!(counts_per_record(head, b';', true), vec![3, 3, 3, 3, 3]);
        let commas = "id,comment,score\n1,\"a, b; c\",2\n2,\"x;y\",3\n";
        assert_eq!(detect_delimiter(commas, true), b',');
    }

    #[test]
    fn a_damaged_row_does_not_hide_the_delimiter() {
        let head = "a;b;c\n1;2;3\n4;5\n6;7;8\n9;1;2\n";
        assert_eq!(detect_delimiter(head, true), b';');
    }

    #[test]
    fn a_cut_off_last_record_is_ignored() {
        let head = "a;b;c\n1;2;3\n4;\"open";
        assert_eq!(counts_per_record(head, b';', false), vec![2, 2]);
        assert_eq!(detect_delimiter(head, false), b';');
    }
}
