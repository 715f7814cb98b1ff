# Shared helpers for the reference scripts (sourced by */reference.R and inwonersenquete.R).
# Base R + survey only. Semantics: /work/notes/schema.md ("Semantics to reproduce in references").
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")

# Directory of the running script (Rscript --file=...).
script_dir <- function() {
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 0) return(getwd())
  dirname(normalizePath(f[1]))
}

# Read a delimited file with every column as character; empty cells stay "" (not NA) so
# the codebook decides what is missing.
read_raw <- function(path, sep = ",", dec = ".") {
  d <- read.table(path, header = TRUE, sep = sep, quote = "\"", colClasses = "character",
                  na.strings = character(0), comment.char = "", check.names = FALSE,
                  strip.white = FALSE, fileEncoding = "UTF-8")
  attr(d, "dec") <- dec
  d
}

# Character -> numeric with the file's decimal mark; "" and the declared missing codes -> NA.
as_num <- function(x, dec = ".", missing = character(0)) {
  x[x == "" | x %in% missing] <- NA
  if (dec != ".") x <- gsub(dec, ".", x, fixed = TRUE)
  v <- as.numeric(x)
  if (any(is.na(v) & !is.na(x))) stop("unparseable number: ", x[is.na(v) & !is.na(x)][1])
  v
}

# Categorical: "" and missing codes -> NA; any other code must be declared.
as_cat <- function(x, codes, missing = character(0), name = "?") {
  x[x == "" | x %in% missing] <- NA
  bad <- !is.na(x) & !(x %in% codes)
  if (any(bad)) stop("undeclared code in ", name, ": ", x[bad][1])
  x
}

# Bins (inclusive bounds, max optional) from a numeric vector.
as_bins <- function(v, bins) {
  out <- rep(NA_character_, length(v))
  for (b in bins) {
    ok <- !is.na(v) & v >= b$min
    if (!is.null(b$max)) ok <- ok & v <= b$max
    out[ok & is.na(out)] <- b$label
  }
  out
}

# Multi item: selected -> 1, "" -> NA, anything else -> 0.
as_item <- function(x, selected = "1") ifelse(x == "", NA_real_, as.numeric(x == selected))

fmt17 <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "", ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), sprintf("%.17g", x)))
}

quiet <- function(expr) {
  withCallingHandlers(tryCatch(expr, error = function(e) {
    message("  R error (-> NA): ", conditionMessage(e)); NULL
  }), warning = function(w) invokeRestart("muffleWarning"))
}

# One block of reference rows.
#   des     : svydesign object whose variables contain column `ycol` (0/1 or numeric, NA = not valid)
#   byvars  : named list; each element list(values = character vector (NA = missing), groups = ordered codes)
#   kind    : "prop" (svyciprop methods) or "mean" (numeric; ci_method "mean" from confint(svymean))
reference_block <- function(des, ycol, variable, category, byvars, kind = "prop",
                            methods = c("logit", "beta", "asin", "mean", "xlogit"),
                            levels = list(`0.95` = c("logit", "beta", "asin", "mean", "xlogit"),
                                          `0.9` = c("logit", "beta"))) {
  y <- des$variables[[ycol]]
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
    sub <- des[dm$mask, ]          # == subset(des, mask): drops rows, keeps whole-design PSU counts
    n <- nrow(sub)
    sm <- quiet(svymean(f, sub, deff = "replace"))
    est <- unname(coef(sm)[1]); se <- unname(SE(sm)[1]); de <- unname(deff(sm)[1])
    dfree <- degf(sub)
    for (lv in names(levels)) {
      L <- as.numeric(lv)
      if (kind == "mean") {
        ci <- as.vector(confint(sm, level = L))
        rows[[length(rows) + 1]] <- c(variable, category, dm$by, dm$group, n, fmt17(est), fmt17(se),
                                      fmt17(ci[1]), fmt17(ci[2]), "mean", lv, dfree, fmt17(de))
      } else {
        for (m in intersect(levels[[lv]], methods)) {
          r <- quiet(svyciprop(f, sub, method = m, level = L))
          ci <- if (is.null(r)) c(NA, NA) else as.vector(confint(r))
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

# reference_block_w: reference_block with two changes needed for calibrated designs (identical
# output for uncalibrated ones, asserted in weighting/reference.R):
#  * n = number of rows in the domain (sum(mask)); nrow() of a subset of a calibrated design is ALL rows
#    (subset() of a calibrated design keeps every row and sets its weight to 0);
#  * na.rm = TRUE in svymean / svyciprop: the rows outside the domain are still in the design, and svymean
#    of a column with NA in those rows fails ("NA/NaN/Inf in foreign function call") without it.
reference_block_w <- function(des, ycol, variable, category, byvars, kind = "prop",
                              levels = list(`0.95` = c("logit", "beta", "asin", "mean", "xlogit"),
                                            `0.9` = c("logit", "beta"))) {
  y <- des$variables[[ycol]]
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
    sub <- des[dm$mask, ]
    n <- sum(dm$mask)
    sm <- quiet(svymean(f, sub, deff = "replace", na.rm = TRUE))
    est <- unname(coef(sm)[1]); se <- unname(SE(sm)[1]); de <- unname(deff(sm)[1])
    dfree <- degf(sub)
    for (lv in names(levels)) {
      L <- as.numeric(lv)
      if (kind == "mean") {
        ci <- as.vector(confint(sm, level = L))
        rows[[length(rows) + 1]] <- c(variable, category, dm$by, dm$group, n, fmt17(est), fmt17(se),
                                      fmt17(ci[1]), fmt17(ci[2]), "mean", lv, dfree, fmt17(de))
      } else {
        for (m in levels[[lv]]) {
          r <- quiet(svyciprop(f, sub, method = m, level = L, na.rm = TRUE))
          ci <- if (is.null(r)) c(NA, NA) else as.vector(confint(r))
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

write_reference <- function(rows, path) {
  # text columns quoted (group codes such as "(19,39]" contain commas); numbers unquoted, NA -> empty
  write.csv(rows, path, row.names = FALSE, quote = c(1, 2, 3, 4, 10), na = "")
}

# Cross-check: the loop above must equal the schema's svyby formulation for one variable.
check_svyby <- function(des, ycol, bn, gvalues, methods = c("logit", "beta", "asin", "mean", "xlogit"),
                        level = 0.95) {
  des$variables$.g <- gvalues
  y <- des$variables[[ycol]]
  base <- des[!is.na(y) & !is.na(gvalues), ]
  f <- as.formula(paste0("~", ycol))
  checked <- 0
  for (m in methods) {
    b <- withCallingHandlers(svyby(f, ~.g, base, svyciprop, method = m, level = level, vartype = c("se", "ci")),
                             warning = function(w) invokeRestart("muffleWarning"))
    for (i in seq_len(nrow(b))) {
      code <- as.character(b$.g[i])
      sub <- des[!is.na(y) & !is.na(gvalues) & gvalues == code, ]
      r <- quiet(svyciprop(f, sub, method = m, level = level))
      a <- c(b$ci_l[i], b$ci_u[i]); e <- as.vector(confint(r))
      if (!isTRUE(all.equal(a, e, tolerance = 0)) && !all(is.na(a) & is.na(e)))
        stop("svyby mismatch: ", ycol, " ", code, " ", m)
      checked <- checked + 1
    }
  }
  message("svyby cross-check: ", checked, " intervals identical (", ycol, " by ", bn, ")")
  invisible(TRUE)
}
