# Generates the "agency" fixture: a resident survey as a research agency delivers it, and the population
# figures a municipality gets from CBS / its own BRP extract. Run from anywhere (base R only; deterministic):
#   Rscript tests/reference/r/agency/make_data.R
#
# Writes, next to itself:
#   data.csv       3,500 respondents, ';' between fields, decimal comma, Windows-1252 (what Dutch Excel writes):
#                  an open-text column with bytes such as 0x80 (euro sign), 0x92 (right quote), 0xE9 (e acute),
#                  and a used categorical column with the code "\u00c9\u00e9n keer" (0xC9 0xE9).
#   bevolking.csv  population margins, long format: the crossed margin "gesl_stpr \u00d7 lftkl" (8 cells, total
#                  118,000) and wijk (8 districts, total 118,010: rounded figures that differ by 10).
#
# The design: strata = wijk (8 districts), an agency weight `weegfactor` with mean 1 (the agency's own
# nonresponse weight, scaled to the sample size), register variables gesl_stpr (sex; 9 = unknown in the register)
# and leeftijd (age; 999 = "weigert"), buurt (neighbourhood codes 101-812, nested in wijk), a 1-10 rating with
# 99 = "weet niet", a 1-5 question with 99 = "weet niet", a select-all question (1/0), the open text and a date.
# The sample over-represents women and the over-45s, so raking moves the estimates visibly.
args <- commandArgs(trailingOnly = FALSE)
f <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
set.seed(20261201)

# ---- population ------------------------------------------------------------------------------------------
N_wijk <- c(21450, 17320, 9880, 14610, 16240, 12890, 15370, 10250)            # sums to 118,010
stopifnot(sum(N_wijk) == 118010)
age_classes <- c("18-29", "30-44", "45-64", "65+")
# sex x age class (CBS publishes it crossed); rows: 1 = man, 2 = vrouw; sums to 118,000
pop_cross <- rbind(c(13350, 15120, 19870, 9980),
                   c(13010, 15240, 20160, 11270))
stopifnot(sum(pop_cross) == 118000)

# ---- sample ----------------------------------------------------------------------------------------------
n_wijk <- c(560, 470, 330, 420, 480, 400, 460, 380)                             # 3,500 respondents
stopifnot(sum(n_wijk) == 3500)
n <- sum(n_wijk)
wijk <- rep(seq_along(n_wijk), n_wijk)
buurten <- c(9, 8, 6, 8, 10, 7, 9, 12)                                          # 101..109, ..., 801..812
buurt <- wijk * 100 + vapply(wijk, function(h) sample.int(buurten[h], 1), integer(1))

sex <- ifelse(runif(n) < c(0.56, 0.55, 0.58, 0.54, 0.57, 0.55, 0.59, 0.56)[wijk], 2L, 1L)
# respondents are older than the population: 18-29 under-represented, 45+ over-represented
age_p <- rbind(c(0.08, 0.20, 0.40, 0.32), c(0.07, 0.19, 0.38, 0.36))
agecl <- vapply(seq_len(n), function(i) sample.int(4, 1, prob = age_p[sex[i], ]), integer(1))
leeftijd <- ifelse(agecl == 1, sample(18:29, n, TRUE),
            ifelse(agecl == 2, sample(30:44, n, TRUE),
            ifelse(agecl == 3, sample(45:64, n, TRUE), pmin(97L, 65L + as.integer(floor(rexp(n, 1 / 10)))))))

# the agency's weight: N_h / n_h times a nonresponse factor (by district only, so the age skew remains),
# scaled to mean 1
nr <- runif(n, 0.7, 1.4)
w0 <- (N_wijk / n_wijk)[wijk] * nr
weegfactor <- round(w0 / mean(w0), 6)

# answers depend on age, sex and district
a <- (leeftijd - 50) / 15
district <- c(0.3, -0.2, 0.1, -0.4, 0.2, 0, -0.1, 0.4)[wijk]
tevr <- pmin(10, pmax(1, round(7 + 0.35 * a + 0.25 * (sex == 2) + district + rnorm(n, 0, 1.3))))
veilig <- vapply(seq_len(n), function(i) {
  eta <- c(-2.5, -1.6, 0, 0.9 + 0.3 * a[i] + district[i], 0.2 - 0.4 * (sex[i] == 2) + district[i])
  sample.int(5, 1, prob = exp(eta))
}, integer(1))
kanaal_tel <- rbinom(n, 1, plogis(-0.8 + 0.6 * a - 0.2 * (sex == 1)))
kanaal_mail <- rbinom(n, 1, plogis(0.5 - 0.5 * a + 0.2 * (sex == 1)))
kanaal_web <- rbinom(n, 1, plogis(-0.3 - 0.7 * a + district))
gebruik_codes <- c("Nooit", "\u00c9\u00e9n keer", "Vaker")
gebruik <- gebruik_codes[vapply(seq_len(n), function(i)
  sample.int(3, 1, prob = exp(c(0, 0.2 - 0.3 * a[i], -0.4 - 0.5 * a[i]))), integer(1))]

# unknowns: the register's 9 for sex, "weigert" (999) for age, "weet niet" (99) for the questions
sex[sample.int(n, 22)] <- 9L
leeftijd[sample.int(n, 48)] <- 999L
tevr[sample.int(n, 170)] <- 99L
veilig[sample.int(n, 95)] <- 99L
gebruik[sample.int(n, 40)] <- ""

# open text: mostly empty; some remarks with characters outside ASCII (Windows-1252 in the file)
remarks <- c("Meer groen in de wijk", "Caf\u00e9 op de hoek is een aanwinst",
             "Parkeren kost \u20ac 5 per uur; te duur", "\u2019t Is hier prima wonen",
             "Naar m\u00e9\u00e9r bankjes gevraagd", "De na\u00efeve vraag: waarom geen bus?",
             "Overlast van scooters", "Prima", "Fietspad \u00fcberhaupt niet veilig")
opmerking <- ifelse(runif(n) < 0.18, sample(remarks, n, TRUE), "")
datum <- format(as.Date("2026-09-14") + sample.int(28, n, TRUE) - 1L, "%d-%m-%Y")

out <- data.frame(respnr = seq_len(n), wijk = wijk, buurt = buurt, gesl_stpr = sex, leeftijd = leeftijd,
                  weegfactor = formatC(weegfactor, format = "f", digits = 6, decimal.mark = ","),
                  tevr_woonomg = tevr, veilig = veilig, kanaal_tel = kanaal_tel, kanaal_mail = kanaal_mail,
                  kanaal_web = kanaal_web, gebruik = gebruik, opmerking = opmerking, datum = datum,
                  stringsAsFactors = FALSE)
# Written as Excel writes it: no quotes except around a field that holds the delimiter (the open text),
# CRLF line ends; empty cells are empty.
write_survey <- function(path, encoding) {
  cells <- lapply(out, as.character)
  cells$opmerking <- ifelse(grepl(";", cells$opmerking, fixed = TRUE), paste0('"', cells$opmerking, '"'),
                            cells$opmerking)
  lines <- c(paste(names(out), collapse = ";"), do.call(paste, c(cells, sep = ";")))
  text <- paste0(paste(lines, collapse = "\r\n"), "\r\n")
  bytes <- iconv(text, from = "UTF-8", to = encoding, toRaw = TRUE)[[1]]
  stopifnot(!is.null(bytes))
  writeBin(bytes, path)
}
write_survey(file.path(here, "data.csv"), "CP1252")

# ---- population file: the crossed margin first (its total, 118,000, is the one every margin is scaled to)
cross <- data.frame(variable = "gesl_stpr \u00d7 lftkl",
                    code = paste(rep(1:2, each = 4), "\u00d7", rep(age_classes, 2)),
                    count = as.vector(t(pop_cross)))
marg <- rbind(cross, data.frame(variable = "wijk", code = as.character(seq_along(N_wijk)), count = N_wijk))
con <- file(file.path(here, "bevolking.csv"), open = "w", encoding = "UTF-8")
write.table(marg, con, sep = ";", row.names = FALSE, quote = FALSE)
close(con)
cat("wrote", n, "respondents; weegfactor sums to", sum(weegfactor), "\n")
