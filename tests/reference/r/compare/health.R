# Comparison (svyglm) and Rao-Scott (svychisq) references for the "health" fixture
# (tests/reference/r/health/data.csv + codebook.toml) -> health_compare.csv, health_test.csv, health_log.txt
# Run from anywhere:  Rscript tests/reference/r/compare/health.R
# Data reading and design exactly as tests/reference/r/health/reference.R:
# svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE), lonely.psu = "adjust".
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
source(file.path(here, "compare_common.R"))
t0 <- proc.time()[["elapsed"]]

raw <- read_raw(file.path(here, "..", "health", "data.csv"), sep = ",", dec = ".")
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

# A. comparisons, in this order for every variable/category
comparisons <- list(
  list(between = "agegroup", g = agegroup, glev = age_codes, std = NULL),
  list(between = "sex", g = sex, glev = sex_codes, std = NULL),
  list(between = "sex", g = sex, glev = sex_codes,
       std = list(name = "agegroup", values = agegroup, levels = age_codes)))
ys <- c(lapply(health_codes, function(code) list("health", code, d[[paste0("health_", code)]])),
        lapply(items, function(it) list("use", it, d[[it]])),
        list(list("rating", "", d$rating)))
crows <- list()
for (y in ys) for (cmp in comparisons)
  crows <- c(crows, compare_block(des, y[[3]], y[[1]], y[[2]], cmp$between, cmp$g, cmp$glev, cmp$std))
write_compare(crows, file.path(here, "health_compare.csv"))

# B. Rao-Scott tests: tables health and use (rating is numeric), by agegroup and sex
bys <- list(agegroup = list(values = agegroup, levels = age_codes), sex = list(values = sex, levels = sex_codes))
trows <- list()
for (bn in names(bys))
  trows[[length(trows) + 1]] <- test_block(des, health, health_codes, "health", "", bn, bys[[bn]]$values, bys[[bn]]$levels)
for (it in items) for (bn in names(bys))
  trows[[length(trows) + 1]] <- test_block(des, as.character(d[[it]]), c("0", "1"), "use", it, bn,
                                           bys[[bn]]$values, bys[[bn]]$levels)
write_test(trows, file.path(here, "health_test.csv"))
el <- proc.time()[["elapsed"]] - t0
write_log(file.path(here, "health_log.txt"),
          sprintf("health: %d respondents, %.1f s elapsed", nrow(d), el))
message(sprintf("health done in %.1f s", el))
