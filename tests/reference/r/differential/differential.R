# Differential check: enquete against R survey 4.1 on random designs.
#
#   Rscript differential.R --enquete PATH/TO/enquete [--designs 92] [--seed 21] [--out DIR]
#                          [--only 3,17] [--fixed DIR]
#
# For each design i = 1..N (deterministic from --seed and i) it writes a data file, a codebook and
# (when weighted to a population) a population file into DIR/design-<i>/, runs the enquete binary on
# them (report per interval method and level, compare per breakdown and kind, test per table), computes
# R's figures for the same things, and compares every number. Each difference gets a class:
#   equal                 within the project's tolerances (README.md here)
#   explained:<reason>    a documented choice of enquete or an R quirk (README.md lists each reason)
#   wrong                 anything else
# Results: DIR/summary.csv (counts per kind, field and class), DIR/differences.csv (every figure that
# is not equal, with both values and its class), DIR/designs.csv (what each design is), DIR/log.txt.
# The exit status is 1 when any figure is wrong, 0 otherwise.
#
# With --fixed DIR2 (and --only), the R values of the chosen designs are also written into DIR2 in
# the formats of ../README.md (expected.csv), ../compare/README.md (compare.csv), against.csv,
# rest.csv and test.csv, with the data, codebook and population file: the committed regression set
# that tests/differential_reference.rs checks without R.
#
# Base R + survey only. Every random draw comes from set.seed(seed * 1000 + i): a rerun is identical.
{
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
}
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust", warn = 1)
stopifnot(packageVersion("survey") >= "4.1")

args <- commandArgs(trailingOnly = TRUE)
opt <- function(name, default = NULL) {
  i <- match(paste0("--", name), args)
  if (is.na(i)) default else args[i + 1]
}
ENQUETE <- opt("enquete")
if (is.null(ENQUETE)) stop("--enquete PATH is required")
ENQUETE <- normalizePath(ENQUETE)
N_DESIGNS <- as.integer(opt("designs", "92"))
SEED <- as.integer(opt("seed", "21"))
OUT <- opt("out", file.path(tempdir(), "differential"))
ONLY <- opt("only")
ONLY <- if (is.null(ONLY)) seq_len(N_DESIGNS) else as.integer(strsplit(ONLY, ",")[[1]])
FIXED <- opt("fixed")
dir.create(OUT, recursive = TRUE, showWarnings = FALSE)
OUT <- normalizePath(OUT)

source(file.path(here, "designs.R"))     # make_design(): the random designs and their files
source(file.path(here, "r_figures.R"))   # R's figures for a design
source(file.path(here, "classify.R"))    # running enquete, comparing, classifying

log_lines <- character(0)
say <- function(...) {
  s <- paste0(...)
  message(s)
  log_lines <<- c(log_lines, s)
}
say(sprintf("R %s, survey %s; enquete %s; seed %d; designs %s", getRversion(), packageVersion("survey"),
            ENQUETE, SEED, paste(range(ONLY), collapse = "..")))

t0 <- proc.time()[["elapsed"]]
design_rows <- list()
for (i in ONLY) {
  dz <- make_design(i, SEED)
  dir <- file.path(OUT, sprintf("design-%03d", i))
  write_design(dz, dir)
  design_rows[[length(design_rows) + 1]] <- describe_design(dz)
  r <- r_figures(dz)
  if (!is.null(r$refused)) {
    say(sprintf("design %d: R refuses the design (%s)", i, r$refused))
    record_refusal(dz, dir, r$refused)
    next
  }
  ours <- enquete_figures(dz, dir)
  compare_design(dz, r, ours)
  if (!is.null(FIXED)) write_fixed(dz, r, file.path(FIXED, sprintf("design-%03d", i)))
  say(sprintf("design %3d: %-12s n=%4d strata=%d clusters=%s fpc=%s zeros=%d: %s", i, dz$spec$calibration,
              dz$spec$n, dz$spec$strata, dz$spec$clustered, dz$spec$fpc, dz$spec$zeros, tally_line(i)))
}
elapsed <- proc.time()[["elapsed"]] - t0
write_results(OUT, design_rows)
say(sprintf("%d designs in %.0f s; figures: %s", length(ONLY), elapsed, tally_line(NULL)))
writeLines(log_lines, file.path(OUT, "log.txt"))
quit(status = if (any_wrong()) 1 else 0)
