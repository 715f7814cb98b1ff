# R survey reference values for weighting (post-stratification, calibration) and the finite population
# correction. Fixture: data.csv, marges.csv, cellen.csv (make_data.R); codebooks *.toml (by hand).
# Run from anywhere:  Rscript tests/reference/r/weighting/reference.R
# Writes, next to itself, for each design D in poststratify, rake, linear, logit, fpc, rake_fpc:
#   D_weights.csv, D_expected.csv, D_compare.csv, D_test.csv, D_against.csv
# plus variance_check.csv, rake_function_check.csv and reference_log.txt. Formats and findings: README.md.
# All CSV outputs are deterministic; only the timing line of reference_log.txt changes between runs.
{
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
}
# compare_common.R sources ../common.R (read_raw, as_*, fmt17, reference_block, lonely.psu = "adjust") and
# brings pair_rows, write_compare, write_test, same, check, logmsg, passed, write_log.
source(file.path(here, "..", "compare", "compare_common.R"))
t_start <- proc.time()[["elapsed"]]

# ---------------------------------------------------------------------------------------------------------
# Codebook values (the *.toml files in this folder say the same)
EPS <- 1e-12          # [weighting] epsilon
MAXIT <- 100          # [weighting] max_iterations
BOUNDS <- c(0.6, 1.55) # [weighting] bounds of logit.toml
wijk_codes <- as.character(1:6)
sex_codes <- c("1", "2")
taal_codes <- c("NL", "EN")
info_codes <- as.character(1:4)
bins <- list(list(label = "18-34", min = 18, max = 34), list(label = "35-54", min = 35, max = 54),
             list(label = "55-64", min = 55, max = 64), list(label = "65+", min = 65))
age_codes <- sapply(bins, `[[`, "label")
items <- c("kan_telefoon", "kan_email", "kan_balie", "kan_whatsapp")

# ---------------------------------------------------------------------------------------------------------
# Data
raw <- read_raw(file.path(here, "data.csv"), sep = ";", dec = ",")
wijk <- as_cat(raw$wijk, wijk_codes, name = "wijk")
geslacht <- as_cat(raw$geslacht, sex_codes, name = "geslacht")
taal <- as_cat(raw$taal, taal_codes, name = "taal")
leeftijd <- as_num(raw$leeftijd, dec = ",")
stopifnot(!anyNA(leeftijd), all(leeftijd >= 18 & leeftijd <= 95))
leeftijdsgroep <- as_bins(leeftijd, bins)
info <- as_cat(raw$info, info_codes, missing = "99", name = "info")
d <- data.frame(respnr = as.integer(raw$respnr),
                wijk = factor(wijk, levels = wijk_codes),
                wijk_n = as_num(raw$wijk_n, dec = ","),
                ontwerpgewicht = as_num(raw$ontwerpgewicht, dec = ","),
                geslacht = factor(geslacht, levels = sex_codes),
                leeftijdsgroep = factor(leeftijdsgroep, levels = age_codes))
stopifnot(!anyNA(d))
for (it in items) d[[it]] <- as_item(raw[[it]], "1")
for (code in info_codes) d[[paste0("info_", code)]] <- ifelse(is.na(info), NA, as.numeric(info == code))
d$tevredenheid <- as_num(raw$tevredenheid, dec = ",")
stopifnot(all(is.na(d$tevredenheid) | (d$tevredenheid >= 1 & d$tevredenheid <= 10)))
n_all <- nrow(d)

# Population files
marges <- read.table(file.path(here, "marges.csv"), sep = ";", header = TRUE, quote = "",
                     colClasses = c("character", "character", "numeric"))
cellen <- read.table(file.path(here, "cellen.csv"), sep = ";", header = TRUE, quote = "",
                     colClasses = c("character", "character", "numeric"), check.names = FALSE)
cal_vars <- c("geslacht", "leeftijdsgroep", "wijk")
totals <- tapply(marges$count, marges$variable, sum)
stopifnot(length(unique(totals)) == 1, sum(cellen$count) == totals[[1]])
N_pop <- totals[[1]]
# calibrate()'s population vector: names = columns of model.matrix(~geslacht + leeftijdsgroep + wijk)
pop <- c(`(Intercept)` = N_pop)
for (v in cal_vars) {
  lev <- levels(d[[v]])
  mv <- marges[marges$variable == v, ]
  stopifnot(setequal(mv$code, lev))
  pop <- c(pop, setNames(mv$count[match(lev[-1], mv$code)], paste0(v, lev[-1])))
}
stopifnot(identical(names(pop), colnames(model.matrix(~geslacht + leeftijdsgroep + wijk, d))))
stopifnot(all(marges$count[marges$variable == "wijk"] == tapply(d$wijk_n, d$wijk, unique)))
ps_pop <- data.frame(geslacht = cellen$geslacht, leeftijdsgroep = cellen$leeftijdsgroep, Freq = cellen$count)

# ---------------------------------------------------------------------------------------------------------
# Designs
base <- svydesign(ids = ~1, strata = ~wijk, weights = ~ontwerpgewicht, data = d)
base_fpc <- svydesign(ids = ~1, strata = ~wijk, weights = ~ontwerpgewicht, fpc = ~wijk_n, data = d)
cal <- function(des, calfun, bounds = c(-Inf, Inf), epsilon = EPS, maxit = MAXIT)
  calibrate(des, ~geslacht + leeftijdsgroep + wijk, pop, calfun = calfun, bounds = bounds,
            epsilon = epsilon, maxit = maxit)
designs <- list(
  poststratify = postStratify(base, ~geslacht + leeftijdsgroep, ps_pop),
  rake = cal(base, "raking"),
  linear = cal(base, "linear"),
  logit = cal(base, "logit", BOUNDS),
  fpc = base_fpc,
  rake_fpc = cal(base_fpc, "raking"))
calibrated <- c(poststratify = TRUE, rake = TRUE, linear = TRUE, logit = TRUE, fpc = FALSE, rake_fpc = TRUE)
has_fpc <- c(poststratify = FALSE, rake = FALSE, linear = FALSE, logit = FALSE, fpc = TRUE, rake_fpc = TRUE)
wd <- d$ontwerpgewicht

logmsg(sprintf("R %s, survey %s; %d respondents, population %s; lonely.psu = %s", getRversion(),
               packageVersion("survey"), n_all, format(N_pop), getOption("survey.lonely.psu")))
# Convergence, g ranges, degf
margin_misfit <- function(w) {
  r <- numeric(0)
  for (v in cal_vars) {
    mv <- marges[marges$variable == v, ]
    est <- tapply(w, d[[v]], sum)[mv$code]
    r <- c(r, abs(est - mv$count) / mv$count)
  }
  max(r)
}
cell_misfit <- function(w) {
  key <- paste(d$geslacht, d$leeftijdsgroep)
  est <- tapply(w, key, sum)[paste(cellen$geslacht, cellen$leeftijdsgroep)]
  max(abs(est - cellen$count) / cellen$count)
}
# number of Newton steps grake needs: smallest maxit that does not fail
newton_steps <- function(des, calfun, bounds = c(-Inf, Inf)) {
  for (k in 1:MAXIT) {
    ok <- suppressWarnings(tryCatch({cal(des, calfun, bounds, maxit = k); TRUE}, error = function(e) FALSE))
    if (ok) return(k)
  }
  NA
}
stopifnot(degf(base) == n_all - 6)
for (nm in names(designs)) {
  des <- designs[[nm]]
  w <- weights(des); g <- w / wd
  mm <- if (nm == "poststratify") cell_misfit(w) else margin_misfit(w)
  if (calibrated[[nm]])
    logmsg(sprintf("%-12s max relative misfit %s %.3g; g in [%.17g, %.17g]; degf %d", nm,
                   if (nm == "poststratify") "(8 cells)" else "(12 margin categories)", mm, min(g), max(g),
                   degf(des)))
  else logmsg(sprintf("%-12s (not calibrated: weights = design weights) degf %d", nm, degf(des)))
  if (calibrated[[nm]]) check(mm < 1e-12, paste(nm, "misfit < 1e-12"))
  check(degf(des) == degf(base), paste(nm, "calibration does not change degf"))
  stopifnot(!anyNA(w), all(w > 0))
}
logmsg(sprintf("Newton steps (grake, epsilon %g): rake %d, logit %d, rake_fpc %d; linear: closed form (regcalibrate)",
               EPS, newton_steps(base, "raking"), newton_steps(base, "logit", BOUNDS),
               newton_steps(base_fpc, "raking")))
gl <- weights(designs$logit) / wd
logmsg(sprintf("logit bounds [%g, %g]: %d respondents with g < L + 0.01 (min g - L = %.3g), %d with g > U - 0.02 (U - max g = %.3g)",
               BOUNDS[1], BOUNDS[2], sum(gl < BOUNDS[1] + 0.01), min(gl) - BOUNDS[1],
               sum(gl > BOUNDS[2] - 0.02), BOUNDS[2] - max(gl)))
# tighter convergence changes nothing that matters
for (cf in c("raking", "logit")) {
  b <- if (cf == "logit") BOUNDS else c(-Inf, Inf)
  w12 <- weights(cal(base, cf, b)); w14 <- weights(cal(base, cf, b, epsilon = 1e-14, maxit = 200))
  logmsg(sprintf("%s: epsilon 1e-12 vs 1e-14: max relative weight difference %.3g", cf,
                 max(abs(w12 - w14) / w14)))
}
# the list-of-margins interface (margins2totals) gives the same weights
wl <- weights(calibrate(base, list(~geslacht, ~leeftijdsgroep, ~wijk),
                        lapply(cal_vars, function(v) {
                          mv <- marges[marges$variable == v, ]
                          x <- data.frame(factor(mv$code, levels = levels(d[[v]])), mv$count)
                          names(x) <- c(v, "Freq"); x }),
                        calfun = "raking", epsilon = EPS, maxit = MAXIT))
check(same(wl, weights(designs$rake), 1e-13), "list-of-margins calibrate == formula calibrate")
# the reference level of the dummies does not matter (same column space): reverse the level order
d_rev <- d
for (v in cal_vars) d_rev[[v]] <- factor(d[[v]], levels = rev(levels(d[[v]])))
pop_rev <- c(`(Intercept)` = N_pop)
for (v in cal_vars) {
  lev <- levels(d_rev[[v]]); mv <- marges[marges$variable == v, ]
  pop_rev <- c(pop_rev, setNames(mv$count[match(lev[-1], mv$code)], paste0(v, lev[-1])))
}
base_rev <- svydesign(ids = ~1, strata = ~wijk, weights = ~ontwerpgewicht, data = d_rev)
for (cf in c("raking", "linear", "logit")) {
  b <- if (cf == "logit") BOUNDS else c(-Inf, Inf)
  r2 <- calibrate(base_rev, ~geslacht + leeftijdsgroep + wijk, pop_rev, calfun = cf, bounds = b,
                  epsilon = EPS, maxit = MAXIT)
  ref <- designs[[c(raking = "rake", linear = "linear", logit = "logit")[[cf]]]]
  s1 <- SE(svymean(~kan_email, subset(ref, !is.na(kan_email) & leeftijdsgroep == "65+"), na.rm = TRUE))
  s2 <- SE(svymean(~kan_email, subset(r2, !is.na(kan_email) & leeftijdsgroep == "65+"), na.rm = TRUE))
  check(same(weights(r2), weights(ref), 1e-12) && same(s1, s2, 1e-12), paste(cf, "reference level invariance"))
}
passed()

# Own solvers (README section b): g_i = G(x_i' lambda), Newton on lambda from 0 until every
# |T_j - sum_i w_i g_i x_ij| / (1 + |T_j|) < epsilon; linear: one step; post-stratification: N_c / Nhat_c.
own_weights <- function(method) {
  X <- model.matrix(~geslacht + leeftijdsgroep + wijk, d)
  L <- BOUNDS[1]; U <- BOUNDS[2]; A <- (U - L) / ((U - 1) * (1 - L))
  G <- switch(method, raking = function(u) exp(u), linear = function(u) 1 + u,
              logit = function(u) (L * (U - 1) + U * (1 - L) * exp(A * u)) / ((U - 1) + (1 - L) * exp(A * u)))
  dG <- switch(method, raking = function(u) exp(u), linear = function(u) rep(1, length(u)),
               logit = function(u) { e <- exp(A * u); A * (U - L)^2 * (U - 1) * (1 - L) * e / ((U - L) * ((U - 1) + (1 - L) * e)^2) })
  lambda <- rep(0, ncol(X))
  for (it in 1:MAXIT) {
    u <- drop(X %*% lambda)
    lambda <- lambda + solve(crossprod(X * (wd * dG(u)), X), pop - colSums(X * (wd * G(u))))
    misfit <- pop - colSums(X * (wd * G(drop(X %*% lambda))))
    if (all(abs(misfit) / (1 + abs(pop)) < EPS)) break
  }
  wd * G(drop(X %*% lambda))
}
cellkey <- paste(d$geslacht, d$leeftijdsgroep)
Nc <- setNames(cellen$count, paste(cellen$geslacht, cellen$leeftijdsgroep))
own_ps <- wd * Nc[cellkey] / ave(wd, cellkey, FUN = sum)
check(same(own_ps, weights(designs$poststratify), 1e-13), "own post-stratification weights")
for (m in c(raking = "rake", linear = "linear", logit = "logit")) {
  ow <- own_weights(names(which(c(raking = "rake", linear = "linear", logit = "logit") == m)))
  logmsg(sprintf("own %s weights vs R: max relative difference %.3g", m, max(abs(ow - weights(designs[[m]])) / weights(designs[[m]]))))
  check(same(ow, weights(designs[[m]]), 1e-12), paste("own", m, "weights"))
}
passed()

# ---------------------------------------------------------------------------------------------------------
# Weights
for (nm in names(designs)) {
  out <- data.frame(respnr = d$respnr, weight = fmt17(weights(designs[[nm]])))
  write.csv(out, file.path(here, paste0(nm, "_weights.csv")), row.names = FALSE, quote = FALSE)
}

# ---------------------------------------------------------------------------------------------------------
# expected.csv: ../common.R's reference_block_w (reference_block with the two changes calibrated designs
# need; identical output for uncalibrated ones, asserted below).
by_kanaal <- list(leeftijdsgroep = list(values = leeftijdsgroep, groups = age_codes),
                  taal = list(values = taal, groups = taal_codes),
                  wijk = list(values = wijk, groups = wijk_codes))
by_info <- list(geslacht = list(values = geslacht, groups = sex_codes))
by_tevr <- list(leeftijdsgroep = list(values = leeftijdsgroep, groups = age_codes))
blocks <- c(lapply(items, function(it) list(ycol = it, variable = "kanaal", category = it, by = by_kanaal,
                                            kind = "prop")),
            lapply(info_codes, function(code) list(ycol = paste0("info_", code), variable = "info",
                                                   category = code, by = by_info, kind = "prop")),
            list(list(ycol = "tevredenheid", variable = "tevredenheid", category = "", by = by_tevr,
                      kind = "mean")))

t_exp <- proc.time()[["elapsed"]]
for (nm in names(designs)) {
  des <- designs[[nm]]
  rows <- do.call(rbind, lapply(blocks, function(b)
    withCallingHandlers(reference_block_w(des, b$ycol, b$variable, b$category, b$by, b$kind),
                        warning = function(w) invokeRestart("muffleWarning"))))
  write_reference(rows, file.path(here, paste0(nm, "_expected.csv")))
  logmsg(sprintf("%s_expected.csv: %d rows", nm, nrow(rows)))
  if (!calibrated[[nm]]) {
    # for an uncalibrated design the variant equals common.R's reference_block exactly
    ref <- do.call(rbind, lapply(blocks, function(b)
      withCallingHandlers(reference_block(des, b$ycol, b$variable, b$category, b$by, b$kind),
                          warning = function(w) invokeRestart("muffleWarning"))))
    check(identical(ref, rows), paste(nm, "reference_block_w == common.R reference_block"))
    passed()
    check_svyby(des, "kan_balie", "wijk", wijk)
  }
  # per-group rows equal svyby(svyciprop) on the calibrated design (with na.rm = TRUE)
  for (b in list(list(y = "kan_balie", g = wijk, by = "wijk"), list(y = "info_3", g = geslacht, by = "geslacht"))) {
    des$variables$.g <- b$g
    yv <- des$variables[[b$y]]
    bb <- des[!is.na(yv) & !is.na(b$g), ]
    for (m in c("logit", "beta", "xlogit")) {
      sb <- withCallingHandlers(svyby(as.formula(paste0("~", b$y)), ~.g, bb, svyciprop, method = m,
                                      vartype = "ci", na.rm = TRUE),
                                warning = function(w) invokeRestart("muffleWarning"))
      for (i in seq_len(nrow(sb))) {
        code <- as.character(sb$.g[i])
        rr <- rows[rows$category == sub("info_", "", b$y) & rows$group == code & rows$ci_method == m &
                     rows$level == "0.95" & rows$by == b$by, ]
        check(nrow(rr) == 1 && same(as.numeric(c(rr$ci_lower, rr$ci_upper)), c(sb$ci_l[i], sb$ci_u[i]), 1e-14),
              paste(nm, b$y, code, m, "svyby"))
      }
    }
    passed()
  }
}
t_exp <- proc.time()[["elapsed"]] - t_exp

# svyciprop(method = "beta") scales the effective n by (qt(a/2, nrow(design) - 1) / qt(a/2, degf))^2, and
# nrow() of a subset of a CALIBRATED design is the number of rows of the whole file (subset keeps all rows).
beta_ci <- function(p, se, nrows, dfree, level) {
  a <- 1 - level
  ne <- p * (1 - p) / se^2 * (qt(a / 2, nrows - 1) / qt(a / 2, dfree))^2
  c(qbeta(a / 2, ne * p, ne * (1 - p) + 1), qbeta(1 - a / 2, ne * p + 1, ne * (1 - p)))
}
for (nm in names(designs)) {
  ex <- read.csv(file.path(here, paste0(nm, "_expected.csv")), colClasses = "character")
  ex <- ex[ex$ci_method == "beta", ]
  hits <- c(file_rows = 0, domain_rows = 0)
  for (i in seq_len(nrow(ex))) {
    r <- ex[i, ]; num <- function(x) as.numeric(x)
    got <- num(c(r$ci_lower, r$ci_upper))
    a1 <- beta_ci(num(r$estimate), num(r$se), n_all, num(r$df), num(r$level))
    a2 <- beta_ci(num(r$estimate), num(r$se), num(r$n), num(r$df), num(r$level))
    if (same(got, a1, 1e-12)) hits["file_rows"] <- hits["file_rows"] + 1
    if (same(got, a2, 1e-12)) hits["domain_rows"] <- hits["domain_rows"] + 1
  }
  logmsg(sprintf("%-12s beta intervals (%d rows): reproduced with nrow = %d (all rows of the file): %d; with nrow = n of the domain: %d",
                 nm, nrow(ex), n_all, hits[["file_rows"]], hits[["domain_rows"]]))
  if (calibrated[[nm]]) check(hits[["file_rows"]] == nrow(ex), paste(nm, "beta uses all rows"))
  else check(hits[["domain_rows"]] == nrow(ex), paste(nm, "beta uses the domain's rows"))
  passed()
}

# ---------------------------------------------------------------------------------------------------------
# Hand-written variance (what enquete implements) and the alternatives of README section a.
# z: the linearisation (influence) values of one estimate on all n rows (0 outside the domain), with the
# FINAL weights w_f inside: for a mean in domain D, z_i = w_f,i 1{i in D} (y_i - ybar_D) / sum_D w_f.
X_cells <- model.matrix(~interaction(geslacht, leeftijdsgroep) - 1, d)
X_cal <- model.matrix(~geslacht + leeftijdsgroep + wijk, d)
n_h <- as.vector(table(d$wijk))[as.integer(d$wijk)]     # respondents (PSUs) of the stratum, whole file
N_h <- d$wijk_n
strat_var <- function(z, fpc, nh_fpc = n_h) {
  f <- if (fpc) (N_h - nh_fpc) / N_h else rep(1, n_all)
  zc <- z - ave(z, d$wijk)
  sum((f * n_h / (n_h - 1) * zc^2))
}
resid_wls <- function(u, X, v) {           # u - X B, B = argmin sum v (u - X B)^2 (pivoted QR: rank-safe)
  sv <- sqrt(v)
  drop(qr.resid(qr(X * sv), u * sv)) / sv
}
own_var <- function(z, nm, formula, dmask = NULL) {
  if (!calibrated[[nm]] && formula == "fpc_domain_n")    # wrong on purpose: n_h of the domain in 1 - n_h/N_h
    return(strat_var(z, TRUE, ave(as.numeric(dmask), d$wijk, FUN = sum)))
  if (!calibrated[[nm]]) return(strat_var(z, has_fpc[[nm]]))
  wf <- weights(designs[[nm]])
  X <- if (nm == "poststratify") X_cells else X_cal
  u <- z / wf
  zs <- switch(formula,
               i_design_weights = wf * resid_wls(u, X, wd),
               ii_final_weights = wf * resid_wls(u, X, wf),
               iii_unweighted = wf * resid_wls(u, X, rep(1, n_all)),
               no_residuals = z,
               fpc_domain_n = return(strat_var(wf * resid_wls(u, X, wd), TRUE, ave(as.numeric(dmask), d$wijk, FUN = sum))),
               zeroed_outside = { r <- wf * resid_wls(u, X, wd); r[!dmask] <- 0; r },
               domain_only = { r <- numeric(n_all)
                               r[dmask] <- wf[dmask] * resid_wls(u[dmask], X[dmask, , drop = FALSE], wd[dmask]); r })
  strat_var(zs, has_fpc[[nm]])
}
# the domains of a block (as in reference_block_w), with labels
domains_of <- function(b) {
  y <- d[[b$ycol]]
  out <- list(list(mask = !is.na(y), label = paste0(b$ycol, " (all)")))
  for (bn in names(b$by)) for (code in b$by[[bn]]$groups) {
    mk <- !is.na(y) & b$by[[bn]]$values %in% code
    if (any(mk)) out[[length(out) + 1]] <- list(mask = mk, label = paste0(b$ycol, " ", bn, "=", code))
  }
  out
}
formulas <- c("i_design_weights", "ii_final_weights", "iii_unweighted", "no_residuals", "zeroed_outside",
              "domain_only")
vc_rows <- list()
for (nm in names(designs)) {
  des <- designs[[nm]]; wf <- weights(des)
  rel <- list(); rel_deff <- numeric(0)
  nest <- 0
  for (b in blocks) {
    y <- d[[b$ycol]]
    for (dm in domains_of(b)) {
      mk <- dm$mask
      sm <- svymean(as.formula(paste0("~", b$ycol)), des[mk, ], deff = "replace", na.rm = TRUE)
      ybar <- sum(wf[mk] * y[mk]) / sum(wf[mk])
      check(same(ybar, coef(sm)[[1]], 1e-13), paste(nm, "estimate"))
      z <- numeric(n_all); z[mk] <- wf[mk] * (y[mk] - ybar) / sum(wf[mk])
      for (fm in c(formulas, if (has_fpc[[nm]]) "fpc_domain_n")) {
        v <- own_var(z, nm, fm, mk)
        rel[[fm]] <- c(rel[[fm]], setNames(abs(sqrt(v) - SE(sm)[[1]]) / SE(sm)[[1]], dm$label))
      }
      # deff = v / (s^2 / n), s^2 = n/(n-1) sum_D w_f (y - ybar)^2 / sum_D w_f, n = rows in D
      nd <- sum(mk)
      s2 <- nd / (nd - 1) * sum(wf[mk] * (y[mk] - ybar)^2) / sum(wf[mk])
      rel_deff <- c(rel_deff, abs(vcov(sm)[1, 1] / (s2 / nd) - deff(sm)[[1]]) / deff(sm)[[1]])
      nest <- nest + 1
    }
  }
  fms <- if (calibrated[[nm]]) formulas else "i_design_weights"
  if (has_fpc[[nm]]) fms <- c(fms, "fpc_domain_n")
  for (fm in fms)
    vc_rows[[length(vc_rows) + 1]] <- c(nm, if (calibrated[[nm]] || fm != "i_design_weights") fm else "plain_stratified", nest,
                                        fmt17(max(rel[[fm]])), fmt17(median(rel[[fm]])),
                                        names(rel[[fm]])[which.max(rel[[fm]])])
  vc_rows[[length(vc_rows) + 1]] <- c(nm, "deff_formula", nest, fmt17(max(rel_deff)), fmt17(median(rel_deff)),
                                      names(rel[[1]])[which.max(rel_deff)])
  check(max(rel[["i_design_weights"]]) < 1e-12, paste(nm, "formula (i) reproduces R's SE to 1e-12"))
  check(max(rel_deff) < 1e-12, paste(nm, "deff formula"))
  logmsg(sprintf("%-12s SE formula (i) max rel diff %.3g over %d estimates%s", nm,
                 max(rel[["i_design_weights"]]), nest,
                 if (calibrated[[nm]]) sprintf("; (ii) %.3g; (iii) %.3g; no residuals %.3g; (i) zeroed outside the domain %.3g; domain-only regression %.3g",
                                               max(rel[[2]]), max(rel[[3]]), max(rel[[4]]), max(rel[[5]]), max(rel[[6]])) else ""))
  passed()
}
# the subset of a calibrated design keeps the calibration: dropping postStrata changes the SE
sub <- subset(designs$rake, !is.na(kan_balie) & wijk == "6")
s_cal <- SE(svymean(~kan_balie, sub, na.rm = TRUE)); sub$postStrata <- NULL
s_nocal <- SE(svymean(~kan_balie, sub, na.rm = TRUE))
check(survey:::is.calibrated(subset(designs$rake, wijk == "6")) && !same(s_cal, s_nocal, 1e-3),
      "subset keeps the calibration")
logmsg(sprintf("subset() keeps calibration: kan_balie in wijk 6 (rake) SE %.17g; without the stored calibration %.17g",
               s_cal, s_nocal))
vc <- as.data.frame(do.call(rbind, vc_rows), stringsAsFactors = FALSE)
names(vc) <- c("design", "formula", "estimates", "max_rel_diff", "median_rel_diff", "max_at")
write.csv(vc, file.path(here, "variance_check.csv"), row.names = FALSE, quote = c(1, 2, 6))

# ---------------------------------------------------------------------------------------------------------
# rake() (back-fitting) against calibrate(calfun = "raking")
margin_df <- function(v) {
  mv <- marges[marges$variable == v, ]
  x <- data.frame(factor(mv$code, levels = levels(d[[v]])), mv$count); names(x) <- c(v, "Freq"); x
}
rk_rows <- list()
for (ctl in list(list(label = "rake_default_control", control = NULL),
                 list(label = "rake_tight", control = list(maxit = 1000, epsilon = 1e-14)))) {
  rk <- withCallingHandlers(
    if (is.null(ctl$control)) rake(base, list(~geslacht, ~leeftijdsgroep, ~wijk), lapply(cal_vars, margin_df))
    else rake(base, list(~geslacht, ~leeftijdsgroep, ~wijk), lapply(cal_vars, margin_df), control = ctl$control),
    warning = function(w) { logmsg("R warning [rake ", ctl$label, "]: ", conditionMessage(w)); invokeRestart("muffleWarning") })
  ref <- designs$rake
  wdiff <- max(abs(weights(rk) - weights(ref)) / weights(ref))
  sdiff <- numeric(0); own_diff <- numeric(0); iii_diff <- numeric(0)
  for (b in blocks) {
    y <- d[[b$ycol]]
    for (dm in domains_of(b)) {
      mk <- dm$mask
      f <- as.formula(paste0("~", b$ycol))
      s1 <- SE(svymean(f, rk[mk, ], na.rm = TRUE))[[1]]
      s2 <- SE(svymean(f, ref[mk, ], na.rm = TRUE))[[1]]
      sdiff <- c(sdiff, setNames(abs(s1 - s2) / s2, dm$label))
      # own replication of svyrecvar's "raking" branch: 10 passes, per margin k subtract
      # psw_k * (UNWEIGHTED mean of z / psw_k in the margin's category), psw_k = weights after margin k
      wf <- weights(rk); ybar <- sum(wf[mk] * y[mk]) / sum(wf[mk])
      z <- numeric(n_all); z[mk] <- wf[mk] * (y[mk] - ybar) / sum(wf[mk])
      rs <- rk$postStrata[[1]]
      for (iter in 1:10) for (k in seq_along(rs)) {
        psw <- attr(rs[[k]], "weights")
        z <- z - psw * ave(z / psw, as.integer(rs[[k]]))
      }
      own_diff <- c(own_diff, abs(sqrt(strat_var(z, FALSE)) - s1) / s1)
      # formula (iii) with rake()'s weights: unweighted least-squares residual of u = z/w on the margins, times w
      z0 <- numeric(n_all); z0[mk] <- wf[mk] * (y[mk] - ybar) / sum(wf[mk])
      iii_diff <- c(iii_diff, abs(sqrt(strat_var(wf * resid_wls(z0 / wf, X_cal, rep(1, n_all)), FALSE)) - s1) / s1)
    }
  }
  check(max(own_diff) < 1e-12, paste(ctl$label, "own raking-class variance"))
  ctrl <- if (is.null(ctl$control)) "maxit = 10, epsilon = 1 (default)" else "maxit = 1000, epsilon = 1e-14"
  outside6 <- !grepl("wijk=6", names(sdiff), fixed = TRUE)
  rk_rows[[length(rk_rows) + 1]] <- c(ctl$label, ctrl, fmt17(wdiff), fmt17(max(sdiff)), fmt17(median(sdiff)),
                                      names(sdiff)[which.max(sdiff)], fmt17(max(sdiff[outside6])),
                                      fmt17(max(own_diff)), fmt17(max(iii_diff)))
  logmsg(sprintf("rake() %s vs calibrate(raking): weights max rel diff %.3g; SE max rel diff %.3g (median %.3g); own 10-pass replication of rake()'s SE %.3g; formula (iii) vs rake()'s SE %.3g",
                 ctrl, wdiff, max(sdiff), median(sdiff), max(own_diff), max(iii_diff)))
}
rkd <- as.data.frame(do.call(rbind, rk_rows), stringsAsFactors = FALSE)
names(rkd) <- c("variant", "control", "max_rel_diff_weights", "max_rel_diff_se", "median_rel_diff_se",
                "max_at", "max_rel_diff_se_outside_wijk6", "own_replication_max_rel_diff_se",
                "formula_iii_max_rel_diff_se")
write.csv(rkd, file.path(here, "rake_function_check.csv"), row.names = FALSE, quote = c(1, 2, 6))
passed()

# ---------------------------------------------------------------------------------------------------------
# Comparisons (crude, taal), Rao-Scott tests and group-vs-total, per design
zero_weight_warning <- "observations with zero weight not used for calculating dispersion"
# warnings are logged (except glm's zero-weight note, which every svyglm on a subset of a calibrated design
# gives: the rows outside the subset are in the fit with weight 0) and muffled; errors stop the script
logged <- function(expr, context) withCallingHandlers(expr,
  warning = function(w) {
    key <- paste0(context, ": ", conditionMessage(w))
    if (!grepl(zero_weight_warning, conditionMessage(w), fixed = TRUE) && !(key %in% .seen$keys)) {
      .seen$keys <- c(.seen$keys, key)
      logmsg("R warning [", context, "] (once per design and context): ", conditionMessage(w))
    }
    invokeRestart("muffleWarning")
  })

# A. crude comparison: svyglm(y ~ g, subset(des, !is.na(y) & !is.na(g))), README of ../compare, section A
compare_crude_w <- function(des, y, variable, category, g, glev, between) {
  des$variables$.y <- y
  des$variables$.g <- factor(g, levels = glev)
  context <- paste0(variable, "/", category, " by ", between)
  dd <- subset(des, !is.na(.y) & !is.na(.g))
  m <- logged(svyglm(.y ~ .g, design = dd), context)
  est <- setNames(rep(NA_real_, length(glev)), glev)
  if (survey:::is.calibrated(dd)) {
    # svyby(..., covmat = TRUE) fails on calibrated designs in survey 4.1.1 (../compare/README.md):
    # per-group influence functions (all rows kept) through svyrecvar with the stored calibration
    infl <- NULL; present <- character(0)
    for (gg in glev) {
      mk <- !is.na(y) & !is.na(g) & g == gg
      if (!any(mk)) next
      r <- svymean(~.y, dd[mk, ], na.rm = TRUE, influence = TRUE)
      stopifnot(NROW(attr(r, "influence")) == nrow(dd))
      est[gg] <- coef(r)[[1]]; present <- c(present, gg)
      infl <- cbind(infl, attr(r, "influence"))
    }
    V <- svyrecvar(infl, dd$cluster, dd$strata, dd$fpc, postStrata = dd$postStrata)
    dimnames(V) <- list(present, present)
    bcov <- structure(est[present], var = V, statistic = "mean", class = "svystat")
  } else {
    bcov <- svyby(~.y, ~.g, dd, svymean, covmat = TRUE)
    present <- names(coef(bcov)); est[present] <- coef(bcov); V <- vcov(bcov)
  }
  sb <- logged(svyby(~.y, ~.g, dd, svymean, na.rm = TRUE), context)
  check(same(coef(sb), est[present], 1e-13) && same(SE(sb), sqrt(diag(V)), 1e-12),
        paste(context, "own group means/SEs vs svyby"))
  rows <- logged(pair_rows(m, est, glev, variable, category, between, "", context), context)
  logged(check_svyby_contrasts(bcov, m, glev, context), context)
  rows
}

# B. Rao-Scott: svychisq on subset(des, !is.na(x) & !is.na(by)), README of ../compare, section B; own Delta
# for calibrated designs (compare_common's rao_scott_own assumes the subset dropped its rows).
rao_scott_w <- function(dd) {
  v <- dd$variables
  xl <- levels(droplevels(factor(v$.x))); bl <- levels(droplevels(factor(v$.b)))
  nr <- length(xl); nc <- length(bl)
  ok <- !is.na(v$.x) & !is.na(v$.b)
  cell <- match(as.character(v$.x), xl) + nr * (match(as.character(v$.b), bl) - 1)
  mm <- outer(ifelse(ok, cell, 0L), seq_len(nr * nc), "==") * 1
  colnames(mm) <- paste0("c", seq_len(nr * nc))
  N <- nrow(v)                                    # svychisq: nrow of the model matrix = ALL rows of the design
  nu <- length(unique(dd$cluster[, 1])) - length(unique(dd$strata[, 1]))   # idem
  mean2 <- svymean(mm, dd)
  p <- as.vector(coef(mean2)); V <- attr(mean2, "var")
  P <- matrix(p, nr, nc); E <- outer(rowSums(P), colSums(P))
  X2 <- N * sum((P - E)^2 / E)
  mf1 <- expand.grid(rows = 1:nr, cols = 1:nc)
  X1 <- model.matrix(~factor(rows) + factor(cols), mf1)
  X12 <- model.matrix(~factor(rows) * factor(cols), mf1)
  C <- qr.resid(qr(X1), X12[, -(1:(nr + nc - 1)), drop = FALSE])
  iD <- diag(ifelse(p == 0, 0, 1 / p), length(p))
  Delta <- solve(t(C) %*% (iD / N) %*% C, t(C) %*% iD %*% V %*% iD %*% C)
  trD <- sum(diag(Delta)); d0 <- trD^2 / sum(diag(Delta %*% Delta))
  n_valid <- sum(weights(dd) != 0)
  nu_subset <- length(unique(dd$cluster[weights(dd) != 0, 1])) - length(unique(dd$strata[weights(dd) != 0, 1]))
  list(N = N, nu = nu, X2 = X2, f = X2 / trD, ndf = d0, ddf = d0 * nu,
       p_f = pf(X2 / trD, d0, d0 * nu, lower.tail = FALSE),
       chisq1 = X2 / mean(diag(Delta)), df1 = ncol(Delta),
       p_chisq = pchisq(X2 / mean(diag(Delta)), ncol(Delta), lower.tail = FALSE),
       n_valid = n_valid, nu_subset = nu_subset)
}
test_block_w <- function(des, x, xlev, variable, category, byname, by, bylev) {
  des$variables$.x <- x
  des$variables$.b <- by
  dd <- subset(des, !is.na(.x) & !is.na(.b))
  dd$variables$.x <- factor(dd$variables$.x, levels = intersect(xlev, unique(dd$variables$.x)))
  dd$variables$.b <- factor(dd$variables$.b, levels = intersect(bylev, unique(dd$variables$.b)))
  n <- sum(!is.na(x) & !is.na(by))
  context <- paste0(variable, "/", category, " by ", byname)
  rF <- logged(svychisq(~.x + .b, dd, statistic = "F"), context)
  rC <- logged(svychisq(~.x + .b, dd, statistic = "Chisq"), context)
  own <- logged(rao_scott_w(dd), paste(context, "(own Delta)"))
  if (is.null(rF) || is.null(rC) || is.null(own)) return(c(variable, category, byname, n, rep("", 8)))
  check(same(rF$statistic, own$f, 1e-10), paste(context, "F"))
  check(same(rF$parameter[["ndf"]], own$ndf, 1e-10), paste(context, "ndf"))
  check(same(rF$parameter[["ddf"]], own$ddf, 1e-10), paste(context, "ddf"))
  check(same(rF$p.value, own$p_f, 1e-8), paste(context, "p_f"))
  check(same(rC$statistic, own$X2, 1e-10), paste(context, "Pearson X2"))
  check(same(rC$parameter[["df"]], own$df1, 0), paste(context, "df"))
  check(same(rC$p.value, own$p_chisq, 1e-8), paste(context, "p_chisq"))
  check(same(own$chisq1, own$df1 * rF$statistic, 1e-12), paste(context, "chisq_first_order = df * F"))
  check(own$n_valid == n, paste(context, "n"))
  passed()
  list(row = c(variable, category, byname, n, fmt17(rF$statistic), fmt17(rF$parameter[["ndf"]]),
               fmt17(rF$parameter[["ddf"]]), fmt17(rF$p.value), fmt17(own$chisq1), fmt17(rC$parameter[["df"]]),
               fmt17(rC$p.value), fmt17(rC$statistic)),
       N = own$N, nu = own$nu, nu_subset = own$nu_subset)
}

# C. each group against the total: svymean(~I(y*ind) + ind + y, subset(des, !is.na(y))),
# svycontrast(quote(`I(y * ind)`/ind - y)); cross-checked with the hand linearisation
AGAINST_COLS <- c("variable", "category", "between", "group_a", "group_b", "estimate_a", "estimate_b",
                  "difference", "se", "df", "t", "p_value")
against_block <- function(des, yv, variable, category, between, g, glev, nm_des) {
  rows <- list()
  wf_all <- weights(des)
  for (gg in glev) {
    ind <- as.numeric(!is.na(g) & g == gg)
    if (!any(!is.na(yv) & ind == 1)) next
    des$variables$y <- yv
    des$variables$ind <- ind
    dd <- subset(des, !is.na(y))
    m <- svymean(~I(y * ind) + ind + y, dd, na.rm = TRUE)
    stopifnot(identical(names(coef(m)), c("I(y * ind)", "ind", "y")))
    sc <- svycontrast(m, quote(`I(y * ind)` / ind - y))
    dif <- coef(sc)[[1]]; se <- SE(sc)[[1]]
    cf <- coef(m)
    p_g <- cf[["I(y * ind)"]] / cf[["ind"]]; p <- cf[["y"]]
    dfree <- degf(dd)
    tt <- dif / se
    # hand linearisation: z_i = w_i [1{i in g}(y_i - p_g)/N_g - (y_i - p)/N] over valid rows (final weights)
    # (all n rows; wf = final weights of the whole design; 0 outside the valid rows)
    wf <- wf_all; ok <- !is.na(yv); y0 <- ifelse(ok, yv, 0)
    Ng <- sum(wf[ok] * ind[ok]); Nt <- sum(wf[ok])
    check(same(p_g, sum(wf[ok] * ind[ok] * y0[ok]) / Ng, 1e-13) && same(p, sum(wf[ok] * y0[ok]) / Nt, 1e-13),
          "against estimates")
    z <- ifelse(ok, wf * (ind * (y0 - p_g) / Ng - (y0 - p) / Nt), 0)
    rows_dd <- if (nrow(dd$variables) == n_all) rep(TRUE, n_all) else ok   # calibrated: subset keeps all rows
    v1 <- svyrecvar(z[rows_dd], dd$cluster, dd$strata, dd$fpc, postStrata = dd$postStrata)
    dd$variables$zz <- ifelse(ok, ind * (y0 - p_g) / Ng - (y0 - p) / Nt, NA)[rows_dd]   # without the weight
    v2 <- vcov(svytotal(~zz, dd, na.rm = TRUE))
    check(same(sqrt(v1[1, 1]), se, 1e-10), paste(variable, category, gg, "svyrecvar(z) == svycontrast se"))
    check(same(sqrt(v2[1, 1]), se, 1e-10), paste(variable, category, gg, "svytotal(z/w) == svycontrast se"))
    # and the formula of README section a on the full design (enquete's computation)
    v3 <- own_var(z, nm_des, "i_design_weights")
    check(same(sqrt(v3), se, 1e-10), paste(variable, category, gg, "own formula (i)"))
    .agr$d <- pmax(.agr$d, abs(sqrt(c(v1[1, 1], v2[1, 1], v3)) - se) / se)
    rows[[length(rows) + 1]] <- c(variable, category, between, "(all)", gg, fmt17(p), fmt17(p_g), fmt17(dif),
                                  fmt17(se), fmt17(dfree), fmt17(tt), fmt17(2 * pt(-abs(tt), dfree)))
  }
  passed()
  rows
}
write_against <- function(rows, path) {
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- AGAINST_COLS
  write.csv(out, path, row.names = FALSE, quote = 1:5, na = "")
  invisible(out)
}

t_cmp <- proc.time()[["elapsed"]]
ys <- c(lapply(items, function(it) list("kanaal", it, d[[it]])),
        lapply(info_codes, function(code) list("info", code, d[[paste0("info_", code)]])),
        list(list("tevredenheid", "", d$tevredenheid)))
.seen <- new.env(); .agr <- new.env()
for (nm in names(designs)) {
  .seen$keys <- character(0)
  des <- designs[[nm]]
  crows <- list()
  for (y in ys) crows <- c(crows, compare_crude_w(des, y[[3]], y[[1]], y[[2]], taal, taal_codes, "taal"))
  write_compare(crows, file.path(here, paste0(nm, "_compare.csv")))
  trows <- list(); nus <- character(0)
  tb <- list()
  for (it in items) for (bn in names(by_kanaal))
    tb[[length(tb) + 1]] <- test_block_w(des, as.character(d[[it]]), c("0", "1"), "kanaal", it, bn,
                                         by_kanaal[[bn]]$values, by_kanaal[[bn]]$groups)
  tb[[length(tb) + 1]] <- test_block_w(des, info, info_codes, "info", "", "geslacht", geslacht, sex_codes)
  write_test(lapply(tb, `[[`, "row"), file.path(here, paste0(nm, "_test.csv")))
  logmsg(sprintf("%s svychisq: N (X2 scale) in {%s}, nu in {%s}; nu of the rows in the subset would be {%s}", nm,
                 paste(sort(unique(sapply(tb, `[[`, "N"))), collapse = ","),
                 paste(sort(unique(sapply(tb, `[[`, "nu"))), collapse = ","),
                 paste(sort(unique(sapply(tb, `[[`, "nu_subset"))), collapse = ",")))
  arows <- list()
  .agr$d <- c(0, 0, 0)
  for (it in items) for (bn in c("leeftijdsgroep", "wijk"))
    arows <- c(arows, against_block(des, d[[it]], "kanaal", it, bn, by_kanaal[[bn]]$values, by_kanaal[[bn]]$groups, nm))
  for (code in info_codes)
    arows <- c(arows, against_block(des, d[[paste0("info_", code)]], "info", code, "geslacht", geslacht, sex_codes, nm))
  write_against(arows, file.path(here, paste0(nm, "_against.csv")))
  logmsg(sprintf("%s_against.csv: %d rows; svycontrast se vs hand z: svyrecvar(z) %.3g, svytotal(~z/w) %.3g, own formula (i) %.3g (max rel diff)",
                 nm, length(arows), .agr$d[1], .agr$d[2], .agr$d[3]))
}
t_cmp <- proc.time()[["elapsed"]] - t_cmp

el <- proc.time()[["elapsed"]] - t_start
write_log(file.path(here, "reference_log.txt"),
          sprintf("reference.R: elapsed %.1f s (expected.csv %.1f s, compare/test/against %.1f s)", el, t_exp, t_cmp))
message(sprintf("done in %.1f s", el))
