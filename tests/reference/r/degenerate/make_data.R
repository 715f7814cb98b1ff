# Generates the "degenerate designs" fixtures (zero weights), sample format (";" and decimal comma):
#   zero_weights.csv  600 respondents, strata wijk 1..5, 30 respondents (5 %) with weegfactor 0 spread over
#                     strata, age groups and both languages (4 of them EN; in wijk 5 the only 2 EN respondents
#                     both have weight 0; one zero-weight respondent has an unknown age, 999).
#   zero_group.csv    400 respondents, strata wijk 1..5, exactly 3 respondents with taal = "EN" (wijk 1, 3, 5;
#                     age groups 18-29, 45-54, 65+), and exactly those 3 have weegfactor 0; all others > 0.
# Run from anywhere:  Rscript tests/reference/r/degenerate/make_data.R   (base R only; deterministic)
# Columns: respondent;leeftijd;geslacht;taal;wijk;weegfactor;kan_telefoon;kan_email;kan_balie;info;tevredenheid
# Codebook: codebook.toml next to this script (leeftijd 999 missing; info codes 1-4, 99 missing; empty = missing).
args <- commandArgs(trailingOnly = FALSE)
f <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()

bins <- c(18, 30, 45, 55, 65)                       # lower bounds of 18-29, 30-44, 45-54, 55-64, 65+
agegroup <- function(age) ifelse(age == 999, NA, findInterval(age, bins))

# Answers of n respondents (taal and wijk given). Returns a data.frame in file order.
answers <- function(n, wijk, taal, age) {
  en <- taal == "EN"
  ag <- agegroup(age)
  kan_telefoon <- rbinom(n, 1, ifelse(is.na(ag), 0.5, c(0.30, 0.35, 0.45, 0.55, 0.70)[pmax(ag, 1)]))
  kan_email <- rbinom(n, 1, ifelse(en, 0.75, 0.50))
  kan_balie <- rbinom(n, 1, 0.18)
  items <- data.frame(kan_telefoon, kan_email, kan_balie)
  for (v in names(items)) items[[v]][sample(n, max(1, round(n / 100)))] <- NA   # ~1 % empty per item
  info <- sample(c("1", "2", "3", "4"), n, replace = TRUE, prob = c(0.35, 0.25, 0.30, 0.10))
  info[en & info == "2"] <- "1"                                               # EN rarely wants a letter
  info[sample(n, round(n / 40))] <- "99"                                      # weet niet (missing code)
  info[sample(n, round(n / 150))] <- ""                                       # empty
  tevredenheid <- pmin(10, pmax(1, round(rnorm(n, ifelse(en, 6.4, 7.1), 1.5))))
  tevredenheid[sample(n, round(n / 60))] <- NA
  geslacht <- sample(c("1", "2", "3", "9"), n, replace = TRUE, prob = c(0.48, 0.49, 0.01, 0.02))
  data.frame(leeftijd = age, geslacht = geslacht, taal = taal, wijk = wijk, items, info = info,
             tevredenheid = tevredenheid, stringsAsFactors = FALSE)
}

fmt_w <- function(w) ifelse(w == 0, "0", gsub(".", ",", sprintf("%.4f", w), fixed = TRUE))

write_fixture <- function(d, w, path) {
  out <- data.frame(respondent = seq_len(nrow(d)), d[, c("leeftijd", "geslacht", "taal", "wijk")],
                    weegfactor = fmt_w(w), d[, c("kan_telefoon", "kan_email", "kan_balie", "info", "tevredenheid")],
                    stringsAsFactors = FALSE)
  write.table(out, path, sep = ";", dec = ",", quote = FALSE, row.names = FALSE, na = "", fileEncoding = "UTF-8")
  cat("wrote", nrow(out), "rows to", path, "\n")
}

# ---------------------------------------------------------------------------------------------------------
# 1. zero_weights.csv
set.seed(20250101)
sizes <- c(`1` = 150, `2` = 130, `3` = 120, `4` = 110, `5` = 90)
wijk <- rep(names(sizes), sizes)
n <- length(wijk)
age <- sample(18:92, n, replace = TRUE)
age[sample(n, 6)] <- 999                                           # unknown age (missing code)
taal <- ifelse(runif(n) < 0.16, "EN", "NL")
taal[wijk == "5"] <- "NL"
taal[which(wijk == "5")[c(7, 40)]] <- "EN"                          # wijk 5: exactly 2 EN respondents
age[which(wijk == "5")[c(7, 40)]] <- c(24, 51)
# every age group must have EN respondents with positive weight in the standardised comparison
stopifnot(all(table(factor(agegroup(age[taal == "EN"]), levels = 1:5)) >= 8))
d <- answers(n, wijk, taal, age)
base <- c(`1` = 1.3, `2` = 0.9, `3` = 1.1, `4` = 0.7, `5` = 1.6)[wijk]
w <- round(base * runif(n, 0.5, 1.6) * ifelse(age != 999 & age < 30, 1.4, 1), 4)
# 30 zero weights: 2 EN respondents of wijk 5 + 2 further EN + 26 NL spread over strata and age groups
z <- which(wijk == "5" & taal == "EN")
z <- c(z, sample(which(taal == "EN" & wijk %in% c("1", "3") & age != 999), 2))
z <- c(z, which(age == 999 & taal == "NL")[1])                     # one zero-weight row with unknown age
for (h in names(sizes)) {
  cand <- setdiff(which(wijk == h & taal == "NL" & age != 999), z)
  k <- c(`1` = 6, `2` = 5, `3` = 5, `4` = 5, `5` = 4)[[h]]
  z <- c(z, sample(cand, k))
}
stopifnot(length(unique(z)) == 30)
w[z] <- 0
# each (leeftijdsgroep x taal) cell keeps positive weight (no empty standardising cell)
ok <- age != 999
stopifnot(all(tapply(w[ok], list(agegroup(age[ok]), taal[ok]), sum) > 0))
write_fixture(d, w, file.path(here, "zero_weights.csv"))

# ---------------------------------------------------------------------------------------------------------
# 2. zero_group.csv
set.seed(20250202)
sizes <- c(`1` = 90, `2` = 85, `3` = 80, `4` = 75, `5` = 70)
wijk <- rep(names(sizes), sizes)
n <- length(wijk)
age <- sample(18:92, n, replace = TRUE)
age[sample(n, 4)] <- 999
taal <- rep("NL", n)
en <- c(which(wijk == "1")[5], which(wijk == "3")[12], which(wijk == "5")[20])
taal[en] <- "EN"
age[en] <- c(22, 47, 71)                                           # three different age groups
d <- answers(n, wijk, taal, age)
# the three EN answers: fixed, all valid, mixed so that every proportion is strictly between 0 and 1 where possible
d[en, c("kan_telefoon", "kan_email", "kan_balie", "info", "tevredenheid")] <-
  data.frame(kan_telefoon = c(1, 0, 1), kan_email = c(1, 1, 0), kan_balie = c(0, 0, 1),
             info = c("1", "3", "4"), tevredenheid = c(6, 8, 5), stringsAsFactors = FALSE)
base <- c(`1` = 1.3, `2` = 0.9, `3` = 1.1, `4` = 0.7, `5` = 1.6)[wijk]
w <- round(base * runif(n, 0.5, 1.6), 4)
w[en] <- 0
stopifnot(sum(w == 0) == 3, all(w[taal == "EN"] == 0), all(w[taal != "EN"] > 0))
write_fixture(d, w, file.path(here, "zero_group.csv"))
