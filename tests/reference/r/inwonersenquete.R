# R survey reference values for the project's bundled sample format ("inwonersenquete").
# Usage (from the repository root):
#   Rscript tests/reference/r/inwonersenquete.R DATA.csv EXPECTED.csv [methods] [levels]
#     methods: comma list of svyciprop methods, default "logit,beta,asin,mean,xlogit"
#     levels:  comma list of confidence levels, default "0.95"
# Input: ";"-delimited, decimal comma, header
#   respondent;leeftijd;geslacht;taal;wijk;weegfactor;kan_telefoon;kan_email;kan_webformulier;kan_balie;
#   kan_whatsapp;kan_chat;kan_video;info;tevredenheid;cijfer_telefoon;invuldatum
# Design: svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, nest = TRUE), lonely.psu = "adjust".
# leeftijd 999 = missing; leeftijdsgroep bins (inclusive) 18-29, 30-44, 45-54, 55-64, 65+; taal NL/EN;
# kanaal = multi over kan_* ("1" selected, "0" not, empty missing); info codes 1..6, 99 missing;
# tevredenheid, cijfer_telefoon numeric (empty missing). Tables: kanaal, info, tevredenheid,
# cijfer_telefoon, each by leeftijdsgroep and taal. Output format: tests/reference/r/README.md.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript inwonersenquete.R DATA.csv EXPECTED.csv [methods] [levels]")
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
source(file.path(here, "common.R"))
methods <- if (length(args) >= 3) strsplit(args[3], ",")[[1]] else c("logit", "beta", "asin", "mean", "xlogit")
levs <- if (length(args) >= 4) strsplit(args[4], ",")[[1]] else "0.95"
levels <- setNames(rep(list(methods), length(levs)), as.character(as.numeric(levs)))

t0 <- proc.time()[["elapsed"]]
raw <- read_raw(args[1], sep = ";", dec = ",")
items <- c("kan_telefoon", "kan_email", "kan_webformulier", "kan_balie", "kan_whatsapp", "kan_chat", "kan_video")
info_codes <- as.character(1:6)
bins <- list(list(label = "18-29", min = 18, max = 29), list(label = "30-44", min = 30, max = 44),
             list(label = "45-54", min = 45, max = 54), list(label = "55-64", min = 55, max = 64),
             list(label = "65+", min = 65))

d <- data.frame(wijk = raw$wijk, weegfactor = as_num(raw$weegfactor, dec = ","))
leeftijd <- as_num(raw$leeftijd, dec = ",", missing = "999")
leeftijdsgroep <- as_bins(leeftijd, bins)
taal <- as_cat(raw$taal, c("NL", "EN"), name = "taal")
info <- as_cat(raw$info, info_codes, missing = "99", name = "info")
for (code in info_codes) d[[paste0("info_", code)]] <- ifelse(is.na(info), NA, as.numeric(info == code))
for (it in items) d[[it]] <- as_item(raw[[it]], "1")
d$tevredenheid <- as_num(raw$tevredenheid, dec = ",")
d$cijfer_telefoon <- as_num(raw$cijfer_telefoon, dec = ",")
rm(raw)

# No clusters: every row is its own PSU with a unique id 1..n, so nest = TRUE and nest = FALSE give the same
# design. nest = FALSE keeps the ids integer; nest = TRUE turns them into an n-level factor that makes
# survey's rowsum() cost O(n) per stratum even for small domains (10x slower at 20,000 rows).
# Set INWONERS_NEST=TRUE to run the schema's literal call (identical output, checked in README).
nest <- identical(Sys.getenv("INWONERS_NEST"), "TRUE")
des <- svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, nest = nest, data = d)
byvars <- list(leeftijdsgroep = list(values = leeftijdsgroep, groups = sapply(bins, `[[`, "label")),
               taal = list(values = taal, groups = c("NL", "EN")))

out <- list()
for (it in items)
  out[[length(out) + 1]] <- reference_block(des, it, "kanaal", it, byvars, methods = methods, levels = levels)
for (code in info_codes)
  out[[length(out) + 1]] <- reference_block(des, paste0("info_", code), "info", code, byvars,
                                            methods = methods, levels = levels)
for (v in c("tevredenheid", "cijfer_telefoon"))
  out[[length(out) + 1]] <- reference_block(des, v, v, "", byvars, kind = "mean", levels = levels)
rows <- do.call(rbind, out)
write_reference(rows, args[2])
message(sprintf("wrote %d rows to %s (%d respondents, %.1f s)", nrow(rows), args[2], nrow(d),
                proc.time()[["elapsed"]] - t0))
