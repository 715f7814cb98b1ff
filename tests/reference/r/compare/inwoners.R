# Comparison (svyglm) and Rao-Scott (svychisq) references for the bundled sample format ("inwonersenquete").
# Usage:  Rscript tests/reference/r/compare/inwoners.R DATA.csv PREFIX
#   writes PREFIX_compare.csv, PREFIX_test.csv and PREFIX_log.txt (PREFIX may contain a directory).
# Data reading, codebook semantics and design exactly as tests/reference/r/inwonersenquete.R:
# svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor), lonely.psu = "adjust"; nest = FALSE unless
# INWONERS_NEST=TRUE (same design: without clusters the row ids 1..n are unique; nest = FALSE is faster).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript inwoners.R DATA.csv PREFIX")
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
source(file.path(here, "compare_common.R"))
prefix <- args[2]
t0 <- proc.time()[["elapsed"]]

raw <- read_raw(args[1], sep = ";", dec = ",")
items <- c("kan_telefoon", "kan_email", "kan_webformulier", "kan_balie", "kan_whatsapp", "kan_chat", "kan_video")
info_codes <- as.character(1:6)
bins <- list(list(label = "18-29", min = 18, max = 29), list(label = "30-44", min = 30, max = 44),
             list(label = "45-54", min = 45, max = 54), list(label = "55-64", min = 55, max = 64),
             list(label = "65+", min = 65))
age_codes <- sapply(bins, `[[`, "label")
taal_codes <- c("NL", "EN")

d <- data.frame(wijk = raw$wijk, weegfactor = as_num(raw$weegfactor, dec = ","))
leeftijd <- as_num(raw$leeftijd, dec = ",", missing = "999")
leeftijdsgroep <- as_bins(leeftijd, bins)
taal <- as_cat(raw$taal, taal_codes, name = "taal")
info <- as_cat(raw$info, info_codes, missing = "99", name = "info")
for (code in info_codes) d[[paste0("info_", code)]] <- ifelse(is.na(info), NA, as.numeric(info == code))
for (it in items) d[[it]] <- as_item(raw[[it]], "1")
d$tevredenheid <- as_num(raw$tevredenheid, dec = ",")
d$cijfer_telefoon <- as_num(raw$cijfer_telefoon, dec = ",")
rm(raw)

nest <- identical(Sys.getenv("INWONERS_NEST"), "TRUE")
des <- svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, nest = nest, data = d)
t_read <- proc.time()[["elapsed"]] - t0

# A. comparisons, in this order for every variable/category
comparisons <- list(
  list(between = "taal", g = taal, glev = taal_codes, std = NULL),
  list(between = "taal", g = taal, glev = taal_codes,
       std = list(name = "leeftijdsgroep", values = leeftijdsgroep, levels = age_codes)),
  list(between = "leeftijdsgroep", g = leeftijdsgroep, glev = age_codes, std = NULL))
ys <- c(lapply(items, function(it) list("kanaal", it, d[[it]])),
        lapply(info_codes, function(code) list("info", code, d[[paste0("info_", code)]])),
        list(list("tevredenheid", "", d$tevredenheid)),
        list(list("cijfer_telefoon", "", d$cijfer_telefoon)))
crows <- list()
for (y in ys) for (cmp in comparisons)
  crows <- c(crows, compare_block(des, y[[3]], y[[1]], y[[2]], cmp$between, cmp$g, cmp$glev, cmp$std))
write_compare(crows, paste0(prefix, "_compare.csv"))
t_cmp <- proc.time()[["elapsed"]] - t0 - t_read

# B. Rao-Scott tests: tables kanaal and info (tevredenheid, cijfer_telefoon are numeric), by leeftijdsgroep, taal
bys <- list(leeftijdsgroep = list(values = leeftijdsgroep, levels = age_codes),
            taal = list(values = taal, levels = taal_codes))
trows <- list()
for (it in items) for (bn in names(bys))
  trows[[length(trows) + 1]] <- test_block(des, as.character(d[[it]]), c("0", "1"), "kanaal", it, bn,
                                           bys[[bn]]$values, bys[[bn]]$levels)
for (bn in names(bys))
  trows[[length(trows) + 1]] <- test_block(des, info, info_codes, "info", "", bn, bys[[bn]]$values, bys[[bn]]$levels)
write_test(trows, paste0(prefix, "_test.csv"))
el <- proc.time()[["elapsed"]] - t0
t_test <- el - t_read - t_cmp
write_log(paste0(prefix, "_log.txt"),
          sprintf("%s: %d respondents, nest = %s; elapsed %.1f s (read + design %.1f s, comparisons %.1f s, tests %.1f s)",
                  basename(args[1]), nrow(d), nest, el, t_read, t_cmp, t_test))
message(sprintf("done in %.1f s (read %.1f, comparisons %.1f, tests %.1f)", el, t_read, t_cmp, t_test))
