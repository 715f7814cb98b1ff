# Generates the "health" fixture data: tests/reference/r/health/data.csv
# Run from the repository root:  Rscript tests/reference/r/health/make_health.R
# Base R only. Design: 15 strata S01..S15, exactly 2 PSUs per stratum with ids "1","2" reused in every
# stratum (so nest = TRUE matters; degf = 30 - 15 = 15), ~1500 respondents, positive non-integer weights.
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
set.seed(20240611)

strata <- sprintf("S%02d", 1:15)
rows <- list()
for (h in seq_along(strata)) {
  for (psu in c("1", "2")) {
    m <- sample(40:60, 1)
    eff <- rnorm(1, 0, 0.5)                    # cluster effect (makes deff > 1)
    rows[[length(rows) + 1]] <- data.frame(stratum = strata[h], psu = psu, m = m, eff = eff,
                                           base = 50 + 10 * h)
  }
}
cl <- do.call(rbind, rows)
d <- cl[rep(seq_len(nrow(cl)), cl$m), c("stratum", "psu", "eff", "base")]
n <- nrow(d)

d$weight <- round(d$base * runif(n, 0.4, 1.8), 4)
age <- sample(c("(19,39]", "(39,59]", "(59,99]"), n, replace = TRUE, prob = c(0.3, 0.35, 0.35))
# stratum S15, PSU "2" has nobody aged (19,39]: that domain has one PSU in S15 (domain df 14)
fix <- d$stratum == "S15" & d$psu == "2" & age == "(19,39]"
age[fix] <- "(39,59]"
d$agegroup <- age
d$sex <- sample(c("M", "F"), n, replace = TRUE)

# self-rated health 1 (very good) .. 5 (very bad), 9 = don't know
lin <- 0.6 * (age == "(39,59]") + 1.2 * (age == "(59,99]") + d$eff + rnorm(n, 0, 0.8)
health <- as.character(cut(lin, c(-Inf, 0.2, 1.0, 1.8, Inf), labels = c("1", "2", "3", "4")))
# "5" is rare and only in the oldest group -> p = 0 in (19,39] and (39,59]
old <- which(age == "(59,99]")
health[sample(old, 4)] <- "5"
health[sample(n, round(0.03 * n))] <- "9"
d$health <- health

# select-all: healthcare used in the past year
d$use_gp <- rbinom(n, 1, plogis(-0.3 + 0.5 * (age != "(19,39]") + d$eff))
d$use_hospital <- rbinom(n, 1, plogis(-2 + 0.8 * (age == "(59,99]") + d$eff))
d$use_pharmacy <- rbinom(n, 1, plogis(0.2 + d$eff))
d$use_pharmacy[age == "(59,99]"] <- 1L          # everyone aged 60+ used a pharmacy: p = 1 there
d$rating <- pmin(10, pmax(1, round(7 - 0.4 * (lin - 1) + rnorm(n, 0, 1.3))))

# missing cells (written as empty fields)
d$agegroup[sample(n, 12)] <- NA
d$health[sample(n, 10)] <- NA
for (v in c("use_gp", "use_hospital", "use_pharmacy")) d[[v]][sample(n, round(0.02 * n))] <- NA
d$rating[sample(n, round(0.05 * n))] <- NA

d$id <- sprintf("R%04d", seq_len(n))
out <- d[, c("id", "stratum", "psu", "weight", "agegroup", "sex", "health", "use_gp", "use_hospital",
             "use_pharmacy", "rating")]
out$psu <- as.character(out$psu)
write.csv(out, file.path(here, "data.csv"), row.names = FALSE, na = "")
cat("wrote", nrow(out), "rows\n")
