# Generates the "lonely" fixture data: tests/reference/r/lonely/data.csv (Dutch CSV: ";" and decimal comma)
# Run from the repository root:  Rscript tests/reference/r/lonely/make_lonely.R
# Base R only. Strata "W1".."W6" without clusters (every respondent is a PSU). Stratum W6 has exactly ONE
# respondent (a lonely PSU, handled by survey.lonely.psu = "adjust"). The group taal = "EN" occurs only in
# W1, W2 and W6 (so EN's df = n_EN - 3), and is small, so intervals of rare answers are wide.
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
set.seed(4711)

sizes <- c(W1 = 70, W2 = 60, W3 = 55, W4 = 60, W5 = 55, W6 = 1)
wijk <- rep(names(sizes), sizes)
n <- length(wijk)
gewicht <- round(c(W1 = 1.2, W2 = 0.8, W3 = 1.5, W4 = 0.9, W5 = 1.1, W6 = 2.5)[wijk] * runif(n, 0.6, 1.4), 3)
taal <- rep("NL", n)
en <- which(wijk %in% c("W1", "W2"))
taal[sample(en, 22)] <- "EN"
taal[wijk == "W6"] <- "EN"
taal[sample(which(wijk %in% c("W3", "W4")), 2)] <- ""          # missing group

con_tel <- rbinom(n, 1, 0.45)
con_mail <- rbinom(n, 1, ifelse(taal == "EN", 0.8, 0.5))
con_balie <- rbinom(n, 1, 0.15)
con_balie[taal == "EN"] <- 0L                                    # nobody in EN: p = 0 in that group
con_tel[wijk == "W6"] <- 1L; con_mail[wijk == "W6"] <- 0L
con <- data.frame(con_tel, con_mail, con_balie)
for (v in names(con)) con[[v]][sample(which(wijk != "W6"), 6)] <- NA

oordeel <- sample(c("1", "2", "3", "4"), n, replace = TRUE, prob = c(0.3, 0.4, 0.25, 0.05))
oordeel[oordeel == "4" & taal == "EN"] <- "3"
oordeel[sample(which(taal == "EN"), 1)] <- "4"                   # exactly one EN respondent says "4"
oordeel[sample(n - 1, 15)] <- "99"                                 # weet niet = missing
oordeel[sample(n - 1, 3)] <- ""
oordeel[wijk == "W6"] <- "2"                                       # the lonely respondent answers everything

score <- pmin(10, pmax(1, round(2 * rnorm(n, 7, 1.4)) / 2))        # half points: decimal comma in the file
score[sample(n - 1, 12)] <- 999                                    # missing code
score[sample(n - 1, 5)] <- NA                                      # empty cell

d <- data.frame(id = seq_len(n), wijk = wijk, gewicht = gewicht, taal = taal, con, oordeel = oordeel,
                score = score, stringsAsFactors = FALSE)
write.csv2(d, file.path(here, "data.csv"), row.names = FALSE, na = "")
cat("wrote", n, "rows\n")
