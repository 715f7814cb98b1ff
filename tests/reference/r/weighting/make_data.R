# Generates the "weighting" fixture: data.csv (respondents), marges.csv (population margins, long format) and
# cellen.csv (population joint table geslacht x leeftijdsgroep). Dutch CSV: ";" and decimal comma.
# Run from anywhere:  Rscript tests/reference/r/weighting/make_data.R      (base R only; deterministic)
#
# Design: 6 strata (wijk "1".."6"), no clusters. Stratum 6 is small: 60 respondents from a population of 150
# (sampling fraction 40%, so an fpc matters there). Design weight ontwerpgewicht = N_h / n_h times a
# nonresponse factor in [0.7, 1.4] that varies within strata and within calibration cells.
# The sample over-represents women and people of 65+ compared with the population tables, and the answers
# depend on age and sex, so calibration changes the estimates visibly.
args <- commandArgs(trailingOnly = FALSE)
f <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
set.seed(20240611)

wijk_codes <- as.character(1:6)
n_h <- c(380, 340, 300, 280, 240, 60)            # respondents per stratum (1,600 in all)
N_h <- c(11000, 9500, 8000, 6500, 4600, 150)     # population per stratum (39,750 in all)
age_labels <- c("18-34", "35-54", "55-64", "65+")

wijk <- rep(wijk_codes, n_h)
n <- length(wijk)
h <- as.integer(wijk)

# sex and age group: over-represent women and 65+; the mix varies a little between districts
p_woman <- c(0.55, 0.58, 0.56, 0.60, 0.54, 0.57)[h]
geslacht <- ifelse(runif(n) < p_woman, "2", "1")
age_p <- rbind(c(0.20, 0.31, 0.17, 0.32), c(0.16, 0.30, 0.19, 0.35), c(0.19, 0.28, 0.18, 0.35),
               c(0.15, 0.33, 0.18, 0.34), c(0.22, 0.29, 0.16, 0.33), c(0.12, 0.30, 0.20, 0.38))
agegrp <- vapply(seq_len(n), function(i) sample.int(4, 1, prob = age_p[h[i], ]), integer(1))
leeftijd <- ifelse(agegrp == 1, sample(18:34, n, TRUE),
            ifelse(agegrp == 2, sample(35:54, n, TRUE),
            ifelse(agegrp == 3, sample(55:64, n, TRUE), pmin(95L, 65L + as.integer(floor(rexp(n, 1 / 9)))))))

# design weight: N_h / n_h times a nonresponse factor in [0.7, 1.4] (depends on age and chance)
nr <- pmin(1.4, pmax(0.7, runif(n, 0.7, 1.4) + c(0.05, 0, -0.02, -0.05)[agegrp]))
ontwerpgewicht <- round(N_h[h] / n_h[h] * nr, 4)

taal <- ifelse(runif(n) < c(0.13, 0.09, 0.05, 0.035)[agegrp], "EN", "NL")
man <- geslacht == "1"
a <- (leeftijd - 50) / 10
district <- c(0.2, 0, -0.15, 0.1, -0.25, 0.4)[h]
kan_telefoon <- rbinom(n, 1, plogis(-0.6 + 0.45 * a - 0.35 * man + district - 0.5 * (taal == "EN")))
kan_email <- rbinom(n, 1, plogis(0.4 - 0.35 * a + 0.3 * man - district))
kan_balie <- rbinom(n, 1, plogis(-1.6 + 0.3 * a - 0.3 * man + 0.5 * district))
kan_whatsapp <- rbinom(n, 1, plogis(-1.2 - 0.5 * a + 0.9 * (taal == "EN")))
items <- data.frame(kan_telefoon, kan_email, kan_balie, kan_whatsapp)
for (v in names(items)) items[[v]][sample.int(n, 20 + 5 * match(v, names(items)))] <- NA   # a few empty cells

# info (1-4): preferred information source, depends on age and sex; "99" = weet niet (missing)
eta <- cbind(0, 0.6 - 0.5 * a, -0.3 + 0.4 * a + 0.3 * man, -1 + 0.2 * a + 0.4 * (!man))
pr <- exp(eta) / rowSums(exp(eta))
info <- as.character(vapply(seq_len(n), function(i) sample.int(4, 1, prob = pr[i, ]), integer(1)))
info[sample.int(n, 70)] <- "99"
info[sample.int(n, 10)] <- ""

tevredenheid <- pmin(10, pmax(1, round(6.6 + 0.25 * a + 0.3 * (!man) + district + rnorm(n, 0, 1.4))))
tevredenheid[sample.int(n, 60)] <- NA

out <- data.frame(respnr = seq_len(n), wijk = wijk, wijk_n = N_h[h], ontwerpgewicht = ontwerpgewicht,
                  leeftijd = leeftijd, geslacht = geslacht, taal = taal, items, info = info,
                  tevredenheid = tevredenheid, stringsAsFactors = FALSE)
stopifnot(!anyNA(out$leeftijd), all(out$leeftijd >= 18 & out$leeftijd <= 95))
write.table(out, file.path(here, "data.csv"), sep = ";", dec = ",", row.names = FALSE, na = "",
            quote = FALSE, fileEncoding = "UTF-8")

# population: joint geslacht x leeftijdsgroep table (cellen.csv) and its margins plus wijk (marges.csv)
total <- sum(N_h)
p_cell <- rbind(`1` = c(0.145, 0.170, 0.080, 0.095), `2` = c(0.140, 0.170, 0.085, 0.115))
cnt <- round(p_cell * total)
cnt[2, 4] <- cnt[2, 4] + (total - sum(cnt))      # exact grand total
cells <- data.frame(geslacht = rep(c("1", "2"), each = 4), leeftijdsgroep = rep(age_labels, 2),
                    count = as.vector(t(cnt)), stringsAsFactors = FALSE)
stopifnot(sum(cells$count) == total)
write.table(cells, file.path(here, "cellen.csv"), sep = ";", row.names = FALSE, quote = FALSE,
            fileEncoding = "UTF-8")
marges <- rbind(data.frame(variable = "geslacht", code = c("1", "2"), count = rowSums(cnt)),
                data.frame(variable = "leeftijdsgroep", code = age_labels, count = colSums(cnt)),
                data.frame(variable = "wijk", code = wijk_codes, count = N_h))
stopifnot(all(tapply(marges$count, marges$variable, sum) == total))
write.table(marges, file.path(here, "marges.csv"), sep = ";", row.names = FALSE, quote = FALSE,
            fileEncoding = "UTF-8")
cat("wrote", n, "respondents; population", total, "\n")
