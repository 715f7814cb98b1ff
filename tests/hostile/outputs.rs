//! Outputs that would destroy inputs or write through links: a report or batch folder that holds
//! the run's own files, a single output file that is an input, a hard link at the lock.

use super::{small_codebook, small_csv};
use crate::common::Workdir;

fn report(wd: &Workdir, data: &str, codebook: &str, out: &str) -> crate::common::Run {
    wd.run(&[
        "report",
        data,
        "-c",
        codebook,
        "--out",
        out,
        "--no-charts",
        "--no-progress",
    ])
}

#[test]
fn a_report_into_the_folder_that_holds_its_inputs_is_refused_and_they_are_kept() {
    // `report OUT/data.csv -c OUT/codebook.toml --out OUT` exited 0 and deleted both.
    let wd = Workdir::new();
    wd.write("data.csv", small_csv(40));
    wd.write("codebook.toml", small_codebook(None, ""));
    report(&wd, "data.csv", "codebook.toml", "out").expect_code(0);
    std::fs::copy(wd.path("data.csv"), wd.path("out/data.csv")).unwrap();
    std::fs::create_dir(wd.path("out/cb")).unwrap();
    std::fs::copy(wd.path("codebook.toml"), wd.path("out/cb/codebook.toml")).unwrap();
    for (data, codebook) in [
        ("out/data.csv", "codebook.toml"),
        ("data.csv", "out/cb/codebook.toml"),
        ("out/../out/data.csv", "out/cb/codebook.toml"),
    ] {
        let r = report(&wd, data, codebook, "out");
        r.expect_code(3);
        assert!(
            r.stderr().contains("which this run reads"),
            "{}",
            r.describe()
        );
    }
    assert!(wd.path("out/data.csv").exists() && wd.path("out/cb/codebook.toml").exists());
    // Through a link to the folder too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(wd.path("out"), wd.path("link")).unwrap();
        report(&wd, "link/data.csv", "codebook.toml", "out").expect_code(3);
        report(&wd, "out/data.csv", "codebook.toml", "link").expect_code(3);
    }
    assert!(wd.path("out/data.csv").exists());
}

#[test]
fn a_batch_into_the_folder_that_holds_its_project_is_refused() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("proj")).unwrap();
    wd.write("proj/2023.csv", small_csv(40));
    wd.write("proj/cb.toml", small_codebook(None, ""));
    let project =
        "title = \"p\"\ncodebook = \"cb.toml\"\n[[survey]]\nyear = 2023\ndata = \"2023.csv\"\n";
    wd.write("proj/project.toml", project);
    wd.run(&[
        "batch",
        "proj/project.toml",
        "--out",
        "out",
        "--no-progress",
    ])
    .expect_code(0);
    // The project moved into the batch's folder, and run into it again.
    std::fs::rename(wd.path("proj"), wd.path("out/proj")).unwrap();
    let r = wd.run(&[
        "batch",
        "out/proj/project.toml",
        "--out",
        "out",
        "--no-progress",
    ]);
    r.expect_code(3);
    assert!(
        r.stderr().contains("which this run reads"),
        "{}",
        r.describe()
    );
    assert!(wd.path("out/proj/2023.csv").exists());
}

#[test]
fn a_single_output_that_is_an_input_is_refused() {
    let wd = Workdir::new();
    wd.write("data.csv", small_csv(40));
    wd.write("codebook.toml", small_codebook(None, ""));
    let weighted = format!("[design]\nweight = \"id\"\n{}", small_codebook(None, ""));
    wd.write("weighted.toml", weighted);
    let before = std::fs::read(wd.path("data.csv")).unwrap();
    for args in [
        &[
            "crosstab",
            "data.csv",
            "-c",
            "codebook.toml",
            "-t",
            "t",
            "-o",
            "data.csv",
        ][..],
        &[
            "weight",
            "data.csv",
            "-c",
            "weighted.toml",
            "--out",
            "./data.csv",
        ][..],
        &[
            "crosstab",
            "data.csv",
            "-c",
            "codebook.toml",
            "-t",
            "t",
            "-o",
            "codebook.toml",
        ][..],
        &["codebook", "data.csv", "-o", "data.csv"][..],
    ] {
        let r = wd.run(args);
        r.expect_code(3);
        assert!(
            r.stderr().contains("which this run reads"),
            "{}",
            r.describe()
        );
    }
    assert_eq!(std::fs::read(wd.path("data.csv")).unwrap(), before);
}

#[test]
#[cfg(unix)]
fn a_hard_link_at_the_lock_path_is_never_written_through() {
    // The lock file was opened with O_NOFOLLOW, which stops only symbolic links: a hard link
    // planted at OUT.lock had its file truncated and overwritten with the pid.
    let wd = Workdir::new();
    wd.write("data.csv", small_csv(40));
    wd.write("codebook.toml", small_codebook(None, ""));
    wd.write("victim.txt", "precious");
    std::fs::hard_link(wd.path("victim.txt"), wd.path("out.lock")).unwrap();
    let r = report(&wd, "data.csv", "codebook.toml", "out");
    r.expect_code(3);
    assert!(r.stderr().contains("hard links"), "{}", r.describe());
    assert_eq!(
        std::fs::read_to_string(wd.path("victim.txt")).unwrap(),
        "precious"
    );
    assert!(!wd.path("out").exists());
}
