# R survey references for degenerate designs (zero weights): zero_weights.csv (prefix zw_) and
# zero_group.csv (prefix zg_), both read with codebook.toml. Run from anywhere:
#   Rscript tests/reference/r/degenerate/reference.R
# Writes, per fixture, <p>expected.csv (estimates, format of ../README.md), <p>compare.csv and <p>test.csv
# (formats of ../compare/README.md) and <p>log.txt (every R error/warning/note with its case, and the hand
# verifications of README.md "What R does, exactly").
# Reading, codebook semantics and design exactly as ../inwonersenquete.R and ../compare/inwoners.R:
# svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, nest = FALSE), lonely.psu = "adjust".
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
source(file.path(here, "..", "compare", "compare_common.R"))   # sources ../common.R too
t0 <- proc.time()[["elapsed"]]

items <- c("kan_telefoon", "kan_email", "kan_balie")
info_codes <- as.character(1:4)
bins <- list(list(label = "18-29", min = 18, max = 29), list(label = "30-44", min = 30, max = 44),
             list(label = "45-54", min = 45, max = 54), list(label = "55-64", min = 55, max = 64),
             list(label = "65+", min = 65))
age_codes <- sapply(bins, `[[`, "label")
taal_codes <- c("NL", "EN")
METHODS <- c("logit", "beta", "asin", "mean", "xlogit")
LEVELS <- list(`0.95` = METHODS)

# ---------------------------------------------------------------------------------------------------------
# Logging: compare_common's logmsg/run_logged write to .log$lines; identical messages are merged at the end.
reset_log <- function() { .log$lines <- character(0); .checks$n <- 0 }
# Two warnings are raised on every call of a kind and say nothing about the case: they are counted, not listed.
ROUTINE <- c("observations with zero weight not used for calculating dispersion" =
               "summary.glm inside svyglm (every comparison) and svyciprop(method = \"logit\") whenever the design has rows of weight 0",
             "Chi-squared approximation may be incorrect" =
               "chisq.test inside svychisq: an expected count below 5 (here the weight-0 column: expected 0)")
write_log_merged <- function(path, header, extra) {
  l <- .log$lines
  msg <- sub("^R warning \\[[^]]*\\]: ", "", l)
  routine <- grepl("^R warning \\[", l) & msg %in% names(ROUTINE)
  summ <- character(0)
  for (r in names(ROUTINE)) {
    k <- routine & msg == r
    if (any(k)) summ <- c(summ, sprintf("R warning \"%s\": %d times in %d cases (%s)", r, sum(k),
                                        length(unique(l[k])), ROUTINE[[r]]))
  }
  l <- c(summ, l[!routine])
  u <- unique(l)
  cnt <- vapply(u, function(s) sum(l == s), 0)
  merged <- ifelse(cnt > 1, paste0(u, "  (x", cnt, ")"), u)
  writeLines(c(header, "", "## R errors, warnings and notes (identical messages merged, with their count)",
               if (length(merged)) merged else "(none)", "", extra, "",
               paste("checks passed:", .checks$n)), path)
}
# relative difference (0 when both NaN/NA; Inf when exactly one is)
reldiff <- function(a, b) {
  a <- as.numeric(a); b <- as.numeric(b)
  ifelse(is.na(a) & is.na(b), 0, ifelse(is.na(a) | is.na(b), Inf,
         ifelse(a == b, 0, abs(a - b) / pmax(abs(a), abs(b)))))
}
.maxdev <- new.env()
track <- function(key, a, b, tol = 1e-12, what = key) {
  r <- max(reldiff(a, b))
  .maxdev[[key]] <- max(c(.maxdev[[key]], r))
  check(r <= tol, paste(what, ": R", paste(format(a, digits = 17), collapse = " "), "hand",
                        paste(format(b, digits = 17), collapse = " "), "rel", r))
  passed()
}

# ---------------------------------------------------------------------------------------------------------
# Hand formulas (README "What R does, exactly"). All vectors are over the rows of the WHOLE design `des`.
#   z: influence values (0 for rows outside the estimator's design); strata: des's strata.
# V = sum_h N_h/(N_h - 1) sum_{j in h} (z_j - zbar_h)^2, N_h = rows of stratum h in the whole design (every row is
# a PSU; zero-weight rows and rows with a missing item count), zbar_h = sum_{j in h} z_j / N_h.
hand_var <- function(z, strata) {
  tot <- 0
  for (h in unique(strata)) {
    zh <- z[strata == h]; N <- length(zh)
    tot <- tot + if (N > 1) N / (N - 1) * sum((zh - mean(zh))^2) else sum(zh^2)
  }
  tot
}
# degf: distinct PSUs minus distinct strata among the rows with non-zero weight (no clusters: rows)
hand_degf <- function(rows, w, strata) {
  k <- rows & w != 0
  sum(k) - length(unique(strata[k]))
}

# ---------------------------------------------------------------------------------------------------------
# 1. Estimates (expected.csv): ../common.R's reference_block with every R error/warning logged per case and the
#    hand formulas checked for every domain.
reference_block_logged <- function(des, ycol, variable, category, byvars, kind = "prop") {
  y <- des$variables[[ycol]]
  w <- weights(des); strata <- des$strata[, 1]
  valid <- !is.na(y)
  domains <- list(list(by = "(all)", group = "(all)", mask = valid))
  for (bn in names(byvars)) {
    g <- byvars[[bn]]$values
    for (code in byvars[[bn]]$groups) {
      m <- valid & !is.na(g) & g == code
      if (any(m)) domains[[length(domains) + 1]] <- list(by = bn, group = code, mask = m)
    }
  }
  f <- as.formula(paste0("~", ycol))
  rows <- list()
  for (dm in domains) {
    ctx <- paste0(variable, "/", category, " ", dm$by, "=", dm$group)
    sub <- des[dm$mask, ]
    n <- nrow(sub)
    sm <- run_logged(svymean(f, sub, deff = "replace"), paste(ctx, "svymean"))
    est <- unname(coef(sm)[1]); se <- unname(SE(sm)[1]); de <- unname(deff(sm)[1])
    dfree <- degf(sub)
    # --- hand formulas: estimate, se, df, deff
    mk <- dm$mask
    sw <- sum(w[mk]); p <- sum(w[mk] * y[mk]) / sw
    z <- ifelse(mk, w * (ifelse(mk, y, 0) - p) / sw, 0)
    v <- hand_var(z, strata)
    nnz <- sum(mk & w != 0)
    s2 <- sum(w[mk] * (y[mk] - p)^2) / sw * nnz / (nnz - 1)
    track("estimate (svymean)", est, p, 1e-13, paste(ctx, "estimate"))
    track("se (svymean, zero rows z = 0)", se, sqrt(v), 1e-12, paste(ctx, "se"))
    track("deff (n = rows with w > 0)", de, v / (s2 / nnz), 1e-12, paste(ctx, "deff"))
    check(dfree == hand_degf(mk, w, strata), paste(ctx, "degf")); passed()
    if (sw == 0) logmsg("DOMAIN OF ZERO WEIGHTS [", ctx, "]: n = ", n, ", svymean estimate ", format(est),
                        ", SE ", format(se), ", deff ", format(de), ", degf ", dfree,
                        " (sum of weights 0: average = colSums(x*0/0) = NaN, so x - average and the variance are NaN)")
    for (lv in names(LEVELS)) {
      L <- as.numeric(lv)
      if (kind == "mean") {
        ci <- as.vector(confint(sm, level = L))
        rows[[length(rows) + 1]] <- c(variable, category, dm$by, dm$group, n, fmt17(est), fmt17(se),
                                      fmt17(ci[1]), fmt17(ci[2]), "mean", lv, dfree, fmt17(de))
      } else {
        for (m in LEVELS[[lv]]) {
          r <- run_logged(svyciprop(f, sub, method = m, level = L), paste(ctx, "svyciprop", m))
          ci <- if (is.null(r)) c(NA, NA) else as.vector(confint(r))
          if (sw == 0) logmsg("DOMAIN OF ZERO WEIGHTS [", ctx, "]: svyciprop ", m, " -> ",
                              if (is.null(r)) "R error (see above), written as empty" else
                                paste0("estimate ", format(unname(unclass(r))[1]), ", interval [",
                                       format(ci[1]), ", ", format(ci[2]), "]"))
          if (m == "beta" && !is.null(r) && is.finite(v) && v > 0) {
            # Korn-Graubard with n = nrow(domain design) INCLUDING zero-weight rows
            ne <- p * (1 - p) / v * (qt((1 - L) / 2, n - 1) / qt((1 - L) / 2, dfree))^2
            hb <- c(qbeta((1 - L) / 2, ne * p, ne * (1 - p) + 1), qbeta(1 - (1 - L) / 2, ne * p + 1, ne * (1 - p)))
            track("beta interval (n = nrow incl. zero rows)", ci, hb, 1e-12, paste(ctx, "beta"))
          }
          rows[[length(rows) + 1]] <- c(variable, category, dm$by, dm$group, n, fmt17(est), fmt17(se),
                                        fmt17(ci[1]), fmt17(ci[2]), m, lv, dfree, fmt17(de))
        }
      }
    }
  }
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- c("variable", "category", "by", "group", "n", "estimate", "se", "ci_lower",
                  "ci_upper", "ci_method", "level", "df", "deff")
  out
}

# ---------------------------------------------------------------------------------------------------------
# 2. Comparisons (compare.csv): compare_common.R's compare_block, but
#    - a pair whose coefficient R cannot estimate (a group whose rows all have weight 0: svyglm's glm gives an NA
#      coefficient) keeps R's residual df `m$df.residual` in the df column (other numbers empty);
#    - guarded against a standardised design whose weights are NA (R error instead of a stop);
#    - every difference, se and df is checked against the hand formulas (1e-12).
pair_rows_df <- function(m, est, glev, variable, category, between, standardized, context) {
  k <- length(glev)
  out <- list()
  empty <- function(i, j, dfr = NA) c(variable, category, between, standardized, glev[i], glev[j],
                                      fmt17(est[glev[i]]), fmt17(est[glev[j]]), "", "", fmt17(dfr), "", "")
  if (is.null(m)) {
    for (i in 1:(k - 1)) for (j in (i + 1):k) out[[length(out) + 1]] <- empty(i, j)
    return(out)
  }
  cf <- m$coefficients                    # complete vector: NA where aliased (coef.svyglm drops NAs)
  okc <- names(cf)[!is.na(cf)]
  V <- vcov(m)                            # only the non-NA coefficients
  dfr <- m$df.residual
  st <- summary(m)$coefficients
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    cv <- setNames(rep(0, length(cf)), names(cf))
    if (i > 1) cv[i] <- -1
    cv[j] <- 1
    used <- names(cv)[cv != 0]
    if (!all(used %in% okc)) {
      logmsg("NOTE [", context, "]: coefficient of ", glev[i], " or ", glev[j],
             " is NA (no row with weight > 0) -> empty numbers, df = m$df.residual = ", dfr)
      out[[length(out) + 1]] <- empty(i, j, dfr)
      next
    }
    c2 <- cv[okc]
    dif <- sum(c2 * cf[okc]); se <- sqrt(drop(t(c2) %*% V[okc, okc] %*% c2))
    tt <- dif / se; p <- 2 * pt(-abs(tt), dfr)
    check(same(dif, est[glev[j]] - est[glev[i]], 1e-9), paste(context, "difference vs group means"))
    if (i == 1) {
      rn <- names(cf)[j]
      check(same(tt, st[rn, "t value"], 1e-12) && same(p, st[rn, "Pr(>|t|)"], 1e-12),
            paste(context, "summary(m) t / p-value"))
      passed()
    }
    out[[length(out) + 1]] <- c(variable, category, between, standardized, glev[i], glev[j],
                                fmt17(est[glev[i]]), fmt17(est[glev[j]]), fmt17(dif), fmt17(se),
                                fmt17(dfr), fmt17(tt), fmt17(p))
  }
  out
}

# Hand influence of group g's (standardised) mean for the rows of design `dd` (a subset of des with column .row):
# returns list(z = vector over des rows, mu = group mean, enq = the same with 0 for zero-weight rows).
# Crude (ps = NULL): z_i = w_i (y_i - mu_g) / sum_g w for rows of g, 0 elsewhere.
# Standardised (ps = dd$postStrata[[1]]): oldw w_i, new weight W_i; cell c = (age, group) of the row;
#   x_i   = W_i (y_i - mu_g) / W_g                       (W_g = sum of new weights in group g)
#   m_c   = sum_{i in c} x_i w_i / W_i  /  sum_{i in c} w_i   (rows with w_i = 0 add nothing; "psw := 1" for them)
#   z_i   = x_i - W_i m_c   if w_i > 0;   z_i = -m_c   if w_i = 0   (R's psw[zeroes] = 1)
hand_group <- function(dd, gg, nall, ps = NULL) {
  v <- dd$variables
  y <- v$.y; g <- as.character(v$.g); ing <- !is.na(g) & g == gg
  W <- weights(dd)
  mu <- sum(W[ing] * y[ing]) / sum(W[ing])
  x <- ifelse(ing, W * (y - mu) / sum(W[ing]), 0)
  z <- x; enq <- x
  if (!is.null(ps)) {
    w <- attr(ps, "oldweights"); Wn <- attr(ps, "weights")
    stopifnot(all(Wn == W, na.rm = TRUE))
    cell <- as.integer(ps)
    Wg <- sum(W[ing])
    for (c in unique(cell[ing])) {
      k <- which(cell == c)
      pos <- k[w[k] > 0]
      mc <- sum(x[pos] * w[pos] / Wn[pos]) / sum(w[k])
      z[k] <- ifelse(w[k] > 0, x[k] - Wn[k] * mc, -mc)
      enq[k] <- ifelse(w[k] > 0, x[k] - Wn[k] * mc, 0)
      # closed form: ybar_c = weighted cell mean (old or new weights: proportional within the cell)
      ybar_c <- sum(w[k] * y[k]) / sum(w[k])
      closed <- ifelse(w[k] > 0, Wn[k] * (y[k] - ybar_c) / Wg, (mu - ybar_c) / Wg)
      track("closed form of the post-stratified residual (per row)", z[k], closed, 1e-12, "closed form")
    }
  }
  zz <- numeric(nall); zz[v$.row] <- z
  ee <- numeric(nall); ee[v$.row] <- enq
  list(z = zz, enq = ee, mu = mu)
}

compare_block_deg <- function(des, y, variable, category, between, g, glev, std = NULL) {
  des$variables$.y <- y
  des$variables$.g <- factor(g, levels = glev)
  des$variables$.row <- seq_len(nrow(des))
  strata_all <- des$strata[, 1]; nall <- nrow(des)
  context <- paste0(variable, "/", category, " by ", between,
                    if (!is.null(std)) paste0(" std ", std$name) else "")
  ps <- NULL
  if (is.null(std)) {
    d <- subset(des, !is.na(.y) & !is.na(.g))
    m <- run_logged(svyglm(.y ~ .g, design = d), context)
    b <- run_logged(svyby(~.y, ~.g, d, svymean), context)
    stdname <- ""
  } else {
    des$variables$.a <- factor(std$values, levels = std$levels)
    d0 <- subset(des, !is.na(.a) & !is.na(.g))
    pop <- svytotal(~.a, d0)
    d <- run_logged(svystandardize(d0, by = ~.a, over = ~.g, population = pop, excluding.missing = ~.y), context)
    if (!is.null(d) && anyNA(d$prob)) {
      bad <- table(as.character(d$variables$.g[is.na(d$prob)]))
      logmsg("NOTE [", context, "]: after svystandardize ", sum(is.na(d$prob)), " rows have prob = NA (group ",
             paste(names(bad), bad, sep = ": ", collapse = ", "),
             "; their (age, group) cells had sample total 0 and population 0, so postStratify dropped the cells",
             " and index = NA)")
    }
    m <- if (is.null(d)) NULL else run_logged(svyglm(.y ~ .g, design = d), context)
    b <- if (is.null(d)) NULL else run_logged(svyby(~.y, ~.g, d, svymean), context)
    if (!is.null(d)) ps <- d$postStrata[[1]]
    stdname <- std$name
  }
  est <- setNames(rep(NA_real_, length(glev)), glev)
  if (!is.null(b)) est[as.character(b$.g)] <- coef(b)
  # --- hand formulas
  if (!is.null(d)) {
    W <- weights(d); v <- d$variables
    posg <- glev[sapply(glev, function(gg) any(!is.na(v$.g) & v$.g == gg & !is.na(W) & W > 0))]
    hg <- lapply(setNames(posg, posg), function(gg) hand_group(d, gg, nall, ps))
    for (gg in posg) track(if (is.null(ps)) "group mean (crude)" else "group mean (standardised)",
                           est[[gg]], hg[[gg]]$mu, 1e-12, paste(context, gg, "mean"))
    if (!is.null(b) && anyNA(d$prob))
      logmsg("NOTE [", context, "]: svyby(~y, ~g, sd, svymean) estimates kept (equal to the hand standardised means);",
             " its SEs are NOT usable here: svyrecvar's rowsum() over the post-strata index puts the NA index in a",
             " row of its own while by(oldw, psvar, sum) drops it, so the cell means are recycled against the wrong",
             " cells (R's warnings 'missing values for group' / 'longer object length')")
  }
  if (!is.null(m) && !anyNA(d$prob)) {
    dfh <- hand_degf(rep(TRUE, nrow(d)), W, d$strata[, 1]) + 1 - length(posg)
    check(m$df.residual == dfh, paste(context, "df.residual = degf + 1 - groups with weight > 0")); passed()
    check(degf(d) == hand_degf(rep(TRUE, nrow(d)), W, d$strata[, 1]), paste(context, "degf")); passed()
    if (!is.null(b)) for (gg in posg)
      track(if (is.null(ps)) "svyby group se (crude)" else "svyby group se (standardised, zero rows -m_c)",
            SE(b)[match(gg, as.character(b$.g))], sqrt(hand_var(hg[[gg]]$z, strata_all)), 1e-12,
            paste(context, gg, "svyby se"))
    cf <- m$coefficients; V <- vcov(m); okc <- names(cf)[!is.na(cf)]
    k <- length(glev)
    for (i in 1:(k - 1)) for (j in (i + 1):k) {
      if (!(glev[i] %in% posg && glev[j] %in% posg)) next
      cv <- setNames(rep(0, length(cf)), names(cf)); if (i > 1) cv[i] <- -1; cv[j] <- 1
      c2 <- cv[okc]; se <- sqrt(drop(t(c2) %*% V[okc, okc] %*% c2))
      zd <- hg[[glev[j]]]$z - hg[[glev[i]]]$z
      track(if (is.null(ps)) "pair se (crude)" else "pair se (standardised, zero rows -m_c)",
            se, sqrt(hand_var(zd, strata_all)), 1e-12, paste(context, glev[i], glev[j], "se"))
      if (!is.null(ps)) {
        se0 <- sqrt(hand_var(hg[[glev[j]]]$enq - hg[[glev[i]]]$enq, strata_all))
        .maxdev[["(info) enquete-style zero residual vs R, standardised pair se"]] <-
          max(c(.maxdev[["(info) enquete-style zero residual vs R, standardised pair se"]], reldiff(se, se0)))
      }
    }
  }
  pair_rows_df(m, est, glev, variable, category, between, stdname, context)
}

# ---------------------------------------------------------------------------------------------------------
# 3. Rao-Scott tests (test.csv): compare_common.R's test_block (asserts its own Delta against R) plus the hand
#    checks at 1e-12 and a note on every NaN.
test_block_deg <- function(des, x, xlev, variable, category, byname, by, bylev) {
  row <- test_block(des, x, xlev, variable, category, byname, by, bylev)
  des$variables$.x <- x; des$variables$.b <- by
  d <- subset(des, !is.na(.x) & !is.na(.b))
  d$variables$.x <- factor(d$variables$.x, levels = intersect(xlev, unique(d$variables$.x)))
  d$variables$.b <- factor(d$variables$.b, levels = intersect(bylev, unique(d$variables$.b)))
  context <- paste0(variable, "/", category, " by ", byname)
  own <- rao_scott_own(d)
  rF <- suppressWarnings(svychisq(~.x + .b, d, statistic = "F"))
  rC <- suppressWarnings(svychisq(~.x + .b, d, statistic = "Chisq"))
  # nu counts ALL rows of d (zero weights included), unlike degf
  nu_h <- nrow(d) - length(unique(d$strata[, 1]))
  check(own$nu == nu_h, paste(context, "nu")); passed()
  track("svychisq F", rF$statistic, own$f, 1e-12, paste(context, "F"))
  track("svychisq ndf", rF$parameter[["ndf"]], own$ndf, 1e-12, paste(context, "ndf"))
  track("svychisq ddf = ndf * (rows - strata), zero rows included", rF$parameter[["ddf"]], own$ndf * nu_h, 1e-12,
        paste(context, "ddf"))
  track("svychisq Pearson X2 (N = rows incl. zero weights)", rC$statistic, own$X2, 1e-12, paste(context, "X2"))
  W <- weights(d)
  zcols <- levels(d$variables$.b)[sapply(levels(d$variables$.b), function(l) sum(W[d$variables$.b == l]) == 0)]
  zrows <- levels(d$variables$.x)[sapply(levels(d$variables$.x), function(l) sum(W[d$variables$.x == l]) == 0)]
  if (is.nan(rF$statistic) || length(zcols) || length(zrows)) {
    tab <- svytable(~.x + .b, d, Ntotal = nrow(d))
    E <- outer(rowSums(tab), colSums(tab)) / sum(tab)
    logmsg("NaN TEST [", context, "]: n = ", nrow(d), "; weight-0 column(s) ", paste(zcols, collapse = " "),
           if (length(zrows)) paste0(", weight-0 row(s) ", paste(zrows, collapse = " ")) else "",
           ": expected count E = 0 there, so chisq.test's sum((O-E)^2/E) has 0/0 -> X2 = ", format(rC$statistic),
           "; mean2 = 0 in those cells -> iDmat 0 (guarded), Delta finite: tr(Delta) = ",
           format(sum(diag(own$Delta)), digits = 17), ", ndf = ", format(rF$parameter[["ndf"]], digits = 17),
           ", ddf = ", format(rF$parameter[["ddf"]], digits = 17), " (nu = ", own$nu, "); F = X2/tr = ",
           format(rF$statistic), ", p_f = ", format(rF$p.value), ", p_chisq = ", format(rC$p.value),
           "; min E = ", format(min(E)))
  }
  row
}

# ---------------------------------------------------------------------------------------------------------
run_fixture <- function(file, prefix, header) {
  reset_log()
  for (k in ls(.maxdev)) rm(list = k, envir = .maxdev)
  raw <- read_raw(file.path(here, file), sep = ";", dec = ",")
  d <- data.frame(wijk = raw$wijk, weegfactor = as_num(raw$weegfactor, dec = ","))
  leeftijd <- as_num(raw$leeftijd, dec = ",", missing = "999")
  leeftijdsgroep <- as_bins(leeftijd, bins)
  taal <- as_cat(raw$taal, taal_codes, name = "taal")
  as_cat(raw$geslacht, c("1", "2", "3"), missing = "9", name = "geslacht")
  as_cat(raw$wijk, as.character(1:5), name = "wijk")
  info <- as_cat(raw$info, info_codes, missing = "99", name = "info")
  for (code in info_codes) d[[paste0("info_", code)]] <- ifelse(is.na(info), NA, as.numeric(info == code))
  for (it in items) d[[it]] <- as_item(raw[[it]], "1")
  d$tevredenheid <- as_num(raw$tevredenheid, dec = ",")
  stopifnot(all(d$weegfactor >= 0), all(is.na(d$tevredenheid) | (d$tevredenheid >= 1 & d$tevredenheid <= 10)))
  des <- svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, nest = FALSE, data = d)

  # 1. estimates
  byvars <- list(leeftijdsgroep = list(values = leeftijdsgroep, groups = age_codes),
                 taal = list(values = taal, groups = taal_codes))
  out <- list()
  for (it in items) out[[length(out) + 1]] <- reference_block_logged(des, it, "kanaal", it, byvars)
  for (code in info_codes)
    out[[length(out) + 1]] <- reference_block_logged(des, paste0("info_", code), "info", code, byvars)
  out[[length(out) + 1]] <- reference_block_logged(des, "tevredenheid", "tevredenheid", "", byvars, kind = "mean")
  rows <- do.call(rbind, out)
  write_reference(rows, file.path(here, paste0(prefix, "expected.csv")))
  message("wrote ", nrow(rows), " rows to ", prefix, "expected.csv")
  for (it in c("kan_email", "info_1")) run_logged(check_svyby(des, it, "taal", taal, methods = c("beta", "mean")),
                                                  paste("check_svyby", it))

  # 2. comparisons, in inwoners.R's order
  comparisons <- list(
    list(between = "taal", g = taal, glev = taal_codes, std = NULL),
    list(between = "taal", g = taal, glev = taal_codes,
         std = list(name = "leeftijdsgroep", values = leeftijdsgroep, levels = age_codes)),
    list(between = "leeftijdsgroep", g = leeftijdsgroep, glev = age_codes, std = NULL))
  ys <- c(lapply(items, function(it) list("kanaal", it, d[[it]])),
          lapply(info_codes, function(code) list("info", code, d[[paste0("info_", code)]])),
          list(list("tevredenheid", "", d$tevredenheid)))
  crows <- list()
  for (y in ys) for (cmp in comparisons)
    crows <- c(crows, compare_block_deg(des, y[[3]], y[[1]], y[[2]], cmp$between, cmp$g, cmp$glev, cmp$std))
  write_compare(crows, file.path(here, paste0(prefix, "compare.csv")))

  # 3. tests: kanaal items and info, by leeftijdsgroep and taal
  bys <- list(leeftijdsgroep = list(values = leeftijdsgroep, levels = age_codes),
              taal = list(values = taal, levels = taal_codes))
  trows <- list()
  for (it in items) for (bn in names(bys))
    trows[[length(trows) + 1]] <- test_block_deg(des, as.character(d[[it]]), c("0", "1"), "kanaal", it, bn,
                                                 bys[[bn]]$values, bys[[bn]]$levels)
  for (bn in names(bys))
    trows[[length(trows) + 1]] <- test_block_deg(des, info, info_codes, "info", "", bn,
                                                 bys[[bn]]$values, bys[[bn]]$levels)
  write_test(trows, file.path(here, paste0(prefix, "test.csv")))

  keys <- sort(ls(.maxdev))
  extra <- c("## Hand formulas (README \"What R does, exactly\") vs R: largest relative difference per quantity",
             sprintf("%-75s %.3g", keys, vapply(keys, function(k) .maxdev[[k]], 0)))
  write_log_merged(file.path(here, paste0(prefix, "log.txt")),
                   sprintf("%s (%s, %s): %d respondents, %d with weegfactor 0; R %s, survey %s", file, prefix, header, nrow(d),
                           sum(d$weegfactor == 0), paste(R.version$major, R.version$minor, sep = "."),
                           as.character(packageVersion("survey"))), extra)
}

run_fixture("zero_weights.csv", "zw_", "zero weights spread over cells")
run_fixture("zero_group.csv", "zg_", "group EN made of zero-weight rows")
message(sprintf("done in %.1f s", proc.time()[["elapsed"]] - t0))
