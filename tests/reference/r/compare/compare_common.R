# Shared helpers for the comparison (svyglm difference) and Rao-Scott (svychisq) references.
# Sourced by health.R, inwoners.R and apistrat.R in this folder. Definitions: README.md here.
# Uses ../common.R for reading the data (read_raw, as_num, as_cat, as_bins, as_item, fmt17) and
# options(survey.lonely.psu = "adjust").
{
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  compare_dir <- if (length(f)) dirname(normalizePath(f[1])) else getwd()
}
source(file.path(compare_dir, "..", "common.R"))
stopifnot(getOption("survey.lonely.psu") == "adjust")

# ---------------------------------------------------------------------------------------------
# Messages (R errors, warnings) collected per run and written to <prefix>_log.txt.
.log <- new.env()
.log$lines <- character(0)
logmsg <- function(...) {
  s <- paste0(...)
  message(s)
  .log$lines <- c(.log$lines, s)
}
# Evaluate expr; warnings are logged (with a context string) and muffled; errors are logged and give NULL.
run_logged <- function(expr, context) {
  withCallingHandlers(
    tryCatch(expr, error = function(e) {
      logmsg("R ERROR [", context, "]: ", conditionMessage(e), " -> empty numbers")
      NULL
    }),
    warning = function(w) {
      logmsg("R warning [", context, "]: ", conditionMessage(w))
      invokeRestart("muffleWarning")
    })
}

# relative agreement (plus 1e-15 absolute for values at 0); NA/NaN only matches NA/NaN
same <- function(a, b, tol = 1e-9) {
  a <- as.numeric(a); b <- as.numeric(b)
  if (length(a) != length(b)) return(FALSE)
  ok <- (is.na(a) & is.na(b)) |
    (!is.na(a) & !is.na(b) & (a == b | abs(a - b) <= tol * pmax(abs(a), abs(b)) + 1e-15))
  all(ok)
}
check <- function(cond, what) if (!isTRUE(cond)) stop("CHECK FAILED: ", what)
.checks <- new.env(); .checks$n <- 0
passed <- function(k = 1) .checks$n <- .checks$n + k

# ---------------------------------------------------------------------------------------------
# A. Comparisons.
COMPARE_COLS <- c("variable", "category", "between", "standardized", "group_a", "group_b",
                  "estimate_a", "estimate_b", "difference", "se", "df", "t", "p_value")

# Rows for every pair i < j of glev (codebook order) from a fitted svyglm m (y ~ g, g a factor with
# levels glev) and the per-group estimates est (named by level, NA for a level without rows).
pair_rows <- function(m, est, glev, variable, category, between, standardized, context) {
  k <- length(glev)
  out <- list()
  empty <- function(i, j) c(variable, category, between, standardized, glev[i], glev[j],
                            fmt17(est[glev[i]]), fmt17(est[glev[j]]), rep("", 5))
  if (is.null(m)) {
    for (i in 1:(k - 1)) for (j in (i + 1):k) out[[length(out) + 1]] <- empty(i, j)
    return(out)
  }
  cf <- coef(m)                           # (Intercept), g<level2>, ..., g<levelk>; NA if aliased
  V <- vcov(m)                            # only the non-NA coefficients
  okc <- names(cf)[!is.na(cf)]
  dfr <- m$df.residual
  st <- summary(m)$coefficients
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    cv <- setNames(rep(0, length(cf)), names(cf))
    if (i > 1) cv[i] <- -1                 # coefficient i (position i) is level i's offset
    cv[j] <- 1
    used <- names(cv)[cv != 0]
    if (!all(used %in% okc)) {             # a level without rows: NA coefficient
      logmsg("NOTE [", context, "]: no estimate for ", glev[i], " or ", glev[j], " -> empty numbers")
      out[[length(out) + 1]] <- empty(i, j)
      next
    }
    c2 <- cv[okc]
    dif <- sum(c2 * cf[okc])
    se <- sqrt(drop(t(c2) %*% V[okc, okc] %*% c2))
    tt <- dif / se
    p <- 2 * pt(-abs(tt), dfr)
    # the difference of the coefficients equals the difference of the groups' means
    check(same(dif, est[glev[j]] - est[glev[i]], 1e-9), paste(context, "difference vs group means"))
    if (i == 1) {                          # summary(m)'s own t and p-value for coefficient j
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

# svycontrast on svyby(..., covmat = TRUE) (b: a svyby object, or for standardised designs an object
# with the same coef/vcov, see below) must give the same difference and se as the svyglm.
check_svyby_contrasts <- function(b, m, glev, context) {
  cf <- coef(m); okc <- names(cf)[!is.na(cf)]; V <- vcov(m)
  bn <- names(coef(b))                    # present levels, codebook order
  k <- length(glev)
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    if (!(glev[i] %in% bn && glev[j] %in% bn)) next
    cv <- setNames(rep(0, length(cf)), names(cf)); if (i > 1) cv[i] <- -1; cv[j] <- 1
    if (!all(names(cv)[cv != 0] %in% okc)) next
    c2 <- cv[okc]
    dif <- sum(c2 * cf[okc]); se <- sqrt(drop(t(c2) %*% V[okc, okc] %*% c2))
    w <- setNames(rep(0, length(bn)), bn); w[glev[i]] <- -1; w[glev[j]] <- 1
    sc <- svycontrast(b, w)
    check(same(coef(sc), dif, 1e-9), paste(context, glev[i], glev[j], "svycontrast difference"))
    check(same(SE(sc), se, 1e-9), paste(context, glev[i], glev[j], "svycontrast se"))
    passed()
  }
}

# survey 4.1.1's svyby(..., covmat = TRUE) fails on a calibrated design such as svystandardize's result
# ("number of items to replace is not a multiple of replacement length": a calibrated subset keeps all rows,
# but svyby places the influence functions at the subset's index). This does what svyby.survey.design2
# intends: per-group svymean influence functions (all rows, zero outside the group), then svyrecvar with
# the design's post-strata. Returns a svystat with the groups' means and their joint covariance.
svyby_means_covmat <- function(sd, glev) {
  g <- sd$variables$.g
  present <- glev[glev %in% unique(as.character(g[weights(sd, "sampling") != 0]))]
  est <- numeric(0); infl <- NULL
  for (gg in present) {
    r <- svymean(~.y, sd[!is.na(g) & g == gg, ], influence = TRUE)
    stopifnot(NROW(attr(r, "influence")) == nrow(sd))
    est[gg] <- coef(r); infl <- cbind(infl, attr(r, "influence"))
  }
  V <- svyrecvar(infl, sd$cluster, sd$strata, sd$fpc, postStrata = sd$postStrata)
  dimnames(V) <- list(present, present)
  structure(est, var = V, statistic = "mean", class = "svystat")
}

# des: the full design. y: numeric (0/1 or value, NA = not valid). g: character group codes (NA missing),
# glev: codebook order. std: NULL (crude) or list(name =, values = character, levels = codebook order).
compare_block <- function(des, y, variable, category, between, g, glev, std = NULL) {
  des$variables$.y <- y
  des$variables$.g <- factor(g, levels = glev)
  context <- paste0(variable, "/", category, " by ", between,
                    if (!is.null(std)) paste0(" std ", std$name) else "")
  if (is.null(std)) {
    d <- subset(des, !is.na(.y) & !is.na(.g))
    m <- run_logged(svyglm(.y ~ .g, design = d), context)
    b <- run_logged(svyby(~.y, ~.g, d, svymean, covmat = TRUE), context)
    bcov <- b
    stdname <- ""
  } else {
    des$variables$.a <- factor(std$values, levels = std$levels)
    d0 <- subset(des, !is.na(.a) & !is.na(.g))
    pop <- svytotal(~.a, d0)
    sd <- run_logged(svystandardize(d0, by = ~.a, over = ~.g, population = pop, excluding.missing = ~.y),
                     context)
    m <- if (is.null(sd)) NULL else run_logged(svyglm(.y ~ .g, design = sd), context)
    b <- if (is.null(sd)) NULL else run_logged(svyby(~.y, ~.g, sd, svymean), context)
    bcov <- if (is.null(b)) NULL else run_logged(svyby_means_covmat(sd, glev), paste(context, "(covmat)"))
    if (!is.null(bcov)) check(same(coef(bcov), coef(b), 1e-12) && same(SE(bcov), SE(b), 1e-9),
                              paste(context, "own svyby covmat vs svyby"))
    if (!is.null(sd) && !is.null(b)) {
      # standardisation check: within each group the weighted age distribution equals pop's proportions
      tab <- svytable(~.a + .g, sd)
      for (gg in colnames(tab)) if (sum(tab[, gg]) > 0) {
        present <- tab[, gg] > 0
        target <- coef(pop)[present] / sum(coef(pop)[present])
        if (!same(tab[present, gg] / sum(tab[, gg]), target, 1e-9) || any(!present))
          logmsg("NOTE [", context, "]: group ", gg, " lacks standardising cell(s) ",
                 paste(rownames(tab)[!present], collapse = " "))
      }
    }
    if (!is.null(b)) {
      # hand formula: est_g = sum_a P_a * ybar_{g,a} / sum_a P_a over the age cells present in group g among valid
      # y, P_a = pop_a / sum(pop) (pop from all rows of d0), ybar_{g,a} = weighted mean of y in the cell (old weights)
      v <- d0$variables; w <- weights(d0)
      ok <- !is.na(v$.y)
      P <- coef(pop) / sum(coef(pop)); names(P) <- levels(v$.a)
      for (gg in names(coef(b))) {
        num <- 0; den <- 0
        for (aa in levels(v$.a)) {
          cellm <- ok & v$.g == gg & v$.a == aa
          if (any(cellm)) { num <- num + P[[aa]] * sum(w[cellm] * v$.y[cellm]) / sum(w[cellm]); den <- den + P[[aa]] }
        }
        check(same(num / den, coef(b)[[gg]], 1e-10), paste(context, gg, "standardised mean vs hand formula"))
      }
      passed()
    }
    stdname <- std$name
  }
  est <- setNames(rep(NA_real_, length(glev)), glev)
  if (!is.null(b)) est[names(coef(b))] <- coef(b)
  rows <- pair_rows(m, est, glev, variable, category, between, stdname, context)
  if (!is.null(m) && !is.null(bcov)) check_svyby_contrasts(bcov, m, glev, context)
  rows
}

write_compare <- function(rows, path) {
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- COMPARE_COLS
  write.csv(out, path, row.names = FALSE, quote = 1:6, na = "")
  message("wrote ", nrow(out), " rows to ", path)
  invisible(out)
}

# ---------------------------------------------------------------------------------------------
# B. Rao-Scott tests.
TEST_COLS <- c("variable", "category", "by", "n", "f", "ndf", "ddf", "p_f", "chisq_first_order",
               "df_first_order", "p_chisq", "pearson_x2")

# Independent re-computation of svychisq.survey.design's Delta (source: /work/notes/r-source/
# svychisq.survey.design.R) for the two-way table .x x .b of design d.
rao_scott_own <- function(d) {
  xv <- d$variables$.x; bv <- d$variables$.b
  xl <- levels(droplevels(factor(xv))); bl <- levels(droplevels(factor(bv)))
  nr <- length(xl); nc <- length(bl)
  # indicators of the r x c cells, row index fastest (as interaction(factor(x), factor(b)))
  cell <- (match(as.character(xv), xl)) + nr * (match(as.character(bv), bl) - 1)
  mm <- outer(cell, seq_len(nr * nc), "==") * 1
  colnames(mm) <- paste0("c", seq_len(nr * nc))
  N <- nrow(mm)
  nu <- length(unique(d$cluster[, 1])) - length(unique(d$strata[, 1]))
  mean2 <- svymean(mm, d)
  p <- as.vector(coef(mean2)); V <- attr(mean2, "var")
  P <- matrix(p, nr, nc)
  E <- outer(rowSums(P), colSums(P))
  X2 <- N * sum((P - E)^2 / E)              # Pearson X^2 of the weighted table rescaled to N
  mf1 <- expand.grid(rows = 1:nr, cols = 1:nc)
  X1 <- model.matrix(~factor(rows) + factor(cols), mf1)
  X12 <- model.matrix(~factor(rows) * factor(cols), mf1)
  C <- qr.resid(qr(X1), X12[, -(1:(nr + nc - 1)), drop = FALSE])
  iD <- diag(ifelse(p == 0, 0, 1 / p), length(p))
  Delta <- solve(t(C) %*% (iD / N) %*% C, t(C) %*% iD %*% V %*% iD %*% C)
  trD <- sum(diag(Delta)); trD2 <- sum(diag(Delta %*% Delta))
  d0 <- trD^2 / trD2
  list(N = N, nu = nu, X2 = X2, Delta = Delta,
       f = X2 / trD, ndf = d0, ddf = d0 * nu, p_f = pf(X2 / trD, d0, d0 * nu, lower.tail = FALSE),
       chisq1 = X2 / mean(diag(Delta)), df1 = ncol(Delta),
       p_chisq = pchisq(X2 / mean(diag(Delta)), ncol(Delta), lower.tail = FALSE))
}

# x: character codes of the rows variable (NA = not valid), xlev: order for the factor; by: character.
test_block <- function(des, x, xlev, variable, category, byname, by, bylev) {
  des$variables$.x <- x
  des$variables$.b <- by
  d <- subset(des, !is.na(.x) & !is.na(.b))
  # factors with only the levels present in d (a factor level without rows would give a zero margin)
  d$variables$.x <- factor(d$variables$.x, levels = intersect(xlev, unique(d$variables$.x)))
  d$variables$.b <- factor(d$variables$.b, levels = intersect(bylev, unique(d$variables$.b)))
  n <- nrow(d)
  context <- paste0(variable, "/", category, " by ", byname)
  rF <- run_logged(svychisq(~.x + .b, d, statistic = "F"), context)
  rC <- run_logged(svychisq(~.x + .b, d, statistic = "Chisq"), context)
  own <- run_logged(rao_scott_own(d), paste(context, "(own Delta)"))
  if (is.null(rF) || is.null(rC) || is.null(own))
    return(c(variable, category, byname, n, rep("", 8)))
  check(same(rF$statistic, own$f, 1e-10), paste(context, "F"))
  check(same(rF$parameter[["ndf"]], own$ndf, 1e-10), paste(context, "ndf"))
  check(same(rF$parameter[["ddf"]], own$ddf, 1e-10), paste(context, "ddf"))
  check(same(rF$p.value, own$p_f, 1e-8), paste(context, "p_f"))
  check(same(rC$statistic, own$X2, 1e-10), paste(context, "Pearson X2"))
  check(same(rC$parameter[["df"]], own$df1, 0), paste(context, "df"))
  check(same(rC$p.value, own$p_chisq, 1e-8), paste(context, "p_chisq"))
  check(same(qchisq(rC$p.value, rC$parameter[["df"]], lower.tail = FALSE), own$chisq1, 1e-6) ||
          rC$p.value < 1e-300, paste(context, "chisq_first_order via qchisq"))
  # identity: X2/mean(diag Delta) = df * X2/tr(Delta) = df * F
  check(same(own$chisq1, own$df1 * rF$statistic, 1e-12), paste(context, "chisq_first_order = df * F"))
  passed()
  c(variable, category, byname, n, fmt17(rF$statistic), fmt17(rF$parameter[["ndf"]]),
    fmt17(rF$parameter[["ddf"]]), fmt17(rF$p.value), fmt17(own$chisq1), fmt17(rC$parameter[["df"]]),
    fmt17(rC$p.value), fmt17(rC$statistic))
}

write_test <- function(rows, path) {
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- TEST_COLS
  write.csv(out, path, row.names = FALSE, quote = 1:3, na = "")
  message("wrote ", nrow(out), " rows to ", path)
  invisible(out)
}

write_log <- function(path, header) {
  writeLines(c(header, if (length(.log$lines)) .log$lines else "(no R errors, warnings or notes)",
               paste("checks passed:", .checks$n)), path)
}
