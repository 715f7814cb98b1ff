# R survey reference values for the "lonely" fixture (codebook.toml + data.csv) -> expected.csv
# Run from the repository root:  Rscript tests/reference/r/lonely/reference.R
# Design: svydesign(ids = ~1, strata = ~wijk, weights = ~gewicht, nest = TRUE),
# options(survey.lonely.psu = "adjust"); stratum W6 has one respondent. Format: tests/reference/r/README.md.
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "..", "common.R"))

raw <- read_raw(file.path(here, "data.csv"), sep = ";", dec = ",")
taal_codes <- c("NL", "EN")
wijk_codes <- c("W1", "W2", "W3", "W4", "W5", "W6")
oordeel_codes <- c("1", "2", "3", "4")
items <- c("con_tel", "con_mail", "con_balie")

d <- data.frame(wijk = raw$wijk, gewicht = as_num(raw$gewicht, dec = ","))
taal <- as_cat(raw$taal, taal_codes, name = "taal")
wijk <- as_cat(raw$wijk, wijk_codes, name = "wijk")
oordeel <- as_cat(raw$oordeel, oordeel_codes, missing = "99", name = "oordeel")
for (code in oordeel_codes) d[[paste0("oordeel_", code)]] <- ifelse(is.na(oordeel), NA, as.numeric(oordeel == code))
for (it in items) d[[it]] <- as_item(raw[[it]], "1")
d$score <- as_num(raw$score, dec = ",", missing = "999")

des <- svydesign(ids = ~1, strata = ~wijk, weights = ~gewicht, nest = TRUE, data = d)
stopifnot(sum(d$wijk == "W6") == 1)
by_taal <- list(taal = list(values = taal, groups = taal_codes))
by_both <- c(by_taal, list(wijk = list(values = wijk, groups = wijk_codes)))

out <- list()
for (it in items)
  out[[length(out) + 1]] <- reference_block(des, it, "contact", it, by_taal)
for (code in oordeel_codes)
  out[[length(out) + 1]] <- reference_block(des, paste0("oordeel_", code), "oordeel", code, by_both)
out[[length(out) + 1]] <- reference_block(des, "score", "score", "", by_taal, kind = "mean")
rows <- do.call(rbind, out)
write_reference(rows, file.path(here, "expected.csv"))

check_svyby(des, "oordeel_4", "taal", taal)
check_svyby(des, "con_balie", "taal", taal)
cat("wrote", nrow(rows), "rows to", file.path(here, "expected.csv"), "\n")
