# R survey reference values for the "health" fixture (codebook.toml + data.csv) -> expected.csv
# Run from the repository root:  Rscript tests/reference/r/health/reference.R
# Design: svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE),
# options(survey.lonely.psu = "adjust"). Format and semantics: tests/reference/r/README.md.
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "..", "common.R"))

raw <- read_raw(file.path(here, "data.csv"), sep = ",", dec = ".")
age_codes <- c("(19,39]", "(39,59]", "(59,99]")
sex_codes <- c("M", "F")
health_codes <- c("1", "2", "3", "4", "5")
items <- c("use_gp", "use_hospital", "use_pharmacy")

d <- data.frame(stratum = raw$stratum, psu = raw$psu, weight = as_num(raw$weight))
agegroup <- as_cat(raw$agegroup, age_codes, name = "agegroup")
sex <- as_cat(raw$sex, sex_codes, name = "sex")
health <- as_cat(raw$health, health_codes, missing = "9", name = "health")
for (code in health_codes) d[[paste0("health_", code)]] <- ifelse(is.na(health), NA, as.numeric(health == code))
for (it in items) d[[it]] <- as_item(raw[[it]], "1")
d$rating <- as_num(raw$rating)

des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = d)
stopifnot(degf(des) == 15)
byvars <- list(agegroup = list(values = agegroup, groups = age_codes),
               sex = list(values = sex, groups = sex_codes))

out <- list()
for (code in health_codes)
  out[[length(out) + 1]] <- reference_block(des, paste0("health_", code), "health", code, byvars)
for (it in items)
  out[[length(out) + 1]] <- reference_block(des, it, "use", it, byvars)
out[[length(out) + 1]] <- reference_block(des, "rating", "rating", "", byvars, kind = "mean")
rows <- do.call(rbind, out)
write_reference(rows, file.path(here, "expected.csv"))

# the per-group loop must reproduce svyby(..., svyciprop) exactly
check_svyby(des, "health_2", "agegroup", agegroup)
check_svyby(des, "use_pharmacy", "agegroup", agegroup)
cat("wrote", nrow(rows), "rows to", file.path(here, "expected.csv"), "\n")
