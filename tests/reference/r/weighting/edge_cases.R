# How postStratify / calibrate / rake (survey 4.1.1) react to problem input, on variants of this fixture.
# Run from anywhere:  Rscript tests/reference/r/weighting/edge_cases.R      -> edge_cases.txt (deterministic)
# Every case prints R's printed output, warnings and error messages verbatim. Summary: README.md, section e.
{
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  here <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
}
source(file.path(here, "..", "common.R"))
options(width = 110)

raw <- read_raw(file.path(here, "data.csv"), sep = ";", dec = ",")
bins <- list(list(label = "18-34", min = 18, max = 34), list(label = "35-54", min = 35, max = 54),
             list(label = "55-64", min = 55, max = 64), list(label = "65+", min = 65))
age_codes <- sapply(bins, `[[`, "label")
d <- data.frame(wijk = factor(raw$wijk, levels = as.character(1:6)),
                ontwerpgewicht = as_num(raw$ontwerpgewicht, dec = ","),
                geslacht = factor(raw$geslacht, levels = c("1", "2")),
                leeftijdsgroep = factor(as_bins(as_num(raw$leeftijd), bins), levels = age_codes),
                kan_email = as_item(raw$kan_email))
marges <- read.table(file.path(here, "marges.csv"), sep = ";", header = TRUE, colClasses = c("character", "character", "numeric"))
cellen <- read.table(file.path(here, "cellen.csv"), sep = ";", header = TRUE, colClasses = c("character", "character", "numeric"))
ps_pop <- data.frame(geslacht = cellen$geslacht, leeftijdsgroep = cellen$leeftijdsgroep, Freq = cellen$count)
popvec <- function(dd) {
  p <- c(`(Intercept)` = sum(cellen$count))
  for (v in c("geslacht", "leeftijdsgroep", "wijk")) {
    lev <- levels(dd[[v]]); mv <- marges[marges$variable == v, ]
    p <- c(p, setNames(mv$count[match(lev[-1], mv$code)], paste0(v, lev[-1])))
  }
  p
}
FML <- ~geslacht + leeftijdsgroep + wijk
des_of <- function(dd) svydesign(ids = ~1, strata = ~wijk, weights = ~ontwerpgewicht, data = dd)

out <- character(0)
say <- function(...) out <<- c(out, paste0(...))
# run expr; record printed output, warnings, the error (or "no error") and, if a value, a short summary
attempt <- function(title, call_text, expr, summary = NULL) {
  say(""); say("## ", title); say("call: ", call_text)
  warns <- character(0); val <- NULL; err <- NULL
  printed <- capture.output(
    val <- withCallingHandlers(tryCatch(expr, error = function(e) { err <<- conditionMessage(e); NULL }),
                               warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") }))
  if (length(printed)) { say("printed:"); for (l in printed) say("    ", l) }
  for (w in unique(warns)) say("warning", if (sum(warns == w) > 1) sprintf(" (%d times)", sum(warns == w)) else "", ": ", w)
  say(if (is.null(err)) "error: (none)" else paste0("error: ", err))
  if (!is.null(val) && !is.null(summary)) {
    sw <- character(0)
    res <- withCallingHandlers(tryCatch(summary(val), error = function(e) paste0("ERROR: ", conditionMessage(e))),
                               warning = function(w) { sw <<- c(sw, conditionMessage(w)); invokeRestart("muffleWarning") })
    for (w in unique(sw)) say("result warning", if (sum(sw == w) > 1) sprintf(" (%d times)", sum(sw == w)) else "", ": ", w)
    for (l in res) say("result: ", l)
  }
  invisible(val)
}
wsum <- function(des) c(sprintf("sum of weights %.10g; g in [%.6g, %.6g]", sum(weights(des)),
                                min(weights(des) / des$variables$ontwerpgewicht), max(weights(des) / des$variables$ontwerpgewicht)))

say("# edge_cases.txt: R ", as.character(getRversion()), ", survey ", as.character(packageVersion("survey")))
say("# fixture data.csv (1600 rows), marges.csv, cellen.csv; design svydesign(ids = ~1, strata = ~wijk, weights = ~ontwerpgewicht)")

# ---- 1. population cell / category absent from the sample
d1 <- d[!(d$geslacht == "1" & d$leeftijdsgroep == "18-34"), ]
attempt("1a postStratify: population cell (geslacht 1, 18-34) has no respondents",
        "postStratify(des, ~geslacht + leeftijdsgroep, cells)",
        postStratify(des_of(d1), ~geslacht + leeftijdsgroep, ps_pop), wsum)
attempt("1b same with partial = TRUE",
        "postStratify(des, ~geslacht + leeftijdsgroep, cells, partial = TRUE)",
        postStratify(des_of(d1), ~geslacht + leeftijdsgroep, ps_pop, partial = TRUE), wsum)
d1c <- d[d$leeftijdsgroep != "65+", ]              # the factor keeps the level: an all-zero column
attempt("1c calibrate raking: margin category leeftijdsgroep 65+ has no respondents (factor level kept: all-zero column, population 8346)",
        "calibrate(des, ~geslacht + leeftijdsgroep + wijk, pop, calfun = 'raking', epsilon = 1e-12, maxit = 100)",
        calibrate(des_of(d1c), FML, popvec(d1c), calfun = "raking", epsilon = 1e-12, maxit = 100), wsum)
attempt("1d calibrate linear (unbounded = regcalibrate): same data",
        "calibrate(des, ~geslacht + leeftijdsgroep + wijk, pop, calfun = 'linear')",
        calibrate(des_of(d1c), FML, popvec(d1c), calfun = "linear"), wsum)
d1e <- d1c; d1e$leeftijdsgroep <- droplevels(d1e$leeftijdsgroep)
attempt("1e calibrate raking: the absent level dropped from the factor, population still lists it",
        "calibrate(des, ~..., pop (12 entries), calfun = 'raking')",
        calibrate(des_of(d1e), FML, popvec(d1c), calfun = "raking", epsilon = 1e-12, maxit = 100), wsum)
attempt("1f calibrate raking: all-zero column with population 0 is dropped silently (other totals: 1.05 x the sample's)",
        "calibrate(des, ~..., pop = 1.05 * colSums(model.matrix * w) with leeftijdsgroep65+ = 0, calfun = 'raking')",
        { mm <- model.matrix(FML, d1c); p <- 1.05 * colSums(mm * d1c$ontwerpgewicht)
          stopifnot(p[["leeftijdsgroep65+"]] == 0)
          calibrate(des_of(d1c), FML, p, calfun = "raking", epsilon = 1e-12, maxit = 100) }, wsum)
d1g <- d[d$leeftijdsgroep != "18-34", ]
attempt("1g calibrate raking: the REFERENCE level 18-34 has no respondents (no zero column; margins now infeasible)",
        "calibrate(des, ~geslacht + leeftijdsgroep + wijk, pop, calfun = 'raking', epsilon = 1e-12, maxit = 100)",
        calibrate(des_of(d1g), FML, popvec(d1g), calfun = "raking", epsilon = 1e-12, maxit = 100), wsum)

# ---- 2. sample category absent from the population table
attempt("2a postStratify: cell (geslacht 2, 65+) missing from the population table",
        "postStratify(des, ~geslacht + leeftijdsgroep, cells[-8, ])",
        postStratify(des_of(d), ~geslacht + leeftijdsgroep, ps_pop[-8, ]), wsum)
attempt("2b postStratify: cell (geslacht 2, 65+) has population count 0",
        "postStratify(des, ~geslacht + leeftijdsgroep, cells with Freq[8] = 0)",
        { p <- ps_pop; p$Freq[8] <- 0; postStratify(des_of(d), ~geslacht + leeftijdsgroep, p) }, wsum)
attempt("2c calibrate raking: population vector lacks wijk6",
        "calibrate(des, ~..., pop[names(pop) != 'wijk6'], calfun = 'raking')",
        { p <- popvec(d); calibrate(des_of(d), FML, p[names(p) != "wijk6"], calfun = "raking") }, wsum)
attempt("2d calibrate raking: population count 0 for wijk6 (respondents present)",
        "calibrate(des, ~..., pop with wijk6 = 0 (and the total reduced), calfun = 'raking', epsilon = 1e-12, maxit = 100)",
        { p <- popvec(d); p[["(Intercept)"]] <- p[["(Intercept)"]] - 150; p[["wijk6"]] <- 0
          calibrate(des_of(d), FML, p, calfun = "raking", epsilon = 1e-12, maxit = 100) }, wsum)
attempt("2f calibrate raking: same (wijk6 = 0) with the default epsilon 1e-7 and maxit 50",
        "calibrate(des, ~..., pop with wijk6 = 0, calfun = 'raking')",
        { p <- popvec(d); p[["(Intercept)"]] <- p[["(Intercept)"]] - 150; p[["wijk6"]] <- 0
          calibrate(des_of(d), FML, p, calfun = "raking") },
        function(des) c(wsum(des), sprintf("sum of the weights in wijk 6: %.3g", sum(weights(des)[des$variables$wijk == "6"]))))
attempt("2e calibrate linear: same (wijk6 = 0)",
        "calibrate(des, ~..., pop with wijk6 = 0, calfun = 'linear')",
        { p <- popvec(d); p[["(Intercept)"]] <- p[["(Intercept)"]] - 150; p[["wijk6"]] <- 0
          calibrate(des_of(d), FML, p, calfun = "linear") }, wsum)

# ---- 3. NA in a calibration variable
d3 <- d; d3$geslacht[c(5, 17)] <- NA
attempt("3a postStratify: geslacht NA for 2 respondents",
        "postStratify(des, ~geslacht + leeftijdsgroep, cells)",
        postStratify(des_of(d3), ~geslacht + leeftijdsgroep, ps_pop), wsum)
attempt("3b calibrate raking: geslacht NA for 2 respondents",
        "calibrate(des, ~geslacht + leeftijdsgroep + wijk, pop, calfun = 'raking')",
        calibrate(des_of(d3), FML, popvec(d3), calfun = "raking", epsilon = 1e-12, maxit = 100), wsum)
attempt("3c calibrate linear: geslacht NA for 2 respondents",
        "calibrate(des, ~geslacht + leeftijdsgroep + wijk, pop, calfun = 'linear')",
        calibrate(des_of(d3), FML, popvec(d3), calfun = "linear"), wsum)
attempt("3d rake(): geslacht NA for 2 respondents",
        "rake(des, list(~geslacht, ~leeftijdsgroep), list(margin data frames))",
        rake(des_of(d3), list(~geslacht, ~leeftijdsgroep),
             list(data.frame(geslacht = c("1", "2"), Freq = marges$count[1:2]),
                  data.frame(leeftijdsgroep = age_codes, Freq = marges$count[3:6]))), wsum)

# ---- 4. logit without bounds, bounds that do not contain 1
attempt("4a calibrate logit without bounds",
        "calibrate(des, ~..., pop, calfun = 'logit')",
        calibrate(des_of(d), FML, popvec(d), calfun = "logit"), wsum)
attempt("4b calibrate logit with bounds c(1.1, 3) (L > 1)",
        "calibrate(des, ~..., pop, calfun = 'logit', bounds = c(1.1, 3))",
        calibrate(des_of(d), FML, popvec(d), calfun = "logit", bounds = c(1.1, 3)), wsum)

attempt("4c calibrate logit with bounds c(0.3, 0.9) (U < 1)",
        "calibrate(des, ~..., pop, calfun = 'logit', bounds = c(0.3, 0.9))",
        calibrate(des_of(d), FML, popvec(d), calfun = "logit", bounds = c(0.3, 0.9)), wsum)

# ---- 5. no convergence
attempt("5a calibrate logit with infeasible bounds c(0.7, 1.3)",
        "calibrate(des, ~..., pop, calfun = 'logit', bounds = c(0.7, 1.3), epsilon = 1e-12, maxit = 100)",
        calibrate(des_of(d), FML, popvec(d), calfun = "logit", bounds = c(0.7, 1.3), epsilon = 1e-12, maxit = 100), wsum)
attempt("5b same with force = TRUE (weights returned anyway)",
        "calibrate(..., bounds = c(0.7, 1.3), epsilon = 1e-12, maxit = 100, force = TRUE)",
        calibrate(des_of(d), FML, popvec(d), calfun = "logit", bounds = c(0.7, 1.3), epsilon = 1e-12, maxit = 100,
                  force = TRUE), wsum)
attempt("5c calibrate raking, maxit = 2",
        "calibrate(des, ~..., pop, calfun = 'raking', epsilon = 1e-12, maxit = 2)",
        calibrate(des_of(d), FML, popvec(d), calfun = "raking", epsilon = 1e-12, maxit = 2), wsum)
attempt("5d rake(), control = list(maxit = 2, epsilon = 1e-12)",
        "rake(des, list(~geslacht, ~leeftijdsgroep, ~wijk), margins, control = list(maxit = 2, epsilon = 1e-12))",
        rake(des_of(d), list(~geslacht, ~leeftijdsgroep, ~wijk),
             lapply(c("geslacht", "leeftijdsgroep", "wijk"), function(v) {
               mv <- marges[marges$variable == v, ]; x <- data.frame(mv$code, mv$count); names(x) <- c(v, "Freq"); x }),
             control = list(maxit = 2, epsilon = 1e-12)), wsum)

# ---- 6. a respondent with design weight 0
d6 <- d; d6$ontwerpgewicht[3] <- 0                 # respondent 3: wijk 1, geslacht 1, 55-64
se_of <- function(des) {
  s <- svymean(~kan_email, des, na.rm = TRUE)
  sprintf("svymean(~kan_email): %.17g, SE %.17g, degf %d", coef(s)[[1]], SE(s)[[1]], degf(des))
}
ps6 <- attempt("6a postStratify with a zero design weight, then svymean",
               "svymean(~kan_email, postStratify(des, ~geslacht + leeftijdsgroep, cells), na.rm = TRUE)",
               postStratify(des_of(d6), ~geslacht + leeftijdsgroep, ps_pop), se_of)
if (!is.null(ps6)) {
  # R's residual for the zero-weight row: psw (and oldw) are 0 there, R sets psw = 1 and subtracts
  # psmean * 1, so that row gets residual -psmean (not 0). Reproduce both ways by hand.
  w <- weights(ps6); wd0 <- d6$ontwerpgewicht; y <- d6$kan_email; ok <- !is.na(y)
  ybar <- sum(w[ok] * y[ok]) / sum(w[ok])
  z <- ifelse(ok, w * (y - ybar) / sum(w[ok]), 0)
  cell <- interaction(d6$geslacht, d6$leeftijdsgroep)
  u <- ifelse(w > 0, z / w, 0)
  cm <- tapply(wd0 * u, cell, sum) / tapply(wd0, cell, sum)
  strat <- function(zs) { nh <- ave(zs, d6$wijk, FUN = length); sum(nh / (nh - 1) * (zs - ave(zs, d6$wijk))^2) }
  zs_r <- ifelse(w > 0, w * (u - cm[cell]), -cm[cell])       # R: residual -psmean for the zero row
  zs_0 <- ifelse(w > 0, w * (u - cm[cell]), 0)               # zero row contributes 0
  say(sprintf("hand: zero-weight row residual = -cell mean (R's psw <- 1): SE %.17g; zero-weight row residual 0: SE %.17g",
              sqrt(strat(zs_r)), sqrt(strat(zs_0))))
}
attempt("6b calibrate raking with a zero design weight, then svymean",
        "svymean(~kan_email, calibrate(des, ~..., pop, calfun = 'raking'), na.rm = TRUE)",
        calibrate(des_of(d6), FML, popvec(d6), calfun = "raking", epsilon = 1e-12, maxit = 100), se_of)
attempt("6c calibrate linear with a zero design weight, then svymean",
        "svymean(~kan_email, calibrate(des, ~..., pop, calfun = 'linear'), na.rm = TRUE)",
        calibrate(des_of(d6), FML, popvec(d6), calfun = "linear"), se_of)
attempt("6d calibrate raking with a zero design weight, svymean on subset(des, weight > 0)",
        "svymean(~kan_email, subset(calibrate(...), ontwerpgewicht > 0), na.rm = TRUE)",
        subset(calibrate(des_of(d6), FML, popvec(d6), calfun = "raking", epsilon = 1e-12, maxit = 100),
               ontwerpgewicht > 0), se_of)

# ---- 7. grake's rescaling: if min(population / sample total) > 20 over the model-matrix columns, the design
# weights are first multiplied by scale = mean(population / sample total) (a mean over the columns of
# model.matrix: intercept + non-reference dummies), and the bounds then apply to g' = final / (scale * w).
BND <- c(0.6, 1.55)
scale_of <- function(dd) { mm <- model.matrix(FML, dd); pp <- popvec(dd); st <- colSums(mm * dd$ontwerpgewicht)
  c(min = min(pp / st), mean = mean(pp / st)) }
d7 <- d; d7$ontwerpgewicht <- 1
sc7 <- scale_of(d7)
say(""); say(sprintf("## 7: no design weight (all 1): min(pop / sample total) = %.17g, scale = mean(pop / sample total) = %.17g", sc7[["min"]], sc7[["mean"]]))
r7 <- attempt("7a calibrate raking with all design weights 1",
              "calibrate(des1, ~..., pop, calfun = 'raking', epsilon = 1e-12, maxit = 100)",
              calibrate(des_of(d7), FML, popvec(d7), calfun = "raking", epsilon = 1e-12, maxit = 100), wsum)
r7b <- attempt("7b calibrate logit, bounds c(0.6, 1.55), all design weights 1",
               "calibrate(des1, ~..., pop, calfun = 'logit', bounds = c(0.6, 1.55), epsilon = 1e-12, maxit = 100)",
               calibrate(des_of(d7), FML, popvec(d7), calfun = "logit", bounds = BND, epsilon = 1e-12, maxit = 100), wsum)
BND7 <- c(0.5, 1.7)   # feasible after the rescaling
d7n <- d; d7n$ontwerpgewicht <- d$ontwerpgewicht / sum(d$ontwerpgewicht)   # normalised to sum 1
sc7n <- scale_of(d7n)
say(""); say(sprintf("## 7c: design weights normalised to sum 1: min(pop / sample total) = %.17g (> 20), scale = mean(pop / sample total) = %.17g", sc7n[["min"]], sc7n[["mean"]]))
r7c <- attempt("7c calibrate logit, bounds c(0.5, 1.7), design weights normalised to sum 1",
               "calibrate(des_sum1, ~..., pop, calfun = 'logit', bounds = c(0.5, 1.7), epsilon = 1e-12, maxit = 100)",
               calibrate(des_of(d7n), FML, popvec(d7n), calfun = "logit", bounds = BND7, epsilon = 1e-12, maxit = 100), wsum)
d7s <- d7n; d7s$ontwerpgewicht <- d7n$ontwerpgewicht * sc7n[["mean"]]
r7d <- attempt("7d the same with the design weights multiplied by that scale beforehand (then no rescaling happens)",
               "calibrate(svydesign(..., weights = w_sum1 * scale), ~..., pop, calfun = 'logit', bounds = c(0.5, 1.7), ...)",
               calibrate(des_of(d7s), FML, popvec(d7s), calfun = "logit", bounds = BND7, epsilon = 1e-12, maxit = 100), wsum)
r_orig <- calibrate(des_of(d), FML, popvec(d), calfun = "logit", bounds = BND7, epsilon = 1e-12, maxit = 100)
if (!is.null(r7c) && !is.null(r7d))
  say(sprintf("7c vs 7d: max relative weight difference %.3g; 7c's g' = final / (scale * w) in [%.9g, %.9g]; 7c vs the same bounds on the original (unnormalised) weights: max relative difference %.3g",
              max(abs(weights(r7c) - weights(r7d)) / weights(r7d)),
              min(weights(r7c) / d7s$ontwerpgewicht), max(weights(r7c) / d7s$ontwerpgewicht),
              max(abs(weights(r7c) - weights(r_orig)) / weights(r_orig))))
r7e <- calibrate(des_of(d7n), FML, popvec(d7n), calfun = "raking", epsilon = 1e-12, maxit = 100)
r7f <- calibrate(des_of(d), FML, popvec(d), calfun = "raking", epsilon = 1e-12, maxit = 100)
say(sprintf("raking (no bounds) on the sum-1 weights vs on the original weights: max relative weight difference %.3g (scale-invariant)",
            max(abs(weights(r7e) - weights(r7f)) / weights(r7f))))

writeLines(out, file.path(here, "edge_cases.txt"))
cat(out, sep = "\n")
