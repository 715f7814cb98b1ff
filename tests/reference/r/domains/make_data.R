# Deterministic generator of the domains fixture -> data.csv (2,500 respondents, ',' / '.').
# Run from anywhere:  Rscript tests/reference/r/domains/make_data.R
# Design: strata = wijk ("1".."10"), weight = weegfactor, no clusters. District "10" has exactly 13 respondents
# and nobody in it selects kan_chat (a p = 0 group). English-language respondents are young: EN women aged 65+
# live only in districts "1"/"2", so the filter `taal == "EN" and not (wijk in ["1", "2"])` leaves the crossing
# cell "65+ x 2" empty.
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
set.seed(20240611)

sizes <- c(310, 260, 290, 240, 330, 270, 250, 280, 257, 13)      # districts "1".."10"; sum 2,500
stopifnot(sum(sizes) == 2500)
n <- sum(sizes)
wijk <- rep(1:10, times = sizes)
pop <- c(21000, 15500, 18800, 12000, 24500, 16000, 13800, 17200, 14900, 2100)   # district populations
base_w <- (pop / sizes)[wijk]
weegfactor <- round(base_w * runif(n, 0.55, 1.6), 4)

# language: more English in the central districts 1-3
p_en <- c(0.20, 0.17, 0.14, 0.08, 0.07, 0.06, 0.05, 0.06, 0.05, 0.10)[wijk]
taal <- ifelse(runif(n) < p_en, "EN", "NL")
geslacht <- ifelse(runif(n) < 0.52, "2", "1")

# age: EN respondents are mostly young
leeftijd <- ifelse(taal == "NL", round(18 + 77 * rbeta(n, 1.5, 1.7)), round(18 + 47 * rbeta(n, 1.4, 2.2)))
# a handful of older EN respondents: men in districts 3-9, women only in districts 1 and 2
en <- which(taal == "EN")
old_men <- en[geslacht[en] == "1" & wijk[en] %in% 3:9][c(2, 6, 10, 14, 18, 22)]
leeftijd[old_men] <- c(66, 71, 68, 77, 83, 69)
old_women <- en[geslacht[en] == "2" & wijk[en] %in% c(1, 2)][c(2, 9)]
leeftijd[old_women] <- c(67, 74)
stopifnot(all(leeftijd >= 18 & leeftijd <= 95))
en_old_women_elsewhere <- taal == "EN" & geslacht == "2" & leeftijd >= 65 & !(wijk %in% c(1, 2))
stopifnot(!any(en_old_women_elsewhere))

age_c <- (leeftijd - 50) / 20
lg <- function(x) 1 / (1 + exp(-x))
item <- function(eta) as.numeric(runif(n) < lg(eta))
dist_eff <- c(0.3, 0.2, 0.1, 0, -0.1, -0.2, 0, 0.1, -0.3, 0.4)[wijk]
en_d <- as.numeric(taal == "EN")
kan_telefoon <- item(0.2 + 0.9 * age_c - 0.8 * en_d + dist_eff)
kan_email    <- item(0.4 - 0.7 * age_c + 0.6 * en_d - dist_eff)
kan_balie    <- item(-1.2 + 0.6 * age_c - 0.4 * en_d + 0.5 * dist_eff)
kan_chat     <- item(-1.5 - 1.0 * age_c + 0.9 * en_d)
kan_chat[wijk == 10] <- 0                                           # p = 0 in district "10"

# stelling: 5-point agreement (1 = helemaal eens ... 5 = helemaal oneens), 9 = weet niet
stelling <- pmin(5, pmax(1, round(2.6 + 0.5 * age_c + 0.4 * dist_eff - 0.3 * en_d + rnorm(n, 0, 1.1))))
stelling[runif(n) < ifelse(leeftijd >= 70, 0.15, 0.06)] <- 9
# tevredenheid 1-10
tevredenheid <- pmin(10, pmax(1, round(7.1 + 0.35 * age_c + 1.2 * dist_eff + 0.3 * en_d + rnorm(n, 0, 1.4))))

txt <- function(x) as.character(x)
out <- data.frame(respnr = sprintf("R%04d", seq_len(n)), wijk = txt(wijk), weegfactor = sprintf("%.4f", weegfactor),
                  leeftijd = txt(leeftijd), geslacht = geslacht, taal = taal,
                  kan_telefoon = txt(kan_telefoon), kan_email = txt(kan_email), kan_balie = txt(kan_balie),
                  kan_chat = txt(kan_chat), stelling = txt(stelling), tevredenheid = txt(tevredenheid),
                  stringsAsFactors = FALSE)
# missing values: age code 999, sex code 9, empty item cells, empty stelling / tevredenheid
out$leeftijd[sample.int(n, 25)] <- "999"
out$geslacht[sample.int(n, 30)] <- "9"
for (it in c("kan_telefoon", "kan_email", "kan_balie", "kan_chat")) out[[it]][sample.int(n, 40)] <- ""
out$kan_chat[which(wijk == 10)[5]] <- ""                            # one empty item in district 10 as well
out$stelling[sample.int(n, 110)] <- ""
out$tevredenheid[sample.int(n, 150)] <- ""
# the EN old-women construction must survive the missing codes (a 999 only removes people from the cell)
stopifnot(sum(out$wijk == "10") == 13, all(out$kan_chat[out$wijk == "10"] %in% c("0", "")))
write.table(out, file.path(here, "data.csv"), sep = ",", quote = FALSE, row.names = FALSE, na = "")
cat("wrote", n, "rows to", file.path(here, "data.csv"), "\n")
