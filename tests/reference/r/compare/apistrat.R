# Rao-Scott reference for survey's apistrat example (data(api)): awards x stype.
# Run from anywhere:  Rscript tests/reference/r/compare/apistrat.R
# Writes apistrat.csv (cds, stype, pw, awards), apistrat.toml (codebook for enquete),
# apistrat_test.csv (design WITHOUT fpc: the reference row; enquete has no fpc),
# apistrat_test_fpc.csv (the same with fpc = ~fpc, as in survey's examples), apistrat_log.txt.
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
source(file.path(here, "compare_common.R"))
data(api)
stopifnot(nrow(apistrat) == 200, identical(levels(apistrat$stype), c("E", "H", "M")),
          identical(levels(apistrat$awards), c("No", "Yes")), !anyNA(apistrat[, c("stype", "pw", "awards")]))

# pw is stored in data(api) as single-precision values (44.209999084472656, not 44.21): written with 17
# significant digits so that the file parses to exactly R's weights.
out <- data.frame(cds = apistrat$cds, stype = as.character(apistrat$stype), pw = sprintf("%.17g", apistrat$pw),
                  awards = as.character(apistrat$awards))
write.csv(out, file.path(here, "apistrat.csv"), row.names = FALSE, quote = c(1, 2, 4))
writeLines(c(
  '# apistrat from R survey\'s data(api) (200 schools, stratified by school type). Written by apistrat.R.',
  '# R: svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat) (no fpc: enquete has none).',
  'title = "apistrat (R survey data(api))"',
  '',
  '[design]',
  'weight = "pw"',
  'strata = "stype"',
  '',
  '[[variables]]',
  'name = "stype"',
  'label = "School type"',
  'type = "categorical"',
  'values = [ { code = "E", label = "Elementary" }, { code = "H", label = "High" }, { code = "M", label = "Middle" } ]',
  '',
  '[[variables]]',
  'name = "awards"',
  'label = "Eligible for awards program"',
  'type = "categorical"',
  'values = [ { code = "No", label = "No" }, { code = "Yes", label = "Yes" } ]',
  '',
  '[[tables]]',
  'name = "awards"',
  'rows = "awards"',
  'by = ["stype"]'), file.path(here, "apistrat.toml"))

# read back what we wrote, so the reference is computed from the file enquete reads
api <- read.csv(file.path(here, "apistrat.csv"), colClasses = c("character", "character", "numeric", "character"))
stopifnot(identical(api$pw, apistrat$pw))
api$fpc <- apistrat$fpc
d_nofpc <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = api)
d_fpc <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = api, fpc = ~fpc)
stype_codes <- c("E", "H", "M"); award_codes <- c("No", "Yes")

r1 <- test_block(d_nofpc, api$awards, award_codes, "awards", "", "stype", api$stype, stype_codes)
write_test(list(r1), file.path(here, "apistrat_test.csv"))
r2 <- test_block(d_fpc, api$awards, award_codes, "awards", "", "stype", api$stype, stype_codes)
write_test(list(r2), file.path(here, "apistrat_test_fpc.csv"))

# survey's example formula ~stype + awards. r-notes.md section (f) quotes F = 13.52230744, ndf = 1.894906553,
# ddf = 373.296591031, X2 = 19.47965642, first order 27.0446148838: these are the design WITHOUT fpc
# (with fpc: F = 14.169408, ndf = 1.8851359, ddf = 371.37177; X2 is the same).
for (fp in c(FALSE, TRUE)) {
  dd <- if (fp) svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc) else
    svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
  ex <- svychisq(~stype + awards, dd)
  exC <- svychisq(~stype + awards, dd, statistic = "Chisq")
  r <- if (fp) r2 else r1
  check(same(as.numeric(r[5]), ex$statistic, 1e-12) && same(as.numeric(r[6]), ex$parameter[["ndf"]], 1e-12) &&
          same(as.numeric(r[12]), exC$statistic, 1e-12) && same(as.numeric(r[11]), exC$p.value, 1e-10),
        "awards x stype equals stype x awards")
  passed()
  logmsg(sprintf("%s fpc (~stype + awards): F = %.10g, ndf = %.10g, ddf = %.10g, p = %.6g; Chisq: X2 = %.10g, p = %.6g",
                 if (fp) "with" else "without", ex$statistic, ex$parameter[["ndf"]], ex$parameter[["ddf"]],
                 ex$p.value, exC$statistic, exC$p.value))
}
check(abs(as.numeric(r1[5]) - 13.52230744) < 1e-7 && abs(as.numeric(r1[6]) - 1.894906553) < 1e-8 &&
        abs(as.numeric(r1[7]) - 373.296591031) < 1e-8 && abs(as.numeric(r1[12]) - 19.47965642) < 1e-7 &&
        abs(as.numeric(r1[9]) - 27.0446148838) < 1e-9, "apistrat without fpc vs r-notes (f)")
passed()
write_log(file.path(here, "apistrat_log.txt"), "apistrat: 200 schools")
