# Extra R survey references (R 4.2.2, survey 4.1.1):
#  1. std_rake_compare.csv, std_poststratify_compare.csv: taal NL vs EN standardised by leeftijdsgroep on the
#     CALIBRATED designs of ../weighting (svystandardize of the calibrated design), + std_variance_check.csv
#  2. rest_domains.csv (../domains fixture), rest_rake.csv (../weighting rake design): each group against the rest
#  3. data_zero.csv (../weighting/data.csv with 20 design weights set to 0) and poststratify_zero.csv
#     (its post-stratified design, expected.csv format, logit and mean at 0.95)
#  plus log.txt (cross-checks, measured differences). Deterministic: a rerun is byte-identical (no timings).
# Run from anywhere:  Rscript tests/reference/r/extra/reference.R      Formats and findings: README.md here.
{
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
}
# compare_common.R sources ../common.R (read_raw, as_*, fmt17, write_reference, lonely.psu = "adjust") and
# brings pair_rows, check_svyby_contrasts, write_compare, same, check, logmsg, passed, write_log.
source(file.path(here, "..", "compare", "compare_common.R"))
wdir <- file.path(here, "..", "weighting")
ddir <- file.path(here, "..", "domains")
stopifnot(getRversion() == "4.2.2", packageVersion("survey") == "4.1.1")
logmsg(sprintf("R %s, survey %s; lonely.psu = %s", getRversion(), packageVersion("survey"),
               getOption("survey.lonely.psu")))

zero_weight_warning <- "observations with zero weight not used for calculating dispersion"
.seen <- new.env(); .seen$keys <- character(0)
# warnings: logged once per context (glm's zero-weight note on calibrated subsets is expected and not logged),
# muffled; errors stop the script (no R error is expected anywhere here)
logged <- function(expr, context) withCallingHandlers(expr,
  warning = function(w) {
    key <- paste0(context, ": ", conditionMessage(w))
    if (!grepl(zero_weight_warning, conditionMessage(w), fixed = TRUE) && !(key %in% .seen$keys)) {
      .seen$keys <- c(.seen$keys, key)
      logmsg("R warning [", context, "]: ", conditionMessage(w))
    }
    invokeRestart("muffleWarning")
  })
num <- function(x) as.numeric(ifelse(x == "", NA, x))
relmax <- function(a, b) max(abs(a - b) / abs(b))

# stratified variance of influence values z (one value per row of the WHOLE file; no clusters):
# V = sum_h n_h/(n_h - 1) sum_{i in h} (z_i - zbar_h)^2, n_h = rows of stratum h in the whole file
strat_var <- function(z, strata) {
  nh <- ave(rep(1, length(z)), strata, FUN = sum)
  zc <- z - ave(z, strata)
  sum(nh / (nh - 1) * zc^2)
}
# u - X B with B = argmin sum v (u - X B)^2 (pivoted QR; v > 0)
resid_wls <- function(u, X, v) {
  sv <- sqrt(v)
  drop(qr.resid(qr(X * sv), u * sv)) / sv
}

# =============================================================================================================
# Weighting fixture: reading exactly as ../weighting/reference.R
wijk_codes <- as.character(1:6); sex_codes <- c("1", "2"); taal_codes <- c("NL", "EN")
info_codes <- as.character(1:4)
w_bins <- list(list(label = "18-34", min = 18, max = 34), list(label = "35-54", min = 35, max = 54),
               list(label = "55-64", min = 55, max = 64), list(label = "65+", min = 65))
w_age_codes <- sapply(w_bins, `[[`, "label")
w_items <- c("kan_telefoon", "kan_email", "kan_balie", "kan_whatsapp")
read_weighting <- function(path) {
  raw <- read_raw(path, sep = ";", dec = ",")
  leeftijd <- as_num(raw$leeftijd, dec = ",")
  stopifnot(!anyNA(leeftijd))
  info <- as_cat(raw$info, info_codes, missing = "99", name = "info")
  d <- data.frame(respnr = as.integer(raw$respnr),
                  wijk = factor(as_cat(raw$wijk, wijk_codes, name = "wijk"), levels = wijk_codes),
                  wijk_n = as_num(raw$wijk_n, dec = ","),
                  ontwerpgewicht = as_num(raw$ontwerpgewicht, dec = ","),
                  geslacht = factor(as_cat(raw$geslacht, sex_codes, name = "geslacht"), levels = sex_codes),
                  leeftijdsgroep = factor(as_bins(leeftijd, w_bins), levels = w_age_codes),
                  taal = as_cat(raw$taal, taal_codes, name = "taal"), stringsAsFactors = FALSE)
  stopifnot(!anyNA(d))
  for (it in w_items) d[[it]] <- as_item(raw[[it]], "1")
  for (code in info_codes) d[[paste0("info_", code)]] <- ifelse(is.na(info), NA, as.numeric(info == code))
  d$tevredenheid <- as_num(raw$tevredenheid, dec = ",")
  d
}
wd_data <- read_weighting(file.path(wdir, "data.csv"))
n_w <- nrow(wd_data)
marges <- read.table(file.path(wdir, "marges.csv"), sep = ";", header = TRUE, quote = "",
                     colClasses = c("character", "character", "numeric"))
cellen <- read.table(file.path(wdir, "cellen.csv"), sep = ";", header = TRUE, quote = "",
                     colClasses = c("character", "character", "numeric"), check.names = FALSE)
cal_vars <- c("geslacht", "leeftijdsgroep", "wijk")
N_pop <- sum(cellen$count)
pop_cal <- c(`(Intercept)` = N_pop)
for (v in cal_vars) {
  lev <- levels(wd_data[[v]]); mv <- marges[marges$variable == v, ]
  stopifnot(setequal(mv$code, lev))
  pop_cal <- c(pop_cal, setNames(mv$count[match(lev[-1], mv$code)], paste0(v, lev[-1])))
}
stopifnot(identical(names(pop_cal), colnames(model.matrix(~geslacht + leeftijdsgroep + wijk, wd_data))))
ps_pop <- data.frame(geslacht = cellen$geslacht, leeftijdsgroep = cellen$leeftijdsgroep, Freq = cellen$count)

w_base <- svydesign(ids = ~1, strata = ~wijk, weights = ~ontwerpgewicht, data = wd_data)
w_designs <- list(
  rake = calibrate(w_base, ~geslacht + leeftijdsgroep + wijk, pop_cal, calfun = "raking",
                   epsilon = 1e-12, maxit = 100),
  poststratify = postStratify(w_base, ~geslacht + leeftijdsgroep, ps_pop))
# the designs are ../weighting's: weights identical to its <design>_weights.csv (as written, %.17g)
for (nm in names(w_designs)) {
  ref <- read.csv(file.path(wdir, paste0(nm, "_weights.csv")), colClasses = "character")
  check(identical(ref$respnr, as.character(wd_data$respnr)) && identical(ref$weight, fmt17(weights(w_designs[[nm]]))),
        paste(nm, "weights == ../weighting/", nm, "_weights.csv"))
}
passed()
logmsg("weighting designs rake, poststratify: weights identical (as %.17g strings) to ../weighting/*_weights.csv")
X_cal <- model.matrix(~geslacht + leeftijdsgroep + wijk, wd_data)
X_cells <- model.matrix(~interaction(geslacht, leeftijdsgroep) - 1, wd_data)
X_of <- list(rake = X_cal, poststratify = X_cells)
dw <- wd_data$ontwerpgewicht

# =============================================================================================================
# 1. Standardised comparisons on calibrated designs
# R exactly as ../compare/compare_common.R (compare_block, std branch), with na.rm = TRUE where a subset of a
# calibrated design (which keeps all rows) needs it:
#   d0  <- subset(des, !is.na(.a) & !is.na(.g));  pop <- svytotal(~.a, d0)
#   sd  <- svystandardize(d0, by = ~.a, over = ~.g, population = pop, excluding.missing = ~.y)
#   m   <- svyglm(.y ~ .g, design = sd)
#   est <- svyby(~.y, ~.g, sd, svymean, na.rm = TRUE)
STDVC <- new.env(); STDVC$rel <- list(); STDVC$n <- 0; STDVC$se <- list()
std_block <- function(des, nm, y, variable, category) {
  g <- wd_data$taal; a <- as.character(wd_data$leeftijdsgroep)
  des$variables$.y <- y
  des$variables$.g <- factor(g, levels = taal_codes)
  des$variables$.a <- factor(a, levels = w_age_codes)
  context <- paste0(nm, " ", variable, "/", category, " by taal std leeftijdsgroep")
  d0 <- subset(des, !is.na(.a) & !is.na(.g))
  pop <- svytotal(~.a, d0)
  sd <- logged(svystandardize(d0, by = ~.a, over = ~.g, population = pop, excluding.missing = ~.y), context)
  check(length(sd$postStrata) == 2, paste(context, "two postStrata elements"))
  check(if (nm == "rake") inherits(sd$postStrata[[1]], "greg_calibration") else !inherits(sd$postStrata[[1]], "greg_calibration"),
        paste(context, "first element = the design's own calibration"))
  m <- logged(svyglm(.y ~ .g, design = sd), context)
  b <- logged(svyby(~.y, ~.g, sd, svymean, na.rm = TRUE), context)
  est <- setNames(coef(b), as.character(b$.g))[taal_codes]
  # group covariance the way svyby(covmat = TRUE) intends (it fails on calibrated designs in 4.1.1)
  infl <- NULL
  for (gg in taal_codes) {
    r <- svymean(~.y, sd[!is.na(sd$variables$.g) & sd$variables$.g == gg, ], na.rm = TRUE, influence = TRUE)
    stopifnot(NROW(attr(r, "influence")) == n_w)
    infl <- cbind(infl, attr(r, "influence"))
  }
  V <- svyrecvar(infl, sd$cluster, sd$strata, sd$fpc, postStrata = sd$postStrata)
  dimnames(V) <- list(taal_codes, taal_codes)
  bcov <- structure(est, var = V, statistic = "mean", class = "svystat")
  check(same(SE(bcov), SE(b), 1e-12), paste(context, "own group SEs vs svyby"))
  rows <- pair_rows(m, est, taal_codes, variable, category, "taal", "leeftijdsgroep", context)
  check_svyby_contrasts(bcov, m, taal_codes, context)
  se_R <- num(rows[[1]][10]); dif_R <- num(rows[[1]][9])

  # ---- hand formulas (README "Variance of a standardised comparison on a calibrated design")
  w <- weights(des); S <- !is.na(y)                       # everyone has known a and g in this fixture
  P <- tapply(w, a, sum)[w_age_codes] / sum(w)            # pop / sum(pop), pop from all rows of d0
  check(same(P, coef(pop) / sum(coef(pop)), 1e-13), paste(context, "P_a"))
  cellk <- paste(a, g)
  wg <- tapply(w[S], g[S], sum)
  wc <- tapply(w[S], cellk[S], sum)
  check(length(wc) == 8, paste(context, "all 8 standardising cells present"))
  W <- ifelse(S, w * P[a] * wg[g] / wc[cellk], 0)
  check(same(W, weights(sd), 1e-13), paste(context, "standardised weights W"))
  Wg <- tapply(W[S], g[S], sum)
  mu <- tapply(W[S] * y[S], g[S], sum) / Wg
  check(same(mu[taal_codes], est, 1e-13), paste(context, "standardised means"))
  check(same(mu[["EN"]] - mu[["NL"]], dif_R, 1e-10), paste(context, "difference"))
  y0 <- ifelse(S, y, 0)
  z <- ifelse(S & g == "EN", W * (y0 - mu[["EN"]]) / Wg[["EN"]], 0) -
       ifelse(S & g == "NL", W * (y0 - mu[["NL"]]) / Wg[["NL"]], 0)
  # z equals svyglm's own influence column for .gEN (estfun %*% Ainv, zero-padded as svy.varcoef does)
  ef <- model.matrix(m) * resid(m, "working") * m$weights
  infl_glm <- matrix(0, n_w, 2)
  if (length(m$na.action)) infl_glm[-m$na.action, ] <- ef %*% m$naive.cov else infl_glm <- ef %*% m$naive.cov
  check(max(abs(infl_glm[, 2] - z)) < 1e-12 * max(abs(z)), paste(context, "z == svyglm influence"))
  check(same(sqrt(svyrecvar(z, sd$cluster, sd$strata, sd$fpc, postStrata = sd$postStrata)[1, 1]), se_R, 1e-12),
        paste(context, "svyrecvar(z, postStrata) == se"))
  X <- X_of[[nm]]
  step1 <- function(zz) w * resid_wls(zz / w, X, dw)      # calibration residual: WLS of z/w on x, design weights
  step2 <- function(zz, outside = "minus_m") {            # svystandardize's post-stratification residual
    tot <- tapply(zz[S], cellk[S], sum); Wc <- tapply(W[S], cellk[S], sum)
    mc <- (tot / Wc)[cellk]                               # = sum_{S,c} w (zz/W) / sum_{S,c} w
    switch(outside, minus_m = ifelse(S, zz - W * mc, zz - mc), keep = ifelse(S, zz - W * mc, zz),
           zero = ifelse(S, zz - W * mc, 0))
  }
  z1 <- step1(z)
  z2 <- step2(z1)
  # closed form of step 2 inside S: z2 = z1 - (w / w_c) * sum_{S,c} z1
  closed <- z1 - w / wc[cellk] * tapply(z1[S], cellk[S], sum)[cellk]
  check(max(abs(z2[S] - closed[S])) < 1e-12 * max(abs(z2)), paste(context, "step 2 closed form"))
  se_full <- sqrt(strat_var(z2, wd_data$wijk))
  check(same(se_full, se_R, 1e-12), paste(context, "hand formula (calibration, then post-stratification) == R"))
  # (ii) R's own result when the calibrated weights are used as plain design weights (no stored calibration)
  dW <- wd_data; dW$wcal <- w
  desW <- svydesign(ids = ~1, strata = ~wijk, weights = ~wcal, data = dW)
  desW$variables$.y <- y; desW$variables$.g <- factor(g, levels = taal_codes)
  desW$variables$.a <- factor(a, levels = w_age_codes)
  d0W <- subset(desW, !is.na(.a) & !is.na(.g))
  sdW <- svystandardize(d0W, by = ~.a, over = ~.g, population = svytotal(~.a, d0W), excluding.missing = ~.y)
  mW <- svyglm(.y ~ .g, design = sdW)
  se_ii_R <- SE(mW)[[".gEN"]]
  alt <- c(full_R_formula = se_full,
           i_calibration_only = sqrt(strat_var(z1, wd_data$wijk)),
           ii_poststrat_only = sqrt(strat_var(step2(z, "zero"), wd_data$wijk)),
           ii_R_plain_design = se_ii_R,
           both_rows_outside_S_keep_z1 = sqrt(strat_var(step2(z1, "keep"), wd_data$wijk)),
           both_rows_outside_S_zero = sqrt(strat_var(step2(z1, "zero"), wd_data$wijk)),
           both_reversed_order = sqrt(strat_var(step1(step2(z, "minus_m")), wd_data$wijk)),
           no_residuals = sqrt(strat_var(z, wd_data$wijk)))
  check(same(alt[["ii_poststrat_only"]], se_ii_R, 1e-12), paste(context, "(ii) == R on the plain design"))
  lab <- paste0(variable, "/", category)
  for (fm in names(alt)) STDVC$rel[[nm]][[fm]] <- c(STDVC$rel[[nm]][[fm]], setNames(abs(alt[[fm]] - se_R) / se_R, lab))
  STDVC$n <- STDVC$n + 1
  STDVC$se[[length(STDVC$se) + 1]] <- c(nm, variable, category, fmt17(se_R),
                                        fmt17(alt[c("full_R_formula", "i_calibration_only", "ii_poststrat_only",
                                                    "both_rows_outside_S_keep_z1", "both_rows_outside_S_zero",
                                                    "both_reversed_order", "no_residuals")]))
  passed()
  rows
}
w_ys <- c(lapply(w_items, function(it) list("kanaal", it, wd_data[[it]])),
          lapply(info_codes, function(code) list("info", code, wd_data[[paste0("info_", code)]])),
          list(list("tevredenheid", "", wd_data$tevredenheid)))
vc_rows <- list()
for (nm in c("rake", "poststratify")) {
  rows <- list()
  for (y in w_ys) rows <- c(rows, std_block(w_designs[[nm]], nm, y[[3]], y[[1]], y[[2]]))
  write_compare(rows, file.path(here, paste0("std_", nm, "_compare.csv")))
  rel <- STDVC$rel[[nm]]
  for (fm in names(rel))
    vc_rows[[length(vc_rows) + 1]] <- c(nm, fm, length(rel[[fm]]), fmt17(max(rel[[fm]])), fmt17(median(rel[[fm]])),
                                        names(rel[[fm]])[which.max(rel[[fm]])])
  logmsg(sprintf("std_%s_compare.csv: %d rows; max rel SE diff vs R: full formula %.3g; (i) calibration only %.3g; (ii) post-stratification only %.3g; rows outside S keep z1 %.3g; rows outside S zero %.3g; reversed order %.3g; no residuals %.3g",
                 nm, length(rows), max(rel$full_R_formula), max(rel$i_calibration_only), max(rel$ii_poststrat_only),
                 max(rel$both_rows_outside_S_keep_z1), max(rel$both_rows_outside_S_zero), max(rel$both_reversed_order),
                 max(rel$no_residuals)))
}
vc <- as.data.frame(do.call(rbind, vc_rows), stringsAsFactors = FALSE)
names(vc) <- c("design", "formula", "comparisons", "max_rel_diff", "median_rel_diff", "max_at")
write.csv(vc, file.path(here, "std_variance_check.csv"), row.names = FALSE, quote = c(1, 2, 6))
vs <- as.data.frame(do.call(rbind, STDVC$se), stringsAsFactors = FALSE)
names(vs) <- c("design", "variable", "category", "se_r", "se_full_formula", "se_i_calibration_only",
               "se_ii_poststrat_only", "se_rows_outside_s_keep_z1", "se_rows_outside_s_zero", "se_reversed_order",
               "se_no_residuals")
write.csv(vs, file.path(here, "std_variance_rows.csv"), row.names = FALSE, quote = 1:3)

# =============================================================================================================
# 2. Each group against the rest: svyglm(y ~ ind, subset(des, !is.na(y))), ind = 1{g == k} (0 where g is
#    missing or another group): coefficient of ind = group - rest
REST_COLS <- c("table", "variable", "category", "between", "group_a", "group_b", "estimate_a", "estimate_b",
               "difference", "se", "df", "t", "p_value")
RESTCHK <- new.env(); RESTCHK$d <- c(svyglm_vs_hand = 0, svyglm_vs_svycontrast = 0); RESTCHK$n <- 0
rest_block <- function(des, y, table, variable, category, between, g, glev, strata, X = NULL, dwt = NULL) {
  rows <- list()
  calibrated <- !is.null(X)
  for (k in glev) {
    ind <- as.numeric(!is.na(g) & g == k)
    context <- paste0(table, " ", category, " ", between, "=", k, " vs rest")
    if (!any(!is.na(y) & ind == 1)) { logmsg("NOTE [", context, "]: group has no valid rows -> omitted"); next }
    des$variables$.y <- y
    des$variables$.ind <- ind
    dd <- subset(des, !is.na(.y))                         # (uncalibrated: rows dropped; calibrated: weight 0)
    m <- logged(svyglm(.y ~ .ind, design = dd), context)
    cf <- coef(m)
    dif <- cf[[".ind"]]; se <- SE(m)[[".ind"]]; dfr <- m$df.residual
    tt <- dif / se; p <- 2 * pt(-abs(tt), dfr)
    st <- summary(m)$coefficients
    check(same(tt, st[".ind", "t value"], 1e-12) && same(p, st[".ind", "Pr(>|t|)"], 1e-12), paste(context, "summary t/p"))
    check(dfr == degf(dd) - 1, paste(context, "df = degf - 1"))
    # the literal I(g == k) formula (missing group recoded to "" so that it is FALSE, not NA) is the same fit
    des$variables$.gg <- ifelse(is.na(g), "", g); des$variables$.k <- k
    m2 <- logged(svyglm(.y ~ I(.gg == .k), design = subset(des, !is.na(.y))), context)
    check(same(coef(m2), coef(m), 1e-13) && same(SE(m2), SE(m), 1e-13) && m2$df.residual == dfr,
          paste(context, "I(g == k) formula"))
    est_b <- coef(svymean(~.y, subset(dd, .ind == 1), na.rm = TRUE))[[1]]
    est_a <- coef(svymean(~.y, subset(dd, .ind == 0), na.rm = TRUE))[[1]]
    check(same(est_a, cf[["(Intercept)"]], 1e-12) && abs(dif - (est_b - est_a)) <= 1e-12, paste(context, "estimates"))
    # hand linearisation: z_i = w_i [1{g}(y_i - p_g)/N_g - 1{rest}(y_i - p_r)/N_r] on valid rows, 0 elsewhere;
    # calibrated: z* = w (u - x'B), u = z/w, B = WLS of u on x with the design weights over all rows
    w <- weights(des); ok <- !is.na(y); y0 <- ifelse(ok, y, 0)
    Ng <- sum(w[ok & ind == 1]); Nr <- sum(w[ok & ind == 0])
    pg <- sum((w * y0)[ok & ind == 1]) / Ng; pr <- sum((w * y0)[ok & ind == 0]) / Nr
    check(same(c(pg, pr), c(est_b, est_a), 1e-13), paste(context, "hand estimates"))
    z <- ifelse(ok, w * (ind * (y0 - pg) / Ng - (1 - ind) * (y0 - pr) / Nr), 0)
    if (calibrated) z <- w * resid_wls(z / w, X, dwt)
    se_hand <- sqrt(strat_var(z, strata))
    check(same(se_hand, se, 1e-10), paste(context, "hand se"))
    # svycontrast on the two means' covariance (svyby covmat for plain designs; by hand for calibrated ones)
    if (!calibrated) {
      bb <- svyby(~.y, ~.ind, dd, svymean, covmat = TRUE)
      sc <- svycontrast(bb, c(-1, 1))
    } else {
      infl <- NULL
      for (v in 0:1) infl <- cbind(infl, attr(svymean(~.y, subset(dd, .ind == v), na.rm = TRUE, influence = TRUE), "influence"))
      VV <- svyrecvar(infl, dd$cluster, dd$strata, dd$fpc, postStrata = dd$postStrata)
      dimnames(VV) <- list(c("rest", "group"), c("rest", "group"))
      sc <- svycontrast(structure(c(rest = est_a, group = est_b), var = VV, statistic = "mean", class = "svystat"),
                        c(rest = -1, group = 1))
    }
    check(abs(coef(sc)[[1]] - dif) <= 1e-12 && same(SE(sc)[[1]], se, 1e-10), paste(context, "svycontrast"))
    RESTCHK$d <- pmax(RESTCHK$d, c(abs(se_hand - se) / se, abs(SE(sc)[[1]] - se) / se))
    RESTCHK$n <- RESTCHK$n + 1
    rows[[length(rows) + 1]] <- c(table, variable, category, between, "(rest)", k, fmt17(est_a), fmt17(est_b),
                                  fmt17(dif), fmt17(se), fmt17(dfr), fmt17(tt), fmt17(p))
  }
  passed()
  rows
}
write_rows <- function(rows, path) {
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- REST_COLS
  write.csv(out, path, row.names = FALSE, quote = 1:6, na = "")
  logmsg("wrote ", nrow(out), " rows to ", basename(path))
  invisible(out)
}

# 2a. domains fixture (reading as ../domains/reference.R; only what table kanaal needs)
draw <- read_raw(file.path(ddir, "data.csv"), sep = ",", dec = ".")
d_wijk_codes <- as.character(1:10)
d_bins <- list(list(label = "18-29", min = 18, max = 29), list(label = "30-44", min = 30, max = 44),
               list(label = "45-64", min = 45, max = 64), list(label = "65+", min = 65))
d_items <- c("kan_telefoon", "kan_email", "kan_balie", "kan_chat")
d_leeftijd <- as_num(draw$leeftijd, missing = "999")
d_lg <- as_bins(d_leeftijd, d_bins)
d_wijk <- as_cat(draw$wijk, d_wijk_codes, name = "wijk")
dd_data <- data.frame(respnr = draw$respnr, wijk = draw$wijk, weegfactor = as_num(draw$weegfactor))
d_des <- svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, data = dd_data)
check(degf(d_des) == nrow(dd_data) - 10, "domains degf")
logmsg(sprintf("domains fixture: %d rows, %d without leeftijdsgroep (in every rest)", nrow(dd_data), sum(is.na(d_lg))))
rrows <- list()
for (it in d_items) {
  y <- as_item(draw[[it]], "1")
  rrows <- c(rrows, rest_block(d_des, y, "kanaal", "kanaal", it, "leeftijdsgroep", d_lg, sapply(d_bins, `[[`, "label"),
                               dd_data$wijk))
  rrows <- c(rrows, rest_block(d_des, y, "kanaal", "kanaal", it, "wijk", d_wijk, d_wijk_codes, dd_data$wijk))
}
rest_d <- write_rows(rrows, file.path(here, "rest_domains.csv"))
# estimate_b must equal ../domains/expected.csv's group estimate (same svymean)
dex <- read.csv(file.path(ddir, "expected.csv"), colClasses = "character")
for (i in seq_len(nrow(rest_d))) {
  e <- dex[dex$table == "kanaal" & dex$category == rest_d$category[i] & dex$by == rest_d$between[i] &
             dex$group == rest_d$group_b[i], ]
  check(nrow(e) > 0 && same(num(e$estimate[1]), num(rest_d$estimate_b[i]), 1e-15), "rest_domains estimate_b vs expected.csv")
}
passed()
logmsg(sprintf("rest_domains.csv: %d contrasts; max rel se diff: hand linearisation %.3g, svycontrast(svyby covmat) %.3g",
               RESTCHK$n, RESTCHK$d[1], RESTCHK$d[2]))

# 2b. weighting fixture, rake design
RESTCHK$d <- c(0, 0); RESTCHK$n <- 0
rrows <- list()
for (it in w_items) {
  y <- wd_data[[it]]
  rrows <- c(rrows, rest_block(w_designs$rake, y, "kanaal", "kanaal", it, "leeftijdsgroep",
                               as.character(wd_data$leeftijdsgroep), w_age_codes, wd_data$wijk, X_cal, dw))
  rrows <- c(rrows, rest_block(w_designs$rake, y, "kanaal", "kanaal", it, "wijk", as.character(wd_data$wijk),
                               wijk_codes, wd_data$wijk, X_cal, dw))
}
rest_r <- write_rows(rrows, file.path(here, "rest_rake.csv"))
wex <- read.csv(file.path(wdir, "rake_expected.csv"), colClasses = "character")
for (i in seq_len(nrow(rest_r))) {
  e <- wex[wex$category == rest_r$category[i] & wex$by == rest_r$between[i] & wex$group == rest_r$group_b[i], ]
  check(nrow(e) > 0 && same(num(e$estimate[1]), num(rest_r$estimate_b[i]), 1e-15), "rest_rake estimate_b vs rake_expected.csv")
}
passed()
logmsg(sprintf("rest_rake.csv: %d contrasts; max rel se diff: hand formula (i) %.3g, svycontrast(own covmat) %.3g",
               RESTCHK$n, RESTCHK$d[1], RESTCHK$d[2]))

# =============================================================================================================
# 3. Post-stratification with zero design weights
# Choice of the 20 rows (deterministic): for k = 1..20 start at row 80k - 40 and move forward to the first row
# whose wijk x geslacht x leeftijdsgroep combination is not yet taken; for k <= 8 its geslacht x leeftijdsgroep
# post-stratification cell must also be new (so all 8 cells get one), and for k = 2, 6, 10, 14, 18 it must have
# taal EN.
key3 <- paste(wd_data$wijk, wd_data$geslacht, wd_data$leeftijdsgroep)
cell2 <- paste(wd_data$geslacht, wd_data$leeftijdsgroep)
pick <- integer(0)
for (k in 1:20) {
  i <- 80 * k - 40
  while (key3[i] %in% key3[pick] || (k <= 8 && cell2[i] %in% cell2[pick]) || (k %% 4 == 2 && wd_data$taal[i] != "EN"))
    i <- i + 1
  pick <- c(pick, i)
}
stopifnot(length(unique(key3[pick])) == 20, length(unique(cell2[pick])) == 8)
lines <- readLines(file.path(wdir, "data.csv"), encoding = "UTF-8")
hdr <- strsplit(lines[1], ";", fixed = TRUE)[[1]]
stopifnot(hdr[4] == "ontwerpgewicht", length(lines) == n_w + 1)
for (i in pick) {
  fl <- strsplit(lines[i + 1], ";", fixed = TRUE)[[1]]
  n_sep <- lengths(regmatches(lines[i + 1], gregexpr(";", lines[i + 1], fixed = TRUE)))
  fl <- c(fl, rep("", n_sep + 1 - length(fl)))          # strsplit drops a trailing empty field
  stopifnot(fl[1] == as.character(wd_data$respnr[i]))
  fl[4] <- "0"
  lines[i + 1] <- paste(fl, collapse = ";")
}
con <- file(file.path(here, "data_zero.csv"), "wb"); writeLines(lines, con, sep = "\n"); close(con)
zd <- read_weighting(file.path(here, "data_zero.csv"))
chk <- wd_data; chk$ontwerpgewicht[pick] <- 0
check(identical(zd, chk), "data_zero.csv == data.csv with 20 design weights 0")
logmsg("data_zero.csv: design weight 0 for respnr ", paste(zd$respnr[pick], collapse = " "),
       sprintf("; per post-stratification cell %s; taal EN %d; wijk %s",
               paste(names(table(cell2[pick])), table(cell2[pick]), sep = ":", collapse = " "),
               sum(zd$taal[pick] == "EN"), paste(table(factor(zd$wijk[pick], levels = wijk_codes)), collapse = "/")))

z_base <- svydesign(ids = ~1, strata = ~wijk, weights = ~ontwerpgewicht, data = zd)
z_des <- postStratify(z_base, ~geslacht + leeftijdsgroep, ps_pop)
ps_el <- z_des$postStrata[[1]]
wz <- weights(z_des); dz <- zd$ontwerpgewicht
check(nrow(z_des) == n_w && all(wz[pick] == 0) && all(wz[-pick] > 0), "postStratify keeps the zero rows, weight 0")
check(all(attr(ps_el, "oldweights")[pick] == 0) && all(attr(ps_el, "weights")[pick] == 0) && !anyNA(as.vector(ps_el)),
      "zero rows: oldweights 0, weights 0, cell index present")
Nc <- setNames(cellen$count, paste(cellen$geslacht, cellen$leeftijdsgroep))
check(same(wz, dz * Nc[cell2] / ave(dz, cell2, FUN = sum), 1e-13), "zero design: post-stratification weights")
check(degf(z_des) == n_w - 20 - 6, "degf = 1600 - 20 - 6")
logmsg(sprintf("poststratify_zero design: nrow %d, weights of the 20 zero rows all 0 (oldweights 0, cell index kept), degf %d",
               nrow(z_des), degf(z_des)))

# expected.csv format (../README.md) with ../weighting's two changes for calibrated designs: n = rows of the
# domain with valid y (zero-weight rows included), na.rm = TRUE. Methods logit and mean at 0.95.
ZCHK <- new.env(); ZCHK$d <- 0; ZCHK$eff <- numeric(0); ZCHK$n <- 0; ZCHK$fc <- numeric(0)
zero_block <- function(des, ycol, variable, category, byvars) {
  y <- des$variables[[ycol]]
  valid <- !is.na(y)
  domains <- list(list(by = "(all)", group = "(all)", mask = valid))
  for (bn in names(byvars)) for (code in byvars[[bn]]$groups) {
    mk <- valid & !is.na(byvars[[bn]]$values) & byvars[[bn]]$values == code
    if (any(mk)) domains[[length(domains) + 1]] <- list(by = bn, group = code, mask = mk)
  }
  f <- as.formula(paste0("~", ycol))
  rows <- list()
  for (dm in domains) {
    sub <- des[dm$mask, ]
    sm <- logged(svymean(f, sub, deff = "replace", na.rm = TRUE), ycol)
    est <- coef(sm)[[1]]; se <- SE(sm)[[1]]; de <- deff(sm)[[1]]; dfree <- degf(sub)
    mk <- dm$mask
    # hand: z = w 1{D}(y - ybar)/sum_D w; u = z/w (0 where w = 0); f_c = sum_c d u / sum_c d
    # (= sum_c z/g / sum_c d); z* = z - w f_c for w > 0, z* = -f_c for the zero-weight rows
    ybar <- sum(wz[mk] * y[mk]) / sum(wz[mk])
    check(same(ybar, est, 1e-13), paste(ycol, dm$group, "estimate"))
    z <- numeric(n_w); z[mk] <- wz[mk] * (y[mk] - ybar) / sum(wz[mk])
    u <- ifelse(wz > 0, z / wz, 0)
    fc <- ave(dz * u, cell2, FUN = sum) / ave(dz, cell2, FUN = sum)
    zs <- ifelse(wz > 0, z - wz * fc, -fc)
    se_hand <- sqrt(strat_var(zs, zd$wijk))
    check(same(se_hand, se, 1e-12), paste(ycol, dm$group, "hand se with -f_c for zero rows"))
    check(same(sqrt(svyrecvar(z, sub$cluster, sub$strata, sub$fpc, postStrata = sub$postStrata)[1, 1]), se, 1e-12),
          paste(ycol, dm$group, "svyrecvar(z)"))
    zs0 <- zs; zs0[wz == 0] <- 0
    ZCHK$eff <- c(ZCHK$eff, setNames((sqrt(strat_var(zs0, zd$wijk)) - se) / se, paste(ycol, dm$by, dm$group)))
    ZCHK$d <- max(ZCHK$d, abs(se_hand - se) / se)
    ZCHK$fc <- c(ZCHK$fc, max(abs(fc[pick])))
    # deff = V / (s^2/n+), n+ = rows of the domain with w > 0
    np <- sum(mk & wz > 0)
    s2 <- np / (np - 1) * sum(wz[mk] * (y[mk] - ybar)^2) / sum(wz[mk])
    check(same(de, se^2 / (s2 / np), 1e-12), paste(ycol, dm$group, "deff"))
    check(dfree == np - length(unique(zd$wijk[mk & wz > 0])), paste(ycol, dm$group, "degf"))
    n <- sum(mk)
    for (m in c("logit", "mean")) {
      r <- logged(svyciprop(f, sub, method = m, level = 0.95, na.rm = TRUE), paste(ycol, m))
      ci <- as.vector(confint(r))
      if (m == "mean") check(same(ci, est + c(-1, 1) * qt(0.975, dfree) * se, 1e-13), paste(ycol, dm$group, "mean ci"))
      rows[[length(rows) + 1]] <- c(variable, category, dm$by, dm$group, n, fmt17(est), fmt17(se), fmt17(ci[1]),
                                    fmt17(ci[2]), m, "0.95", dfree, fmt17(de))
    }
    ZCHK$n <- ZCHK$n + 1
  }
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- c("variable", "category", "by", "group", "n", "estimate", "se", "ci_lower", "ci_upper", "ci_method",
                  "level", "df", "deff")
  out
}
zbys <- list(leeftijdsgroep = list(values = as.character(zd$leeftijdsgroep), groups = w_age_codes),
             taal = list(values = zd$taal, groups = taal_codes))
zrows <- do.call(rbind, lapply(w_items, function(it) zero_block(z_des, it, "kanaal", it, zbys)))
write_reference(zrows, file.path(here, "poststratify_zero.csv"))
passed()
logmsg(sprintf("poststratify_zero.csv: %d rows (%d domains); hand SE with z* = -f_c on zero rows vs R max rel diff %.3g",
               nrow(zrows), ZCHK$n, ZCHK$d))
logmsg(sprintf("  zero rows' residual -f_c: max |f_c| over the zero rows per domain in [%.3g, %.3g]; if those rows got 0 instead, SE would change by %.3g ... %+.3g relative (largest |.| at %s; smallest |.| %.3g at %s)",
               min(ZCHK$fc), max(ZCHK$fc), min(ZCHK$eff), max(ZCHK$eff), names(ZCHK$eff)[which.max(abs(ZCHK$eff))],
               min(abs(ZCHK$eff)), names(ZCHK$eff)[which.min(abs(ZCHK$eff))]))
# the same domains on the original (no zero weights) poststratify design: how much the 20 zeros move things
orig <- read.csv(file.path(wdir, "poststratify_expected.csv"), colClasses = "character")
orig <- orig[orig$ci_method == "logit" & orig$level == "0.95" & orig$variable == "kanaal" & orig$by %in% c("(all)", "leeftijdsgroep", "taal"), ]
zl <- zrows[zrows$ci_method == "logit", ]
check(nrow(orig) == nrow(zl) && all(orig$category == zl$category & orig$group == zl$group), "zero vs original rows align")
logmsg(sprintf("  vs ../weighting/poststratify_expected.csv (no zero weights): estimates differ by up to %.3g relative, SEs by up to %.3g",
               relmax(num(zl$estimate), num(orig$estimate)), relmax(num(zl$se), num(orig$se))))

write_log(file.path(here, "log.txt"), "extra/reference.R (no timings: a rerun is byte-identical)")
message("done")
