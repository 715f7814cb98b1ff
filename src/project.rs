//! The project file of a batch run: the yearly surveys and their codebooks.
//!
//! ```toml
//! title = "Inwonersenquête Utrecht"
//! codebook = "codebook.toml"        # default for every survey; relative to the project file
//!
//! [[survey]]
//! year = 2019
//! data = "data/2019.csv"
//! # codebook = "codebook-2019.toml" # optional override for one year
//! # population = "bevolking-2019.csv" # optional: this year's population for [weighting]
//! # invited = "uitgenodigd-2019.csv"   # optional: this year's gross sample for [response]
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What can be wrong with a project file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectError {
    /// TOML syntax or shape, with the parser's position.
    #[error("{0}")]
    Syntax(String),
    #[error("no [[survey]] entries: list each year's data file")]
    NoSurveys,
    #[error("[[survey]] year {0} is listed twice")]
    DuplicateYear(u32),
    #[error(
        "[[survey]] year {0}: no codebook (set codebook = \"...\" at the top or for this year)"
    )]
    NoCodebook(u32),
}

/// A project file that cannot be read, or whose text is invalid: the file, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Invalid { path: PathBuf, source: ProjectError },
}

#[derive(Debug, Clone)]
pub struct Project {
    pub title: String,
    pub surveys: Vec<Survey>,
}

#[derive(Debug, Clone)]
pub struct Survey {
    pub year: u32,
    /// Resolved against the project file's folder.
    pub data: PathBuf,
    pub codebook: PathBuf,
    /// The year's own population file for `[weighting]` (instead of the codebook's).
    pub population: Option<PathBuf>,
    /// The year's own gross sample for `[response]` (instead of the codebook's).
    pub invited: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    title: Option<String>,
    codebook: Option<String>,
    #[serde(default)]
    survey: Vec<RawSurvey>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSurvey {
    year: u32,
    data: String,
    codebook: Option<String>,
    population: Option<String>,
    invited: Option<String>,
}

/// The largest project file read (a real one is a few hundred bytes).
const MAX_PROJECT: u64 = 1 << 20;

impl Project {
    pub fn from_path(path: &Path) -> Result<Project, LoadError> {
        use std::io::Read;
        let read_err = |e: std::io::Error| LoadError::Read {
            path: path.to_path_buf(),
            source: e,
        };
        // Capped: a project file at /dev/zero was read to 2 GB before failing.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_PROJECT + 1).read_to_end(&mut bytes))
            .map_err(read_err)?;
        if bytes.len() as u64 > MAX_PROJECT {
            return Err(read_err(std::io::Error::other(format!(
                "larger than {} MiB; expected a TOML project file",
                MAX_PROJECT >> 20
            ))));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            read_err(std::io::Error::other(format!(
                "byte {} is not UTF-8; save the project file as UTF-8",
                e.utf8_error().valid_up_to() + 1
            )))
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Project::parse(&text, base).map_err(|source| LoadError::Invalid {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Parse project text; relative paths are resolved against `base`.
    pub fn parse(text: &str, base: &Path) -> Result<Project, ProjectError> {
        let raw: RawProject = toml::from_str(text)
            .map_err(|e| ProjectError::Syntax(e.to_string().trim().to_string()))?;
        if raw.survey.is_empty() {
            return Err(ProjectError::NoSurveys);
        }
        let resolve = |p: &str| {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };
        let mut surveys: Vec<Survey> = Vec::new();
        for s in raw.survey {
            if surveys.iter().any(|o| o.year == s.year) {
                return Err(ProjectError::DuplicateYear(s.year));
            }
            let codebook = match (&s.codebook, &raw.codebook) {
                (Some(c), _) | (None, Some(c)) => resolve(c),
                (None, None) => return Err(ProjectError::NoCodebook(s.year)),
            };
            surveys.push(Survey {
                year: s.year,
                data: resolve(&s.data),
                codebook,
                population: s.population.as_deref().map(resolve),
                invited: s.invited.as_deref().map(resolve),
            });
        }
        // Years in order, whatever the file's order: outputs must not depend on it.
        surveys.sort_by_key(|s| s.year);
        Ok(Project {
            title: raw.title.unwrap_or_else(|| "Enquête".into()),
            surveys,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_and_sorts_years() {
        let p = Project::parse(
            "codebook = \"cb.toml\"\n[[survey]]\nyear = 2023\ndata = \"d/2023.csv\"\n[[survey]]\nyear = 2019\ndata = \"/abs/2019.csv\"\ncodebook = \"old.toml\"\n",
            Path::new("/proj"),
        )
        .unwrap();
        assert_eq!(p.surveys[0].year, 2019);
        assert_eq!(p.surveys[0].data, PathBuf::from("/abs/2019.csv"));
        assert_eq!(p.surveys[0].codebook, PathBuf::from("/proj/old.toml"));
        assert_eq!(p.surveys[1].codebook, PathBuf::from("/proj/cb.toml"));
    }

    #[test]
    fn rejects_duplicates_unknown_keys_and_missing_codebooks() {
        let e = Project::parse("[[survey]]\nyear = 1\ndata = \"a\"\n", Path::new("."))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no codebook"), "{e}");
        let e = Project::parse("codebook = \"c\"\n[[survey]]\nyear = 1\ndata = \"a\"\n[[survey]]\nyear = 1\ndata = \"b\"\n", Path::new(".")).unwrap_err();
        assert_eq!(e, ProjectError::DuplicateYear(1));
        let e = Project::parse(
            "codebook = \"c\"\n[[survey]]\nyear = 1\nfile = \"a\"\n",
            Path::new("."),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("file"), "{e}");
    }
}
