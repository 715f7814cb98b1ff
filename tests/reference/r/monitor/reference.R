# R survey references for the analyses a monitor publishes: scale scores (SPSS MEAN.n, reversed and
# rescaled items) and Cronbach's alpha, quantiles (svyquantile, Woodruff), totals (svytotal), tests
# against an external benchmark, response rates and statement batteries with NET (top-2-box) shares.
# Run from anywhere:  Rscript tests/reference/r/monitor/reference.R   (after make_data.R)
# Writes next to itself: <design>_estimates.csv and <design>_benchmark.csv for design in srs, strat,
# clus, rake; alpha.csv; response.csv; log.txt. Definitions and formats: README.md in this folder.
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
source(file.path(here, "..", "common.R"))        # read_raw, as_num, as_cat, as_bins, as_item, fmt17; lonely.psu
if (!isTRUE(l10n_info()[["UTF-8"]])) stop("run in a UTF-8 locale")
.log <- character(0)
logmsg <- function(...) { s <- paste0(...); message(s); .log <<- c(.log, s) }
.passed <- 0
check <- function(cond, what) { if (!isTRUE(cond)) stop("CHECK FAILED: ", what); .passed <<- .passed + 1 }
same <- function(a, b, tol = 1e-12) {
  a <- as.numeric(a); b <- as.numeric(b)
  length(a) == length(b) && all((is.na(a) & is.na(b)) |
    (!is.na(a) & !is.na(b) & abs(a - b) <= tol * pmax(abs(a), abs(b), 1e-300)))
}
muffle <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))

# ---------------------------------------------------------------------------------------------------------------
# Data, as the codebooks in this folder declare it.
raw <- read_raw(file.path(here, "data.csv"), sep = ";", dec = ",")
n <- nrow(raw)
age_bins <- list(list(label = "18-34", min = 18, max = 34), list(label = "35-54", min = 35, max = 54),
                 list(label = "55-74", min = 55, max = 74), list(label = "75+", min = 75))
V <- list()
V$leeftijd <- as_num(raw$leeftijd)
V$leeftijdsgroep <- as_bins(V$leeftijd, age_bins)
V$geslacht <- as_cat(raw$geslacht, c("1", "2"), name = "geslacht")
V$taal <- as_cat(raw$taal, c("NL", "EN"), name = "taal")
V$wijk <- as_cat(raw$wijk, as.character(1:6), name = "wijk")
ST <- paste0("st_", 1:5)
for (s in ST) V[[s]] <- as_cat(raw[[s]], as.character(1:5), missing = "9", name = s)
VG <- paste0("vg_", 1:3)
for (s in VG) V[[s]] <- as_num(raw[[s]])
V$cijfer <- as_num(raw$cijfer)
V$woonlasten <- as_num(raw$woonlasten, dec = ",", missing = "9999")
V$vervoer <- as_cat(raw$vervoer, as.character(1:4), missing = "99", name = "vervoer")
VOORZ <- c("voorz_sport", "voorz_cultuur", "voorz_groen")
for (s in VOORZ) V[[s]] <- as_item(raw[[s]], "1")

# Scale scores as SPSS MEAN.min_valid over the items, each reversed as lo + hi - x where asked; the mean of the
# valid items (summed in item order, then divided: the same operations as enquete, so the scores are equal to
# the last bit and quantiles of a score can be compared exactly), rescaled linearly from [lo, hi] to `range`.
scale_score <- function(items, reverse, min_valid, lo, hi, range = NULL) {
  s <- rep(0, n); cnt <- rep(0, n)
  for (it in items) {
    x <- as.numeric(V[[it]])
    if (it %in% reverse) x <- lo + hi - x
    ok <- !is.na(x)
    s[ok] <- s[ok] + x[ok]
    cnt <- cnt + ok
  }
  m <- s / cnt
  m[cnt < min_valid] <- NA
  if (!is.null(range)) m <- range[1] + (m - lo) / (hi - lo) * (range[2] - range[1])
  m
}
SCALES <- list(
  cohesie = list(items = ST, reverse = c("st_2", "st_4"), min_valid = 3, lo = 1, hi = 5, range = c(0, 10)),
  veiligheid = list(items = VG, reverse = character(0), min_valid = 2, lo = 1, hi = 5, range = NULL))
for (s in names(SCALES)) {
  d <- SCALES[[s]]
  V[[s]] <- scale_score(d$items, d$reverse, d$min_valid, d$lo, d$hi, d$range)
}
# the scale's mean equals rowMeans(na.rm) where enough items are valid (a check of the definition)
X <- sapply(ST, function(i) { x <- as.numeric(V[[i]]); if (i %in% c("st_2", "st_4")) 6 - x else x })
rm_ <- rowMeans(X, na.rm = TRUE) * 10 / 4 - 10 / 4
rm_[rowSums(!is.na(X)) < 3] <- NA
check(same(rm_, V$cohesie, 1e-14), "cohesie equals rowMeans rescaled")
cohesie_bins <- list(list(label = "laag", min = 0, max = 4.999), list(label = "midden", min = 5, max = 7.499),
                     list(label = "hoog", min = 7.5))
V$cohesie_groep <- as_bins(V$cohesie, cohesie_bins)
logmsg("cohesie: ", sum(!is.na(V$cohesie)), " scores; veiligheid: ", sum(!is.na(V$veiligheid)), " scores")

# ---------------------------------------------------------------------------------------------------------------
# Cronbach's alpha (SPSS RELIABILITY /MODEL = ALPHA): unweighted, respondents with every item valid, reversed items.
alpha_rows <- list()
for (s in names(SCALES)) {
  d <- SCALES[[s]]
  X <- sapply(d$items, function(i) { x <- as.numeric(V[[i]]); if (i %in% d$reverse) d$lo + d$hi - x else x })
  X <- X[complete.cases(X), , drop = FALSE]
  k <- ncol(X)
  alpha <- k / (k - 1) * (1 - sum(apply(X, 2, var)) / var(rowSums(X)))
  # the same from the covariance matrix (the textbook form)
  C <- cov(X)
  check(same(alpha, k / (k - 1) * (1 - sum(diag(C)) / sum(C)), 1e-12), paste("alpha forms agree", s))
  alpha_rows[[s]] <- c(s, paste(d$items, collapse = " "), nrow(X), fmt17(alpha))
  logmsg("alpha ", s, ": ", format(alpha, digits = 6), " on ", nrow(X), " complete respondents")
}
alpha_out <- as.data.frame(do.call(rbind, alpha_rows), stringsAsFactors = FALSE)
names(alpha_out) <- c("scale", "items", "n_complete", "alpha")
write.csv(alpha_out, file.path(here, "alpha.csv"), row.names = FALSE, quote = c(1, 2))

# ---------------------------------------------------------------------------------------------------------------
# Response per district: respondents (rows of the data) over the invited (uitgenodigd.csv).
inv <- read.csv2(file.path(here, "uitgenodigd.csv"), colClasses = "character")
resp <- table(factor(V$wijk, levels = inv$code))
response <- data.frame(variable = inv$variable, code = inv$code, invited = inv$invited,
                       responded = as.vector(resp), rate = fmt17(as.vector(resp) / as.numeric(inv$invited)))
write.csv(response, file.path(here, "response.csv"), row.names = FALSE, quote = c(1, 2))

# ---------------------------------------------------------------------------------------------------------------
# Designs.
d <- data.frame(respnr = raw$respnr, wijk = raw$wijk, buurt = raw$buurt, gewicht = as_num(raw$gewicht, dec = ","),
                geslacht = V$geslacht, leeftijdsgroep = V$leeftijdsgroep, stringsAsFactors = FALSE)
for (nm in names(V)) if (!(nm %in% names(d))) d[[nm]] <- V[[nm]]
d$geslacht <- factor(d$geslacht, levels = c("1", "2"))
d$leeftijdsgroep <- factor(d$leeftijdsgroep, levels = c("18-34", "35-54", "55-74", "75+"))
d$wijkf <- factor(d$wijk, levels = as.character(1:6))
marges <- read.csv2(file.path(here, "marges.csv"), colClasses = "character")
mc <- function(v, code) as.numeric(marges$count[marges$variable == v & marges$code == code])
pop <- c(`(Intercept)` = sum(as.numeric(marges$count[marges$variable == "wijk"])),
         geslacht2 = mc("geslacht", "2"),
         `leeftijdsgroep35-54` = mc("leeftijdsgroep", "35-54"), `leeftijdsgroep55-74` = mc("leeftijdsgroep", "55-74"),
         `leeftijdsgroep75+` = mc("leeftijdsgroep", "75+"),
         setNames(sapply(2:6, function(h) mc("wijk", as.character(h))), paste0("wijkf", 2:6)))
strat <- svydesign(ids = ~1, strata = ~wijk, weights = ~gewicht, data = d)
DESIGNS <- list(
  srs = muffle(svydesign(ids = ~1, data = d)),
  strat = strat,
  clus = svydesign(ids = ~buurt, strata = ~wijk, weights = ~gewicht, nest = TRUE, data = d),
  rake = calibrate(strat, ~geslacht + leeftijdsgroep + wijkf, pop, calfun = "raking", epsilon = 1e-12, maxit = 100))
check(degf(DESIGNS$clus) == 18 - 6, "clustered design: 18 PSUs in 6 strata")
wr <- weights(DESIGNS$rake)
check(abs(sum(wr) - pop[1]) < 1e-6, "raked weights sum to the population")
for (m in split(wr, d$wijk)) NULL
logmsg("raked weights: sum ", format(sum(wr), digits = 10), ", g in [", format(min(wr / d$gewicht), digits = 6),
       ", ", format(max(wr / d$gewicht), digits = 6), "]")

# ---------------------------------------------------------------------------------------------------------------
# Tables (as codebook_<design>.toml declares them).
GROUPS <- list(leeftijdsgroep = c("18-34", "35-54", "55-74", "75+"), geslacht = c("1", "2"),
               taal = c("NL", "EN"), wijk = as.character(1:6))
TABLES <- list(
  cohesie = list(rows = "cohesie", kind = "mean", quantiles = c(0.25, 0.5, 0.75), by = c("leeftijdsgroep", "wijk")),
  veiligheid = list(rows = "veiligheid", kind = "mean", by = "geslacht"),
  cijfer = list(rows = "cijfer", kind = "mean", quantiles = c(0.1, 0.5, 0.9), by = c("leeftijdsgroep", "taal")),
  woonlasten = list(rows = "woonlasten", kind = "mean", quantiles = c(0.05, 0.25, 0.5, 0.75, 0.95),
                    by = c("wijk", "taal")),
  cijfer_cohesief = list(rows = "cijfer", kind = "mean", filter = "cohesie >= 5", by = "geslacht"),
  cohesie_groep = list(rows = "cohesie_groep", kind = "cat", codes = c("laag", "midden", "hoog"), by = "geslacht"),
  vervoer = list(rows = "vervoer", kind = "cat", codes = as.character(1:4), total = TRUE,
                 by = c("leeftijdsgroep", "geslacht")),
  voorzieningen = list(rows = VOORZ, kind = "multi", total = TRUE, by = "wijk"),
  stellingen = list(rows = ST, kind = "battery", codes = as.character(1:5),
                    nets = list(`1+2` = c("1", "2"), `4+5` = c("4", "5")), by = c("leeftijdsgroep", "geslacht")))
filter_mask <- function(t) {
  if (is.null(t$filter)) return(rep(TRUE, n))
  stopifnot(t$filter == "cohesie >= 5")
  !is.na(V$cohesie) & V$cohesie >= 5
}

# The domains of one rows variable: the whole sample (valid y), then each group of each breakdown.
domains_of <- function(t, valid) {
  f <- filter_mask(t) & valid
  out <- list(list(by = "(all)", group = "(all)", mask = f))
  for (b in t$by) for (g in GROUPS[[b]]) {
    m <- f & !is.na(V[[b]]) & V[[b]] == g
    if (any(m)) out[[length(out) + 1]] <- list(by = b, group = g, mask = m)
  }
  out
}

EST_COLS <- c("table", "variable", "statistic", "category", "by", "group", "level", "n", "count", "estimate",
              "se", "ci_lower", "ci_upper", "df", "deff")
row_of <- function(...) { r <- c(...); stopifnot(length(r) == length(EST_COLS)); r }

# A proportion (0/1 y with NA outside the valid answers) or a mean in one domain: svymean with deff = "replace",
# svyciprop(method = "logit") for proportions, confint(svymean) (normal quantile) for means. na.rm = TRUE because
# a subset of a calibrated design keeps every row (weight 0).
mean_rows <- function(des, y, dm, table, variable, category, kind) {
  des$variables$.y <- y
  sub <- des[dm$mask, ]
  sm <- svymean(~.y, sub, deff = "replace", na.rm = TRUE)
  est <- coef(sm)[[1]]; se <- SE(sm)[[1]]; de <- deff(sm)[[1]]
  ci <- if (kind == "proportion") logit_ci(sub, dm, table, variable, category) else as.vector(confint(sm))
  cnt <- if (kind == "proportion") sum(y[dm$mask] == 1) else sum(dm$mask)
  row_of(table, variable, kind, category, dm$by, dm$group, "0.95", sum(dm$mask), cnt, fmt17(est), fmt17(se),
         fmt17(ci[1]), fmt17(ci[2]), degf(sub), fmt17(de))
}

# svyciprop(method = "logit") fits a quasibinomial svyglm and calls confint.svyglm, which turns the t quantile
# into a normal level, 1 - 2 pnorm(qt(0.025, df)): at df = 1 that is 1 - 1e-36 = 1 in floating point, so the
# interval is (expit(-Inf), expit(Inf)) = (0, NaN). The closed form (method = "xlogit": svycontrast of the logit,
# the same t quantile) equals logit everywhere else to the glm's fitting tolerance (checked below, 1e-6 of the
# half-width, the tests' tolerance for limits); at df = 1 the
# reference holds it (logged).
logit_ci <- function(sub, dm, table, variable, category) {
  ci <- as.vector(confint(svyciprop(~.y, sub, method = "logit", na.rm = TRUE)))
  x <- as.vector(confint(svyciprop(~.y, sub, method = "xlogit", na.rm = TRUE)))
  if (any(is.nan(ci)) && degf(sub) == 1) {
    logmsg("df = 1, logit (", fmt17(ci[1]), ", ", fmt17(ci[2]), ") -> xlogit: ", table, " ", variable, " ",
           category, " ", dm$by, " = ", dm$group)
    return(x)
  }
  p <- coef(svymean(~.y, sub, na.rm = TRUE))[[1]]
  if (p > 0 && p < 1) check(all(abs(ci - x) <= 1e-6 * (x[2] - x[1])), paste("logit = xlogit", table, category, fmt17(ci), fmt17(x)))
  ci
}

# svytotal of a 0/1 y over a domain: the estimated number of residents; confint with the normal quantile.
total_rows <- function(des, y, dm, table, variable, category) {
  des$variables$.y <- y
  sub <- des[dm$mask, ]
  st <- svytotal(~.y, sub, deff = "replace", na.rm = TRUE)
  ci <- as.vector(confint(st))
  row_of(table, variable, "total", category, dm$by, dm$group, "0.95", sum(dm$mask), sum(y[dm$mask] == 1),
         fmt17(coef(st)[[1]]), fmt17(SE(st)[[1]]), fmt17(ci[1]), fmt17(ci[2]), degf(sub), fmt17(deff(st)[[1]]))
}

# svyquantile with survey 4.1's defaults (qrule = "math", interval.type = "mean": Woodruff) on the domain's
# subset; df = degf of that subset; se = (upper - lower) / (2 qt(1 - alpha/2, df)).
quantile_rows <- function(des, x, dm, table, variable, ps, level) {
  des$variables$.x <- x
  sub <- des[dm$mask, ]
  q <- svyquantile(~.x, sub, quantiles = ps, alpha = 1 - level, ci = TRUE, na.rm = TRUE)[[1]]
  lapply(seq_along(ps), function(i)
    row_of(table, variable, "quantile", format(ps[i]), dm$by, dm$group, format(level), sum(dm$mask),
           sum(dm$mask), fmt17(q[i, 1]), fmt17(q[i, 4]), fmt17(q[i, 2]), fmt17(q[i, 3]), degf(sub), ""))
}

estimate_rows <- function(des, design_name) {
  rows <- list()
  add <- function(r) rows[[length(rows) + 1]] <<- r
  design_based <- design_name != "srs"       # without a design enquete uses statsmodels' formulas for p and means
  for (tn in names(TABLES)) {
    t <- TABLES[[tn]]
    if (t$kind == "mean") {
      x <- V[[t$rows]]
      for (dm in domains_of(t, !is.na(x))) {
        if (design_based) add(mean_rows(des, x, dm, tn, t$rows, "", "mean"))
        if (!is.null(t$quantiles)) for (L in c(0.95, 0.9))
          for (r in quantile_rows(des, x, dm, tn, t$rows, t$quantiles, L)) add(r)
      }
    } else {
      vars <- if (t$kind %in% c("multi")) list(t$rows) else as.list(t$rows)
      for (v in vars) {
        items <- if (t$kind == "multi") v else v
        if (t$kind == "multi") {
          for (it in items) for (dm in domains_of(t, !is.na(V[[it]]))) {
            y <- V[[it]]
            if (design_based) add(mean_rows(des, y, dm, tn, "voorzieningen", it, "proportion"))
            if (isTRUE(t$total)) add(total_rows(des, y, dm, tn, "voorzieningen", it))
          }
          next
        }
        xv <- V[[v]]
        cats <- as.list(setNames(t$codes, t$codes))
        if (!is.null(t$nets)) cats <- c(cats, t$nets)
        for (dm in domains_of(t, !is.na(xv))) for (cn in names(cats)) {
          y <- ifelse(is.na(xv), NA, as.numeric(xv %in% cats[[cn]]))
          if (design_based) add(mean_rows(des, y, dm, tn, v, cn, "proportion"))
          if (isTRUE(t$total)) add(total_rows(des, y, dm, tn, v, cn))
        }
      }
    }
  }
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- EST_COLS
  out
}

# ---------------------------------------------------------------------------------------------------------------
# Benchmarks: for the whole sample and each group, (estimate - value) / sqrt(se^2 + se_value^2), t on the df of the
# estimate's domain (degf of the subset), p = 2 pt(-|t|, df); interval difference +- qt(1 - alpha/2, df) * se. No
# test (empty p) where the base is below 30, the answer is given by 1-4 respondents, or the estimate's SE is 0.
# Holm over the tested rows of one question (a table; each statement of a battery on its own, as its group
# comparisons). Without a benchmark SE this is summary(svyglm(I(y - value) ~ 1, subset)).
bench <- read.csv2(file.path(here, "benchmark.csv"), colClasses = "character")
BENCH_COLS <- c("table", "variable", "category", "by", "group", "n", "estimate", "value", "value_se",
                "difference", "se", "df", "t", "p_value", "p_holm", "ci_lower", "ci_upper")
benchmark_rows <- function(des) {
  rows <- list()
  for (i in seq_len(nrow(bench))) {
    b <- bench[i, ]
    t <- TABLES[[b$table]]
    value <- as.numeric(sub(",", ".", b$value)); vse <- if (b$se == "") 0 else as.numeric(sub(",", ".", b$se))
    if (t$kind == "mean") { y <- V[[t$rows]]; variable <- t$rows; prop <- FALSE }
    else if (t$kind == "multi") { y <- V[[b$category]]; variable <- "voorzieningen"; prop <- TRUE }
    else {
      variable <- if (t$kind == "battery") b$variable else t$rows
      xv <- V[[variable]]
      codes <- if (!is.null(t$nets) && b$category %in% names(t$nets)) t$nets[[b$category]] else b$category
      y <- ifelse(is.na(xv), NA, as.numeric(xv %in% codes)); prop <- TRUE
    }
    for (dm in domains_of(t, !is.na(y))) {
      des$variables$.y <- y
      sub <- des[dm$mask, ]
      sm <- svymean(~.y, sub, na.rm = TRUE)
      est <- coef(sm)[[1]]; se0 <- SE(sm)[[1]]; se <- sqrt(se0^2 + vse^2); df <- degf(sub)
      tt <- (est - value) / se; p <- 2 * pt(-abs(tt), df)
      if (vse == 0) {
        des$variables$.d <- y - value
        s <- summary(svyglm(.d ~ 1, des[dm$mask, ], na.action = na.omit))$coefficients
        check(same(s[1, 3], tt, 1e-9) && same(s[1, 4], p, 1e-9), paste("svyglm t/p", b$table, b$category, dm$group))
      }
      cnt <- sum(y[dm$mask] == 1)
      tested <- sum(dm$mask) >= 30 && se0 > 0 && !(prop && cnt >= 1 && cnt <= 4)
      q <- qt(0.975, df)
      rows[[length(rows) + 1]] <- list(key = paste(b$table, variable), tested = tested, p = p, r = c(
        b$table, variable, b$category, dm$by, dm$group, sum(dm$mask), fmt17(est), fmt17(value),
        if (b$se == "") "" else fmt17(vse), fmt17(est - value), fmt17(se), df,
        fmt17(tt), if (tested) fmt17(p) else "", "", fmt17(est - value - q * se), fmt17(est - value + q * se)))
    }
  }
  for (tn in unique(sapply(rows, `[[`, "key"))) {
    idx <- which(sapply(rows, function(r) r$key == tn && r$tested))
    ph <- p.adjust(sapply(rows[idx], `[[`, "p"), "holm")
    for (k in seq_along(idx)) rows[[idx[k]]]$r[15] <- fmt17(ph[k])
  }
  out <- as.data.frame(do.call(rbind, lapply(rows, `[[`, "r")), stringsAsFactors = FALSE)
  names(out) <- BENCH_COLS
  out
}

# ---------------------------------------------------------------------------------------------------------------
# Cross-checks of the definitions used above.
# (a) svyby gives the same quantiles and SEs as the per-group subsets.
for (dn in c("strat", "clus", "rake")) {
  des <- DESIGNS[[dn]]
  by_q <- svyby(~cijfer, ~leeftijdsgroep, des, svyquantile, quantiles = c(0.1, 0.5, 0.9), ci = TRUE,
                na.rm = TRUE, keep.var = TRUE)
  for (g in GROUPS$leeftijdsgroep) {
    sub <- des[!is.na(V$cijfer) & V$leeftijdsgroep == g, ]
    q <- svyquantile(~cijfer, sub, quantiles = c(0.1, 0.5, 0.9), ci = TRUE, na.rm = TRUE)[[1]]
    check(same(unlist(by_q[g, 2:4]), q[, 1], 0) && same(unlist(by_q[g, 5:7]), q[, 4], 1e-12),
          paste("svyby quantiles", dn, g))
  }
}
# (b) Woodruff by hand: the quantile is the first value whose weighted ECDF reaches p; its interval inverts
#     svymean(I(x <= q)) +- qt(0.975, degf) * SE at the ECDF.
for (dn in c("strat", "rake")) {
  des <- DESIGNS[[dn]]
  m <- !is.na(V$woonlasten)
  sub <- des[m, ]
  w <- weights(des)[m]; x <- V$woonlasten[m]
  ux <- sort(unique(x)); F <- cumsum(tapply(w, x, sum)[as.character(ux)]) / sum(w)
  for (p in c(0.05, 0.5, 0.95)) {
    qhat <- ux[which(F >= p)[1]]
    des$variables$.i <- as.numeric(V$woonlasten <= qhat)
    sub <- des[m, ]
    sm <- svymean(~.i, sub, na.rm = TRUE)
    lim <- coef(sm)[[1]] + c(-1, 1) * qt(0.975, degf(sub)) * SE(sm)[[1]]
    lo <- ux[which(F >= lim[1])[1]]; hi <- ux[which(F >= lim[2])[1]]
    q <- svyquantile(~woonlasten, sub, quantiles = p, ci = TRUE, na.rm = TRUE)[[1]]
    check(q[1, 1] == qhat && q[1, 2] == lo && q[1, 3] == hi, paste("Woodruff by hand", dn, p))
  }
}
# (c) a domain total equals svyby(..., svytotal) on the whole design (rows outside the domain: z = 0).
for (dn in c("strat", "clus", "rake")) {
  des <- DESIGNS[[dn]]
  des$variables$.y <- as.numeric(V$vervoer == "2")
  bt <- svyby(~.y, ~geslacht, subset(des, !is.na(.y)), svytotal, na.rm = TRUE)
  for (g in c("1", "2")) {
    st <- svytotal(~.y, des[!is.na(V$vervoer) & V$geslacht == g, ], na.rm = TRUE)
    check(same(coef(st), bt[g, 2], 1e-12) && same(SE(st), bt[g, 3], 1e-10), paste("svyby totals", dn, g))
  }
}

# ---------------------------------------------------------------------------------------------------------------
for (dn in names(DESIGNS)) {
  est <- estimate_rows(DESIGNS[[dn]], dn)
  write.csv(est, file.path(here, paste0(dn, "_estimates.csv")), row.names = FALSE, quote = c(1:7), na = "")
  nq <- sum(est$statistic == "quantile"); nan_lim <- sum(est$statistic == "quantile" & est$ci_lower == "")
  logmsg(dn, ": ", nrow(est), " estimate rows (", nq, " quantiles, ", nan_lim, " without a lower limit; ",
         sum(est$statistic == "total"), " totals)")
  if (dn != "srs") {
    bm <- benchmark_rows(DESIGNS[[dn]])
    write.csv(bm, file.path(here, paste0(dn, "_benchmark.csv")), row.names = FALSE, quote = 1:5, na = "")
    logmsg(dn, ": ", nrow(bm), " benchmark rows, ", sum(bm$p_value != ""), " tested")
  }
}
logmsg(.passed, " checks passed")
writeLines(c(paste0("R ", R.version$major, ".", R.version$minor, ", survey ", packageVersion("survey")), .log),
           file.path(here, "log.txt"))
