# R survey reference values for weighting an agency delivery: a mean-1 agency weight, unknown values on the
# weighting variables, a crossed margin, margins whose totals differ by rounding, trimming.
# Fixture: data.csv (Windows-1252), bevolking.csv (make_data.R); the codebook is codebook.toml.
# Run from anywhere:  Rscript tests/reference/r/agency/reference.R
# Writes, next to itself, for each design D in rake, linear, logit, trim:
#   D_weights.csv (respnr, weight) and D_expected.csv (the format of ../README.md, with the two changes for
#   calibrated designs that ../weighting/README.md describes: n = rows of the domain, na.rm = TRUE),
# and log.txt (every cross-check, R's own messages). Formats and findings: README.md.
{
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
}
# compare_common.R sources ../common.R (read_raw, as_*, fmt17, lonely.psu = "adjust") and brings logmsg,
# same, check, passed, write_log.
source(file.path(here, "..", "compare", "compare_common.R"))

# ---------------------------------------------------------------------------------------------------------
# Codebook values (codebook.toml says the same)
EPS <- 1e-10; MAXIT <- 100           # [weighting] epsilon, max_iterations
LOGIT_BOUNDS <- c(0.3, 4)            # logit: bounds
TRIM <- c(0.45, 3)                   # trim: trim
CROSS <- "gesl_stpr \u00d7 lftkl"    # the crossed margin's name in bevolking.csv
age_bins <- list(list(label = "18-29", min = 18, max = 29), list(label = "30-44", min = 30, max = 44),
                 list(label = "45-64", min = 45, max = 64), list(label = "65+", min = 65))
age_codes <- sapply(age_bins, `[[`, "label")
sex_codes <- c("1", "2")
wijk_codes <- as.character(1:8)
veilig_codes <- as.character(1:5)
gebruik_codes <- c("Nooit", "\u00c9\u00e9n keer", "Vaker")
items <- c("kanaal_tel", "kanaal_mail", "kanaal_web")

# ---------------------------------------------------------------------------------------------------------
# Data: read as Windows-1252 (the file's encoding), every column as text first
raw <- read.table(file.path(here, "data.csv"), header = TRUE, sep = ";", quote = "\"", colClasses = "character",
                  na.strings = character(0), comment.char = "", check.names = FALSE, fileEncoding = "CP1252")
n_all <- nrow(raw)
gesl <- as_cat(raw$gesl_stpr, sex_codes, missing = "9", name = "gesl_stpr")
leeftijd <- as_num(raw$leeftijd, missing = "999")
lftkl <- as_bins(leeftijd, age_bins)
wijk <- as_cat(raw$wijk, wijk_codes, name = "wijk")
weegfactor <- as_num(raw$weegfactor, dec = ",")
stopifnot(!anyNA(wijk), !anyNA(weegfactor), all(weegfactor > 0))
# the crossed margin as one factor (R: the interaction), unknown when either part is unknown
cross_levels <- c(paste(rep(sex_codes, each = 4), "\u00d7", rep(age_codes, 2)), "unknown")
cross <- ifelse(is.na(gesl) | is.na(lftkl), "unknown", paste(gesl, "\u00d7", lftkl))
d <- data.frame(respnr = as.integer(raw$respnr), wijk = factor(wijk, levels = wijk_codes),
                cross = factor(cross, levels = cross_levels), weegfactor = weegfactor,
                gesl = gesl, lftkl = lftkl, stringsAsFactors = FALSE)
stopifnot(!anyNA(d$cross))
for (it in items) d[[it]] <- as_item(raw[[it]], "1")
veilig <- as_cat(raw$veilig, veilig_codes, missing = "99", name = "veilig")
for (code in veilig_codes) d[[paste0("veilig_", code)]] <- ifelse(is.na(veilig), NA, as.numeric(veilig == code))
gebruik <- as_cat(raw$gebruik, gebruik_codes, name = "gebruik")
for (k in seq_along(gebruik_codes))
  d[[paste0("gebruik_", k)]] <- ifelse(is.na(gebruik), NA, as.numeric(gebruik == gebruik_codes[k]))
d$tevr_woonomg <- as_num(raw$tevr_woonomg, missing = "99")
logmsg(sprintf("R %s, survey %s; %d respondents; weegfactor sums to %s (mean %s)", getRversion(),
               packageVersion("survey"), n_all, fmt17(sum(weegfactor)), fmt17(mean(weegfactor))))
logmsg(sprintf("unknown on the crossed margin: %d respondents (gesl_stpr 9: %d, leeftijd 999: %d)",
               sum(d$cross == "unknown"), sum(is.na(gesl)), sum(is.na(leeftijd))))

# ---------------------------------------------------------------------------------------------------------
# Population: margins scaled to the first margin's total; the unknown category's count is the population
# total times the unknowns' design-weighted share, the known counts scaled by (1 - share)
marg <- read.table(file.path(here, "bevolking.csv"), sep = ";", header = TRUE, quote = "", fileEncoding = "UTF-8",
                   colClasses = c("character", "character", "numeric"))
mc <- marg[marg$variable == CROSS, ]
mw <- marg[marg$variable == "wijk", ]
stopifnot(identical(mc$code, cross_levels[-9]), identical(mw$code, wijk_codes))
N <- sum(mc$count)
logmsg(sprintf("margin totals: %s %s, wijk %s (relative difference %s); wijk scaled by %s", CROSS,
               fmt17(N), fmt17(sum(mw$count)), fmt17((sum(mw$count) - N) / N), fmt17(N / sum(mw$count))))
share <- sum(weegfactor[d$cross == "unknown"]) / sum(weegfactor)
cross_counts <- c(mc$count * (1 - share), N * share)
wijk_counts <- mw$count * (N / sum(mw$count))
logmsg(sprintf("unknown share (design-weighted) %s: population count of 'unknown' %s", fmt17(share),
               fmt17(N * share)))
pop <- c(`(Intercept)` = N, setNames(cross_counts[-1], paste0("cross", cross_levels[-1])),
         setNames(wijk_counts[-1], paste0("wijk", wijk_codes[-1])))
stopifnot(identical(names(pop), colnames(model.matrix(~cross + wijk, d))))
stopifnot(abs(sum(cross_counts) - N) < 1e-9 * N, abs(sum(wijk_counts) - N) < 1e-9 * N)

# ---------------------------------------------------------------------------------------------------------
# Designs. The agency weight sums to n = 3,500; the population to 118,000.
base_raw <- svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, data = d)
d$scaled <- weegfactor * N / sum(weegfactor)
base <- svydesign(ids = ~1, strata = ~wijk, weights = ~scaled, data = d)
cal <- function(des, calfun, ...) calibrate(des, ~cross + wijk, pop, calfun = calfun, epsilon = EPS,
                                            maxit = MAXIT, ...)

# (1) R's calibrate from the mean-1 weight fails: Newton from lambda = 0 with weights 34 times too small
r_raw <- tryCatch(withCallingHandlers(cal(base_raw, "raking"), warning = function(w) {
  logmsg("R warning [raking from the mean-1 weight]: ", conditionMessage(w)); invokeRestart("muffleWarning")
}), error = function(e) { logmsg("R error [raking from the mean-1 weight]: ", conditionMessage(e)); NULL })
check(is.null(r_raw), "calibrate(calfun = 'raking') fails from the unscaled agency weight")
passed()

designs <- list(rake = cal(base, "raking"),
                linear = cal(base, "linear"),
                logit = cal(base, "logit", bounds = LOGIT_BOUNDS),
                trim = suppressMessages(cal(base, "raking", trim = TRIM)))

# (2) raking's weights do not depend on the scale of the starting weights: rake() (IPF) from the mean-1
# weight gives calibrate's weights on the rescaled design
margins_list <- list(data.frame(cross = factor(cross_levels, levels = cross_levels), Freq = cross_counts),
                     data.frame(wijk = factor(wijk_codes, levels = wijk_codes), Freq = wijk_counts))
rk <- rake(base_raw, list(~cross, ~wijk), margins_list, control = list(maxit = 2000, epsilon = 1e-10))
logmsg(sprintf("rake() from the mean-1 weight vs calibrate(raking) on the rescaled design: max relative weight difference %s",
               fmt17(max(abs(weights(rk) - weights(designs$rake)) / weights(designs$rake)))))
check(same(weights(rk), weights(designs$rake), 1e-9), "rake() == calibrate(raking) on the rescaled design")
# linear (GREG) with an intercept is scale-free too
lin_raw <- cal(base_raw, "linear")
check(same(weights(lin_raw), weights(designs$linear), 1e-12), "linear from the mean-1 weight == on the rescaled design")
passed(2)

# (3) the calibration equations hold (R's own check: |T - T_hat| / (1 + |T|) < epsilon over the model columns)
X <- model.matrix(~cross + wijk, d)
for (nm in c("rake", "linear", "logit")) {
  w <- weights(designs[[nm]])
  misfit <- max(abs(pop - colSums(X * w)) / (1 + abs(pop)))
  g <- w / d$scaled
  logmsg(sprintf("%-6s calibration misfit %.3g; g = weight / (weegfactor x N / sum) in [%s, %s]; design effect of weighting %s",
                 nm, misfit, fmt17(min(g)), fmt17(max(g)), fmt17(n_all * sum(w^2) / sum(w)^2)))
  check(misfit < EPS, paste(nm, "converged"))
  check(degf(designs[[nm]]) == degf(base), paste(nm, "calibration does not change degf"))
}
passed(6)

# (4) trim = c(L, U) of calibrate(): g outside [L, U] set to the bound, the trimmed weight shared out over
# the other respondents in proportion to their design weight (g + sum((g - g')d) / sum_untrimmed(d)), once
g <- weights(designs$rake) / d$scaled
gt <- pmax(TRIM[1], pmin(g, TRIM[2]))
outside <- g < TRIM[1] | g > TRIM[2]
gt[!outside] <- gt[!outside] + sum((g - gt) * d$scaled) / sum(d$scaled[!outside])
check(same(gt * d$scaled, weights(designs$trim), 1e-13), "trim: own formula == calibrate(trim = )")
logmsg(sprintf("trim [%s, %s]: %d respondents trimmed (%d below, %d above); after trimming g in [%s, %s]; the margins then miss by up to %.3g (relative)",
               TRIM[1], TRIM[2], sum(outside), sum(g < TRIM[1]), sum(g > TRIM[2]),
               fmt17(min(gt)), fmt17(max(gt)),
               max(abs(pop - colSums(X * weights(designs$trim))) / pop)))
passed()

# ---------------------------------------------------------------------------------------------------------
# Weights
for (nm in names(designs)) {
  out <- data.frame(respnr = d$respnr, weight = fmt17(weights(designs[[nm]])))
  write.csv(out, file.path(here, paste0(nm, "_weights.csv")), row.names = FALSE, quote = FALSE)
}

# ---------------------------------------------------------------------------------------------------------
# Estimates: ../common.R's reference_block_w (n = rows in the domain; na.rm = TRUE, because the rows outside
# a domain stay in a calibrated design with weight 0)
by_wijk_lftkl <- list(wijk = list(values = wijk, groups = wijk_codes),
                      lftkl = list(values = lftkl, groups = age_codes))
by_gesl <- list(gesl_stpr = list(values = gesl, groups = sex_codes))
by_wijk <- list(wijk = list(values = wijk, groups = wijk_codes))
by_lftkl <- list(lftkl = list(values = lftkl, groups = age_codes))
blocks <- c(lapply(veilig_codes, function(code) list(ycol = paste0("veilig_", code), variable = "veilig",
                                                     category = code, by = by_wijk_lftkl, kind = "prop")),
            lapply(items, function(it) list(ycol = it, variable = "kanaal", category = it, by = by_gesl,
                                            kind = "prop")),
            list(list(ycol = "tevr_woonomg", variable = "tevr_woonomg", category = "", by = by_wijk,
                      kind = "mean")),
            lapply(seq_along(gebruik_codes), function(k) list(ycol = paste0("gebruik_", k), variable = "gebruik",
                                                              category = gebruik_codes[k], by = by_lftkl,
                                                              kind = "prop")))
for (nm in names(designs)) {
  rows <- do.call(rbind, lapply(blocks, function(b)
    withCallingHandlers(reference_block_w(designs[[nm]], b$ycol, b$variable, b$category, b$by, b$kind),
                        warning = function(w) invokeRestart("muffleWarning"))))
  con <- file(file.path(here, paste0(nm, "_expected.csv")), open = "w", encoding = "UTF-8")
  write.csv(rows, con, row.names = FALSE, quote = c(1, 2, 3, 4, 10), na = "")
  close(con)
  logmsg(sprintf("%s_expected.csv: %d rows", nm, nrow(rows)))
}

# (5) the calibrated variance: enquete's formula (regress z / w on the model with the design weights over all
# rows, z* = w (u - x'B)) reproduces R's SE on every domain of the kanaal block
strat_var <- function(z) {
  n_h <- as.vector(table(d$wijk))[as.integer(d$wijk)]
  sum(n_h / (n_h - 1) * (z - ave(z, d$wijk))^2)
}
for (nm in names(designs)) {
  wf <- weights(designs[[nm]])
  for (it in items) for (code in c(NA, sex_codes)) {
    y <- d[[it]]
    mk <- !is.na(y) & (if (is.na(code)) TRUE else (!is.na(gesl) & gesl == code))
    ybar <- sum(wf[mk] * y[mk]) / sum(wf[mk])
    z <- numeric(n_all); z[mk] <- wf[mk] * (y[mk] - ybar) / sum(wf[mk])
    sv <- sqrt(d$scaled)
    u <- z / wf
    zs <- wf * drop(qr.resid(qr(X * sv), u * sv)) / sv
    se_r <- SE(svymean(as.formula(paste0("~", it)), designs[[nm]][mk, ], na.rm = TRUE))[[1]]
    check(same(sqrt(strat_var(zs)), se_r, 1e-10), paste(nm, it, code, "own calibrated SE == R"))
    passed()
  }
}
logmsg(sprintf("all %d cross-checks passed", .checks$n))
write_log(file.path(here, "log.txt"), "agency fixture: R survey reference (reference.R)")
