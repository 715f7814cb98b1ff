# Prints the survey functions that README.md section "What R does, exactly" quotes -> survey_source.txt
# Run from anywhere:  Rscript tests/reference/r/weighting/print_source.R   (deterministic: bytecode addresses removed)
{
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
}
suppressPackageStartupMessages(library(survey))
fns <- c("svydesign.default", "as.fpc", "postStratify.survey.design", "calibrate.survey.design2",
         "regcalibrate.survey.design2", "grake", "cal.linear", "cal.raking", "cal.logit", "margins2totals", "rake",
         "[.survey.design2", "subset.survey.design", "is.calibrated", "weights.survey.design", "degf.survey.design2",
         "svymean.survey.design2", "svytotal.survey.design2", "svyvar.survey.design", "svyrecvar", "multistage",
         "onestage", "onestrat", "svyciprop", "svyglm.survey.design", "svy.varcoef", "svycontrast.svystat", "nlcon",
         "svychisq.survey.design")
out <- c(paste0("# survey ", packageVersion("survey"), " on R ", getRversion(), ": printed with print(survey:::<name>)"))
for (fn in fns) {
  x <- get(fn, envir = asNamespace("survey"))
  txt <- if (inherits(x, "calfun")) capture.output(print(unclass(x))) else capture.output(print(x))
  out <- c(out, "", paste0("######## survey:::`", fn, "`"), grep("^<bytecode", txt, value = TRUE, invert = TRUE))
}
writeLines(out, file.path(here, "survey_source.txt"))
cat("wrote", length(out), "lines\n")
