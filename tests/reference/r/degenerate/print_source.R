# Prints the survey functions quoted in README.md ("What R does, exactly") to survey_source.txt.
# Run from anywhere:  Rscript tests/reference/r/degenerate/print_source.R
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
suppressPackageStartupMessages(library(survey))
fns <- c("svyrecvar", "postStratify.survey.design", "svystandardize", "svyglm.survey.design", "svy.varcoef",
         "degf", "degf.survey.design2", "svychisq.survey.design", "subset.survey.design", "[.survey.design2",
         "svymean.survey.design2", "svymean.survey.design", "svyvar.survey.design", "svyciprop", "svyby.default",
         "multistage", "onestage", "onestrat", "svytable.survey.design")
out <- c(sprintf("# survey %s on %s: source of the functions quoted in README.md (printed with deparse)",
                 as.character(packageVersion("survey")), R.version.string),
         "# Note: there is no postStratify.survey.design2; postStratify.survey.design is the method used for svydesign()",
         "# objects. svymean dispatches to svymean.survey.design2 for svydesign() objects (svymean.survey.design is",
         "# the pre-2005 'survey.design' class method, printed because the brief names it).", "")
for (f in fns) {
  out <- c(out, paste0("## survey:::`", f, "`"), deparse(getFromNamespace(f, "survey")), "")
}
writeLines(out, file.path(here, "survey_source.txt"))
cat("wrote", length(out), "lines to", file.path(here, "survey_source.txt"), "\n")
