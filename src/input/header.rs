//! Column names from a header as a file gives them. A blank name or a name used twice cannot be
//! referred to by a codebook, so such columns get a name from their position; readers report
//! the renaming and codebook drafts use the same names, so a draft always fits its file.

/// The name given to a blank header cell in column `position` (1-based).
pub fn blank_name(position: usize) -> String {
    format!("column_{position}")
}

/// Usable names for raw header cells (trimmed): a blank cell becomes `column_<k>`, the second
/// and later uses of a name `<name>_<k>` (k the 1-based column position). Returns the names and,
/// for every renamed column, a sentence saying so.
pub fn column_names(raw: &[String]) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::with_capacity(raw.len());
    // The names taken so far: an SPSS file may have thousands of columns.
    let mut taken: std::collections::HashSet<String> =
        std::collections::HashSet::with_capacity(raw.len());
    let mut notes = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let k = i + 1;
        let trimmed = r.trim();
        let mut name = if trimmed.is_empty() {
            notes.push(format!(
                "column {k} has no name in the header; it is called '{}'",
                blank_name(k)
            ));
            blank_name(k)
        } else {
            trimmed.to_string()
        };
        if taken.contains(&name) {
            let renamed = format!("{name}_{k}");
            // Notes go to the terminal: a name's control characters are shown escaped.
            let shown = crate::text::escape::terminal;
            notes.push(format!(
                "column {k} repeats the name '{}'; it is called '{}'",
                shown(&name),
                shown(&renamed)
            ));
            name = renamed;
        }
        // A generated name may itself clash with a later real name; keep it unique.
        while taken.contains(&name) {
            name.push('_');
        }
        taken.insert(name.clone());
        names.push(name);
    }
    (names, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_repeated_names_get_their_position() {
        let raw: Vec<String> = ["id", " ", "q", "q", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (names, notes) = column_names(&raw);
        assert_eq!(names, ["id", "column_2", "q", "q_4", "column_5"]);
        assert_eq!(notes.len(), 3);
    }
}
