# Deterministic generator of the monitor fixture (held-out data for scale scores, quantiles, totals,
# benchmarks, response rates and statement batteries) -> data.csv, marges.csv, uitgenodigd.csv,
# benchmark.csv. Run from anywhere:  Rscript tests/reference/r/monitor/make_data.R
# Design: strata = wijk "1".."6", clusters = buurt (2-4 per district, ids "1".."4" reused across
# districts: nested), design weight = gewicht (varies within strata). ';' delimiter, decimal comma.
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
set.seed(20261207)

sizes <- c(380, 340, 320, 300, 260, 200)                 # respondents per district; 1,800
pop <- c(24000, 19500, 21000, 15500, 12800, 7200)         # adults per district (fpc, margins)
buurten <- c(4, 3, 4, 3, 2, 2)                            # PSUs per district
n <- sum(sizes)
wijk <- rep(1:6, times = sizes)
buurt <- unlist(lapply(1:6, function(h) sample(rep(1:buurten[h], length.out = sizes[h]))))
gewicht <- round((pop / sizes)[wijk] * runif(n, 0.6, 1.5), 4)

geslacht <- ifelse(runif(n) < 0.55, "2", "1")
leeftijd <- round(18 + 72 * rbeta(n, 1.6, 1.5))
taal <- ifelse(runif(n) < ifelse(leeftijd < 35, 0.07, 0.015), "EN", "NL")
age_c <- (leeftijd - 50) / 20
buurt_eff <- c(0.25, -0.1, 0.15, -0.3)[buurt] + c(0.2, 0, -0.15, 0.1, -0.25, 0.3)[wijk]

# Statement battery st_1..st_5 on social cohesion: 1 = helemaal mee eens ... 5 = helemaal mee oneens,
# 9 = weet niet. One latent attitude per respondent, so the items correlate (Cronbach's alpha ~0.7);
# st_2 and st_4 are worded negatively (reversed in the scale).
latent <- 0.6 * age_c + buurt_eff + rnorm(n, 0, 0.9)
item <- function(sign, shift) {
  x <- round(3 - sign * latent + shift + rnorm(n, 0, 0.8))
  x <- pmin(5, pmax(1, x))
  x[runif(n) < 0.05] <- 9                                  # weet niet
  x
}
st <- list(item(1, 0.2), item(-1, 0), item(1, -0.3), item(-1, 0.4), item(1, 0))
# vg_1..vg_3: feelings of safety on 1-5 (1 = nooit onveilig ... 5 = vaak onveilig), numeric items.
unsafe <- -0.5 * buurt_eff + 0.4 * (taal == "EN") + rnorm(n, 0, 0.7)
vg <- lapply(c(0, 0.3, -0.2), function(s) pmin(5, pmax(1, round(2.4 + unsafe + s + rnorm(n, 0, 0.8)))))

cijfer <- pmin(10, pmax(1, round(7 + 0.3 * age_c + 0.8 * buurt_eff + rnorm(n, 0, 1.3))))
woonlasten <- round(exp(6.75 + 0.12 * age_c + 0.2 * (wijk <= 2) + rnorm(n, 0, 0.35)), 2)
vervoer <- sapply(seq_len(n), function(i) sample(1:4, 1, prob = c(0.35 + 0.1 * age_c[i] * (age_c[i] > 0),
                                                                  0.35, 0.2, 0.1)))
voorz <- lapply(c(-0.4, -1.0, 0.3), function(b) as.numeric(runif(n) < 1 / (1 + exp(-(b - 0.4 * age_c)))))

txt <- function(x) as.character(x)
dec <- function(x, d) gsub(".", ",", sprintf(paste0("%.", d, "f"), x), fixed = TRUE)
out <- data.frame(respnr = sprintf("M%04d", seq_len(n)), wijk = txt(wijk), buurt = txt(buurt),
                  wijk_n = txt(pop[wijk]), gewicht = dec(gewicht, 4), leeftijd = txt(leeftijd),
                  geslacht = geslacht, taal = taal,
                  st_1 = txt(st[[1]]), st_2 = txt(st[[2]]), st_3 = txt(st[[3]]), st_4 = txt(st[[4]]),
                  st_5 = txt(st[[5]]), vg_1 = txt(vg[[1]]), vg_2 = txt(vg[[2]]), vg_3 = txt(vg[[3]]),
                  cijfer = txt(cijfer), woonlasten = dec(woonlasten, 2), vervoer = txt(vervoer),
                  voorz_sport = txt(voorz[[1]]), voorz_cultuur = txt(voorz[[2]]), voorz_groen = txt(voorz[[3]]),
                  stringsAsFactors = FALSE)
# missing values: empty statements (some respondents skip the whole battery), "99" = weet niet for
# vervoer, 9999 = onbekend for woonlasten, empty ratings and items
skip_battery <- sample.int(n, 40)
for (k in 1:5) {
  v <- paste0("st_", k)
  out[[v]][sample.int(n, 30)] <- ""
  out[[v]][skip_battery] <- ""
}
for (k in 1:3) out[[paste0("vg_", k)]][sample.int(n, 45)] <- ""
out$cijfer[sample.int(n, 90)] <- ""
out$woonlasten[sample.int(n, 70)] <- "9999"
out$woonlasten[sample.int(n, 40)] <- ""
out$vervoer[sample.int(n, 55)] <- "99"
for (v in c("voorz_sport", "voorz_cultuur", "voorz_groen")) out[[v]][sample.int(n, 35)] <- ""
write.table(out, file.path(here, "data.csv"), sep = ";", quote = FALSE, row.names = FALSE, na = "")

# Population margins for raking (variable;code;count): sex, age group, district.
agegroup <- cut(leeftijd, c(17, 34, 54, 74, 120), labels = c("18-34", "35-54", "55-74", "75+"))
total <- sum(pop)
marges <- data.frame(variable = c("geslacht", "geslacht", rep("leeftijdsgroep", 4), rep("wijk", 6)),
                     code = c("1", "2", "18-34", "35-54", "55-74", "75+", txt(1:6)),
                     count = c(round(total * 0.49), total - round(total * 0.49),
                               round(total * c(0.31, 0.33, 0.26)), 0, pop))
marges$count[6] <- total - sum(marges$count[3:5])
write.table(marges, file.path(here, "marges.csv"), sep = ";", quote = FALSE, row.names = FALSE)

# The gross sample (invited) per district, for response rates.
invited <- data.frame(variable = "wijk", code = txt(1:6), invited = c(1450, 1420, 1180, 1390, 1010, 640))
write.table(invited, file.path(here, "uitgenodigd.csv"), sep = ";", quote = FALSE, row.names = FALSE)

# External benchmarks (table;variable;category;value;se): the "national" figures.
bench <- data.frame(
  table = c("cijfer", "cohesie", "vervoer", "vervoer", "stellingen", "stellingen", "voorzieningen"),
  variable = c("", "", "", "", "st_1", "st_3", ""),
  category = c("", "", "1", "2", "1+2", "1+2", "voorz_sport"),
  value = c("7,1", "5,6", "0,41", "0,33", "0,52", "0,47", "0,40"),
  se = c("0,03", "", "0,008", "", "", "0,012", ""))
write.table(bench, file.path(here, "benchmark.csv"), sep = ";", quote = FALSE, row.names = FALSE)
cat("wrote", n, "rows to", file.path(here, "data.csv"), "\n")
