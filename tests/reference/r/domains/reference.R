# R survey references for filters (domains), recodes, crossed breakdowns, each group against the total and
# column letters (pairwise differences, Holm per row) on the domains fixture (data.csv + codebook.toml /
# codebook_filtered.toml) and the clustered health fixture (../health).
# Run from anywhere:  Rscript tests/reference/r/domains/reference.R
# Writes next to itself: expected.csv, expected_filtered.csv, against.csv, against_health.csv, pairs.csv, log.txt.
# Definitions, formats and findings: README.md in this folder.
{
  a <- commandArgs(trailingOnly = FALSE)
  here <- dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
}
source(file.path(here, "..", "compare", "compare_common.R"))   # sources ../common.R (lonely.psu = "adjust")
if (!isTRUE(l10n_info()[["UTF-8"]])) stop("run in a UTF-8 locale (group names contain U+00D7)")
X <- " \u00d7 "                                                  # separator of crossed names and codes

# ---------------------------------------------------------------------------------------------------------------
# Filter language, two-valued. A comparison (== != < <= > >=) or `in` with a missing value (empty cell or declared
# missing code, also a recode's `missing` result code) is FALSE; `not` is plain negation (not FALSE = TRUE, so
# `not (leeftijd >= 80)` keeps respondents without an age); `is missing` is TRUE exactly for missing values.
cmp <- function(x, op, v) { r <- match.fun(op)(x, v); r[is.na(x)] <- FALSE; r }
inn <- function(x, set) !is.na(x) & x %in% set
miss <- function(x) is.na(x)
flt <- function(r) { stopifnot(is.logical(r), !anyNA(r)); r }

# the filter strings must be the codebooks' (one `filter = ...` line each)
check_filter_line <- function(toml, line) {
  lines <- readLines(file.path(here, toml), encoding = "UTF-8")
  check(sum(lines == line) >= 1, paste(toml, "lacks the line", line))
}

# ---------------------------------------------------------------------------------------------------------------
# Data (codebook.toml): empty cells and missing codes -> NA.
raw <- read_raw(file.path(here, "data.csv"), sep = ",", dec = ".")
wijk_codes <- as.character(1:10)
age_bins <- list(list(label = "18-29", min = 18, max = 29), list(label = "30-44", min = 30, max = 44),
                 list(label = "45-64", min = 45, max = 64), list(label = "65+", min = 65))
items <- c("kan_telefoon", "kan_email", "kan_balie", "kan_chat")

# recode: map = list(result code = source codes); a source value outside every list is an error; a missing
# source stays missing; result codes in `missing` become missing. Numeric sources match the codes numerically.
recode <- function(src, map, missing = character(0), numeric_source = FALSE) {
  out <- rep(NA_character_, length(src))
  for (code in names(map)) {
    hit <- if (numeric_source) !is.na(src) & src %in% as.numeric(map[[code]]) else !is.na(src) & src %in% map[[code]]
    stopifnot(!any(hit & !is.na(out)))
    out[hit] <- code
  }
  if (any(!is.na(src) & is.na(out))) stop("recode: uncovered source value")
  out[out %in% missing] <- NA
  out
}
stadsdeel_map <- list(A = c("1", "2", "3"), B = c("4", "5", "6"), C = c("7", "8", "9", "10"))
stelling_map <- list(eens = c("1", "2"), neutraal = "3", oneens = c("4", "5"), wn = "9")
hoog_map <- list(hoog = c("8", "9", "10"), `niet hoog` = as.character(1:7))

V <- list()
V$leeftijd <- as_num(raw$leeftijd, missing = "999")
V$leeftijdsgroep <- as_bins(V$leeftijd, age_bins)
V$geslacht <- as_cat(raw$geslacht, c("1", "2"), missing = "9", name = "geslacht")
V$taal <- as_cat(raw$taal, c("NL", "EN"), name = "taal")
V$wijk <- as_cat(raw$wijk, wijk_codes, name = "wijk")
V$stadsdeel <- recode(V$wijk, stadsdeel_map)
for (it in items) V[[it]] <- as_item(raw[[it]], "1")
V$stelling <- as_cat(raw$stelling, c("1", "2", "3", "4", "5", "9"), name = "stelling")
V$stelling_eens <- recode(V$stelling, stelling_map)
V$stelling_eens_zonder_wn <- recode(V$stelling, stelling_map, missing = "wn")
V$tevredenheid <- as_num(raw$tevredenheid)
V$tevreden_hoog <- recode(V$tevredenheid, hoog_map, numeric_source = TRUE)
stopifnot(all(is.na(V$leeftijd) == (raw$leeftijd == "999")), !anyNA(V$leeftijdsgroep[!is.na(V$leeftijd)]))

d <- data.frame(respnr = raw$respnr, wijk = raw$wijk, weegfactor = as_num(raw$weegfactor))
des <- svydesign(ids = ~1, strata = ~wijk, weights = ~weegfactor, data = d)
check(degf(des) == nrow(d) - 10, "degf of the full design")

# variable kinds (codebook order of codes / bins / items)
VARS <- list(
  leeftijdsgroep = sapply(age_bins, `[[`, "label"), geslacht = c("1", "2"), taal = c("NL", "EN"),
  wijk = wijk_codes, stadsdeel = names(stadsdeel_map), stelling = c("1", "2", "3", "4", "5", "9"),
  stelling_eens = names(stelling_map), stelling_eens_zonder_wn = c("eens", "neutraal", "oneens"),
  tevreden_hoog = names(hoog_map))
MULTI <- list(kanaal = items)
NUMERIC <- c("leeftijd", "tevredenheid")

# rows variable -> list of (category, y) with y numeric (NA = not in the base)
rows_of <- function(v, Vl) {
  if (v %in% names(MULTI)) return(lapply(MULTI[[v]], function(it) list(category = it, y = Vl[[it]])))
  if (v %in% NUMERIC) return(list(list(category = "", y = Vl[[v]])))
  lapply(VARS[[v]], function(code) list(category = code, y = ifelse(is.na(Vl[[v]]), NA, as.numeric(Vl[[v]] == code))))
}
# a by entry (one name, or a character vector = crossing) -> list(name, values, groups) (first variable slowest)
by_of <- function(b, Vl) {
  vals <- Vl[[b[1]]]; groups <- VARS[[b[1]]]
  for (nm in b[-1]) {
    nv <- Vl[[nm]]
    vals <- ifelse(is.na(vals) | is.na(nv), NA, paste0(vals, X, nv))
    groups <- as.vector(t(outer(groups, VARS[[nm]], paste, sep = X)))
  }
  list(name = paste(b, collapse = X), values = vals, groups = groups)
}

LEVELS <- list(`0.95` = c("logit", "beta", "mean", "xlogit", "asin"), `0.9` = "logit")

# One table: every rows category, "(all)" and every by group, each domain = subset(des, F & !is.na(y) & group).
table_rows <- function(des, tab, Vl) {
  F <- tab$filter
  bys <- lapply(tab$by, by_of, Vl = Vl)
  byvars <- setNames(lapply(bys, function(b) list(values = b$values, groups = b$groups)), sapply(bys, `[[`, "name"))
  kind <- if (tab$rows %in% NUMERIC) "mean" else "prop"
  out <- list()
  for (r in rows_of(tab$rows, Vl)) {
    des$variables$.yf <- ifelse(F, r$y, NA)       # outside the filter: not in any base; the design keeps every row
    blk <- reference_block(des, ".yf", tab$rows, r$category, byvars, kind = kind,
                           methods = LEVELS[["0.95"]], levels = LEVELS)
    out[[length(out) + 1]] <- cbind(table = tab$name, blk, stringsAsFactors = FALSE)
  }
  do.call(rbind, out)
}

# Cross-checks of written rows: the literal subset() call, and svyby over the table's base.
num <- function(x) as.numeric(ifelse(x == "", NA, x))
cross_check_subset <- function(des, rows, tab, Vl, category, byname, group) {
  r <- Filter(function(z) z$category == category, rows_of(tab$rows, Vl))[[1]]
  des$variables$.y <- r$y; des$variables$.F <- tab$filter
  if (byname == "(all)") {
    sub <- subset(des, .F & !is.na(.y))
  } else {
    b <- Filter(function(z) z$name == byname, lapply(tab$by, by_of, Vl = Vl))[[1]]
    des$variables$.g <- b$values
    sub <- subset(des, .F & !is.na(.y) & !is.na(.g) & .g == group)
  }
  sel <- rows[rows$table == tab$name & rows$category == category & rows$by == byname & rows$group == group, ]
  check(nrow(sel) > 0, paste("no rows for", tab$name, category, byname, group))
  sm <- svymean(~.y, sub, deff = "replace")
  check(same(num(sel$n), rep(nrow(sub), nrow(sel)), 0) && same(num(sel$df), rep(degf(sub), nrow(sel)), 0),
        paste("n/df", tab$name, category, group))
  check(same(num(sel$estimate), rep(coef(sm), nrow(sel)), 0) && same(num(sel$se), rep(SE(sm), nrow(sel)), 0),
        paste("estimate/se", tab$name, category, group))
  for (i in seq_len(nrow(sel))) {
    L <- as.numeric(sel$level[i])
    ci <- if (tab$rows %in% NUMERIC) as.vector(confint(sm, level = L)) else
      as.vector(confint(quiet(svyciprop(~.y, sub, method = sel$ci_method[i], level = L))))
    check(same(c(num(sel$ci_lower[i]), num(sel$ci_upper[i])), ci, 0), paste("ci", tab$name, category, group))
  }
  passed()
}
.sv <- new.env(); .sv$maxrel <- 0
cross_check_svyby <- function(des, rows, tab, Vl, category, b) {
  r <- Filter(function(z) z$category == category, rows_of(tab$rows, Vl))[[1]]
  bb <- by_of(b, Vl)
  des$variables$.y <- r$y; des$variables$.F <- tab$filter
  for (nm in b) des$variables[[nm]] <- factor(Vl[[nm]], levels = VARS[[nm]])
  base <- subset(des, .F & !is.na(.y) & !is.na(bb$values))
  f <- as.formula(paste0("~", paste(b, collapse = "+")))
  k <- 0
  ms <- if (tab$rows %in% NUMERIC) "numeric" else LEVELS[["0.95"]]
  for (m in ms) {
    sb <- withCallingHandlers(
      if (m == "numeric") svyby(~.y, f, base, svymean, vartype = c("se", "ci")) else
        svyby(~.y, f, base, svyciprop, method = m, vartype = c("se", "ci")),
      warning = function(w) invokeRestart("muffleWarning"))
    for (i in seq_len(nrow(sb))) {
      grp <- paste(sapply(b, function(nm) as.character(sb[[nm]][i])), collapse = X)
      sel <- rows[rows$table == tab$name & rows$category == category & rows$by == bb$name & rows$group == grp &
                    rows$level == "0.95" & rows$ci_method == if (m == "numeric") "mean" else m, ]
      check(nrow(sel) == 1, paste("svyby group", grp, "missing in rows"))
      # svyby's ci for svymean is confint(svymean) (normal); for svyciprop the method's interval. svyciprop's
      # point estimate for logit is the fitted glm's (IRLS stops at glm's deviance tolerance 1e-8): up to ~1e-8
      # relative from svymean's here, so 1e-7; the other methods' estimates are svymean's exactly.
      if (!(num(sel$estimate) %in% c(0, 1)))
        .sv$maxrel <- max(.sv$maxrel, abs(num(sel$estimate) - sb[i, ".y"]) / abs(sb[i, ".y"]))
      # At p = 0 (p = 1) the glm's fitted value is ~1e-12 (1 - 1e-12): compared absolutely there.
      check(same(num(sel$estimate), sb[i, ".y"], if (m == "logit") 1e-7 else 1e-12) ||
              (m == "logit" && num(sel$estimate) %in% c(0, 1) && abs(num(sel$estimate) - sb[i, ".y"]) < 1e-9),
            paste("svyby estimate", tab$name, category, grp, m))
      check(same(c(num(sel$ci_lower), num(sel$ci_upper)), c(sb$ci_l[i], sb$ci_u[i]), 1e-12),
            paste("svyby ci", tab$name, category, grp, m))
      k <- k + 1
    }
  }
  passed()
  k
}

# ---------------------------------------------------------------------------------------------------------------
# Tables of codebook.toml
Fmain <- list(
  kanaal_65plus = flt(cmp(V$leeftijd, ">=", 65)),
  kanaal_en = flt(cmp(V$taal, "==", "EN") & !inn(V$wijk, c("1", "2"))),
  tevredenheid_onder80 = flt(cmp(V$leeftijd, "<", 80) | miss(V$leeftijd)),
  tevredenheid_niet80plus = flt(!cmp(V$leeftijd, ">=", 80)))
check_filter_line("codebook.toml", 'filter = "leeftijd >= 65"')
check_filter_line("codebook.toml", "filter = 'taal == \"EN\" and not (wijk in [\"1\", \"2\"])'")
check_filter_line("codebook.toml", 'filter = "leeftijd < 80 or leeftijd is missing"')
check_filter_line("codebook.toml", 'filter = "not (leeftijd >= 80)"')
check(identical(Fmain$tevredenheid_onder80, Fmain$tevredenheid_niet80plus), "`not (leeftijd >= 80)` keeps missing ages")
ALL <- rep(TRUE, nrow(d))
main_tables <- list(
  list(name = "kanaal", rows = "kanaal", filter = ALL,
       by = list("leeftijdsgroep", "taal", c("leeftijdsgroep", "geslacht"), "stadsdeel", "wijk")),
  list(name = "kanaal_65plus", rows = "kanaal", filter = Fmain$kanaal_65plus, by = list("geslacht")),
  list(name = "kanaal_en", rows = "kanaal", filter = Fmain$kanaal_en,
       by = list(c("leeftijdsgroep", "geslacht"), "stadsdeel")),
  list(name = "stelling_eens", rows = "stelling_eens", filter = ALL, by = list("stadsdeel")),
  list(name = "stelling_eens_zonder_wn", rows = "stelling_eens_zonder_wn", filter = ALL, by = list("stadsdeel")),
  list(name = "tevreden_hoog", rows = "tevreden_hoog", filter = ALL, by = list("taal")),
  list(name = "tevredenheid_onder80", rows = "tevredenheid", filter = Fmain$tevredenheid_onder80,
       by = list(c("taal", "geslacht"))),
  list(name = "tevredenheid_niet80plus", rows = "tevredenheid", filter = Fmain$tevredenheid_niet80plus,
       by = list(c("taal", "geslacht"))))

# Tables of codebook_filtered.toml: codebook filter G and each table's filter must both hold.
G <- flt(!cmp(V$leeftijd, "<", 25) & cmp(V$geslacht, "!=", "9"))
check_filter_line("codebook_filtered.toml", 'filter = "not (leeftijd < 25) and geslacht != \\"9\\""')
check_filter_line("codebook_filtered.toml", "filter = 'leeftijdsgroep == \"65+\"'")
check_filter_line("codebook_filtered.toml", "filter = 'stadsdeel in [\"A\", \"B\"]'")
check_filter_line("codebook_filtered.toml", "filter = 'not (stelling_eens_zonder_wn in [\"oneens\"])'")
check_filter_line("codebook_filtered.toml",
                  "filter = 'tevreden_hoog == \"hoog\" and (taal == \"NL\" or leeftijd <= 40)'")
# `geslacht != "9"`: 9 is a missing code, so the comparison is FALSE for those rows (and TRUE for 1 and 2)
check(identical(cmp(V$geslacht, "!=", "9"), !is.na(V$geslacht)), "geslacht != 9 equals 'geslacht valid'")
filt_tables <- list(
  list(name = "kanaal", rows = "kanaal", filter = G, by = list("leeftijdsgroep", "geslacht", "stadsdeel")),
  list(name = "kanaal_65plus", rows = "kanaal", filter = flt(G & cmp(V$leeftijdsgroep, "==", "65+")),
       by = list(c("stadsdeel", "taal"))),
  list(name = "tevredenheid_noord_midden", rows = "tevredenheid", filter = flt(G & inn(V$stadsdeel, c("A", "B"))),
       by = list("taal")),
  list(name = "tevredenheid_niet_oneens", rows = "tevredenheid",
       filter = flt(G & !inn(V$stelling_eens_zonder_wn, "oneens")), by = list("stadsdeel")),
  list(name = "stelling_eens_zonder_wn_hoog", rows = "stelling_eens_zonder_wn",
       filter = flt(G & cmp(V$tevreden_hoog, "==", "hoog") & (cmp(V$taal, "==", "NL") | cmp(V$leeftijd, "<=", 40))),
       by = list("taal")))

for (tb in c(main_tables, filt_tables)) logmsg("filter size [", tb$name, "]: ", sum(tb$filter), " of ", nrow(d))
logmsg("filter size [codebook_filtered.toml codebook-level]: ", sum(G), " of ", nrow(d))

expected <- do.call(rbind, lapply(main_tables, table_rows, des = des, Vl = V))
expected_f <- do.call(rbind, lapply(filt_tables, table_rows, des = des, Vl = V))
write_expected <- function(rows, path) {
  write.csv(rows, path, row.names = FALSE, quote = c(1, 2, 3, 4, 5, 11), na = "", fileEncoding = "UTF-8")
  message("wrote ", nrow(rows), " rows to ", path)
}
write_expected(expected, file.path(here, "expected.csv"))
write_expected(expected_f, file.path(here, "expected_filtered.csv"))

# the twin tables (same filter semantics) give identical numbers
tw1 <- expected[expected$table == "tevredenheid_onder80", -1]; tw2 <- expected[expected$table == "tevredenheid_niet80plus", -1]
check(identical(unname(as.list(tw1)), unname(as.list(tw2))), "twin tables differ"); passed()

# svyciprop's logit interval comes from an IRLS fit (svyglm quasibinomial), xlogit's from svymean + delta method:
# the same interval up to the fit's convergence. Quantified here (0 < p < 1, df > 0), as a fraction of the half-width.
for (rows in list(expected, expected_f)) {
  lg <- rows[rows$ci_method == "logit" & rows$level == "0.95", ]; xl <- rows[rows$ci_method == "xlogit", ]
  check(nrow(lg) == nrow(xl) && all(as.matrix(lg[, c(1:5, 13)]) == as.matrix(xl[, c(1:5, 13)])), "logit/xlogit rows align")
  ok <- num(lg$estimate) > 0 & num(lg$estimate) < 1 & num(lg$df) > 0
  half <- (num(lg$ci_upper) - num(lg$ci_lower)) / 2
  dev <- pmax(abs(num(lg$ci_lower) - num(xl$ci_lower)), abs(num(lg$ci_upper) - num(xl$ci_upper))) / half
  logmsg("logit vs xlogit interval limits (", sum(ok), " rows with 0 < p < 1): max difference ",
         sprintf("%.3g", max(dev[ok])), " of the half-width")
}

# cross-checks: literal subset() for a selection of domains, svyby for every by of some tables
ck <- list(
  list(main_tables[[1]], "kan_chat", "wijk", "10"), list(main_tables[[1]], "kan_email", "(all)", "(all)"),
  list(main_tables[[1]], "kan_balie", paste0("leeftijdsgroep", X, "geslacht"), paste0("65+", X, "2")),
  list(main_tables[[2]], "kan_telefoon", "geslacht", "2"), list(main_tables[[2]], "kan_chat", "(all)", "(all)"),
  list(main_tables[[3]], "kan_email", paste0("leeftijdsgroep", X, "geslacht"), paste0("30-44", X, "1")),
  list(main_tables[[3]], "kan_chat", "stadsdeel", "A"),
  list(main_tables[[5]], "neutraal", "stadsdeel", "C"), list(main_tables[[4]], "wn", "(all)", "(all)"),
  list(main_tables[[6]], "niet hoog", "taal", "EN"),
  list(main_tables[[7]], "", paste0("taal", X, "geslacht"), paste0("EN", X, "2")))
for (z in ck) cross_check_subset(des, expected, z[[1]], V, z[[2]], z[[3]], z[[4]])
ckf <- list(list(filt_tables[[1]], "kan_telefoon", "leeftijdsgroep", "18-29"),
            list(filt_tables[[2]], "kan_balie", paste0("stadsdeel", X, "taal"), paste0("B", X, "EN")),
            list(filt_tables[[4]], "", "stadsdeel", "B"), list(filt_tables[[5]], "eens", "taal", "EN"))
for (z in ckf) cross_check_subset(des, expected_f, z[[1]], V, z[[2]], z[[3]], z[[4]])
logmsg("literal subset() cross-check: ", length(ck) + length(ckf), " domains identical (n, df, estimate, se, every interval; tolerance 0)")
nsv <- 0
for (tb in main_tables) for (b in tb$by) for (r in rows_of(tb$rows, V))
  nsv <- nsv + cross_check_svyby(des, expected, tb, V, r$category, b)
for (tb in filt_tables) for (b in tb$by) for (r in rows_of(tb$rows, V))
  nsv <- nsv + cross_check_svyby(des, expected_f, tb, V, r$category, b)
logmsg("svyby cross-check: ", nsv, " group intervals at 0.95 equal (1e-12 relative); svyby's point estimates vs ",
       "expected.csv max relative difference ", sprintf("%.3g", .sv$maxrel), " (svyciprop logit = glm fit)")

# ---------------------------------------------------------------------------------------------------------------
# Each group against the total: d = subset(des, F & !is.na(y)); ind = 1{g == code} (0 where g is missing);
# m = svymean(~I(y*ind) + ind + y, d); svycontrast(m, quote(`I(y * ind)`/ind - y)); df = degf(d).
AGAINST_COLS <- c("table", "variable", "category", "between", "group_a", "group_b", "estimate_a", "estimate_b",
                  "difference", "se", "df", "t", "p_value")
.ag <- new.env(); .ag$maxrel <- 0; .ag$n <- 0; .ag$worst <- ""
# hand linearisation through the stratified (clustered) variance formula with the whole design's PSU counts
hand_se <- function(des, mask, y, ind) {
  w <- weights(des)
  yy <- ifelse(mask, y, 0); ii <- ifelse(mask, ind, 0); ww <- ifelse(mask, w, 0)
  N <- sum(ww); Ng <- sum(ww * ii)
  p <- sum(ww * yy) / N; pg <- sum(ww * yy * ii) / Ng
  z <- ww * (ii * (yy - pg) / Ng - (yy - p) / N)
  st <- des$strata[, 1]; psu <- des$cluster[, 1]
  v <- 0
  for (h in unique(st)) {
    inh <- st == h
    tz <- tapply(z[inh], as.character(psu[inh]), sum)         # PSU totals (all PSUs of the stratum, zero if absent)
    nh <- length(tz)
    check(nh == des$fpc$sampsize[which(inh)[1], 1], "n_h")
    if (nh > 1) v <- v + nh / (nh - 1) * sum((tz - mean(tz))^2)
  }
  c(p = p, pg = pg, se = sqrt(v))
}
against_block <- function(des, tabname, F, y, variable, category, bb) {
  des$variables$y <- y
  des$variables$.F <- F
  out <- list()
  for (code in bb$groups) {
    ind <- as.numeric(!is.na(bb$values) & bb$values == code)
    des$variables$ind <- ind
    dd <- subset(des, .F & !is.na(y))
    if (sum(dd$variables$ind) == 0) {
      logmsg("NOTE [against ", tabname, " ", category, " ", bb$name, "]: group ", code, " has no rows -> omitted")
      next
    }
    m <- svymean(~I(y*ind) + ind + y, dd)
    check(identical(names(coef(m)), c("I(y * ind)", "ind", "y")), "coefficient names")
    sc <- svycontrast(m, quote(`I(y * ind)` / ind - y))
    dif <- unname(coef(sc)); se <- unname(SE(sc)); dfree <- degf(dd)
    est_a <- unname(coef(m)["y"]); est_b <- unname(coef(m)["I(y * ind)"] / coef(m)["ind"])
    # the two estimates are svymean on the domains of expected.csv
    check(same(est_a, coef(svymean(~y, dd)), 1e-12), "estimate_a")
    check(same(est_b, coef(svymean(~y, subset(dd, ind == 1))), 1e-12), "estimate_b")
    check(same(dif, est_b - est_a, 1e-12), "difference")
    h <- hand_se(des, F & !is.na(y), y, ind)
    check(same(c(h[["p"]], h[["pg"]]), c(est_a, est_b), 1e-12), "hand estimates")
    rel <- if (se == 0 && h[["se"]] == 0) 0 else abs(h[["se"]] - se) / max(se, h[["se"]])
    check(rel < 1e-10, paste("hand se", tabname, category, code))
    # a group with p_g = 0 or 1 contributes nothing to z (y_i = p_g in it): the contrast's se is the total's own se
    if (est_b %in% c(0, 1)) {
      check(same(se, SE(svymean(~y, dd)), 1e-12), "p = 0/1 group: se equals the total's se")
      logmsg("NOTE [against ", tabname, " ", category, " ", bb$name, " ", code, "]: p_g = ", est_b, ", se = SE(total) = ",
             fmt17(se), ", t = ", fmt17(dif / se))
    }
    if (rel > .ag$maxrel) { .ag$maxrel <- rel; .ag$worst <- paste(tabname, category, bb$name, code) }
    .ag$n <- .ag$n + 1
    tt <- dif / se
    out[[length(out) + 1]] <- c(tabname, variable, category, bb$name, "(all)", code, fmt17(est_a), fmt17(est_b),
                                fmt17(dif), fmt17(se), fmt17(dfree), fmt17(tt), fmt17(2 * pt(-abs(tt), dfree)))
  }
  passed()
  out
}
write_rows <- function(rows, cols, path, quote) {
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- cols
  write.csv(out, path, row.names = FALSE, quote = quote, na = "", fileEncoding = "UTF-8")
  message("wrote ", nrow(out), " rows to ", path)
  invisible(out)
}

arows <- list()
against_spec <- list(
  list(tab = main_tables[[1]], by = list("leeftijdsgroep", "wijk", "stadsdeel", c("leeftijdsgroep", "geslacht"))),
  list(tab = main_tables[[2]], by = list("geslacht")))
for (s in against_spec) for (r in rows_of(s$tab$rows, V)) for (b in s$by)
  arows <- c(arows, against_block(des, s$tab$name, s$tab$filter, r$y, s$tab$rows, r$category, by_of(b, V)))
against <- write_rows(arows, AGAINST_COLS, file.path(here, "against.csv"), 1:6)
# estimates agree with expected.csv (same domains)
for (i in seq_len(nrow(against))) {
  e <- expected[expected$table == against$table[i] & expected$category == against$category[i], ]
  ea <- e$estimate[e$by == "(all)"][1]; eb <- e$estimate[e$by == against$between[i] & e$group == against$group_b[i]][1]
  check(same(num(c(ea, eb)), num(c(against$estimate_a[i], against$estimate_b[i])), 0), "against vs expected.csv")
}
logmsg("against-total (domains): ", .ag$n, " contrasts; svycontrast se vs hand linearisation max relative difference ",
       sprintf("%.3g", .ag$maxrel), " (", .ag$worst, ")")

# health fixture (clustered): health codes and use items by agegroup, no filter
.ag$maxrel <- 0; .ag$n <- 0; .ag$worst <- ""
hraw <- read_raw(file.path(here, "..", "health", "data.csv"), sep = ",", dec = ".")
age_codes <- c("(19,39]", "(39,59]", "(59,99]")
hd <- data.frame(stratum = hraw$stratum, psu = hraw$psu, weight = as_num(hraw$weight))
hdes <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = hd)
check(degf(hdes) == 15, "health degf")
hage <- as_cat(hraw$agegroup, age_codes, name = "agegroup")
hhealth <- as_cat(hraw$health, c("1", "2", "3", "4", "5"), missing = "9", name = "health")
hall <- rep(TRUE, nrow(hd))
hb <- list(name = "agegroup", values = hage, groups = age_codes)
hrows <- list()
for (code in c("1", "2", "3", "4", "5"))
  hrows <- c(hrows, against_block(hdes, "health", hall, ifelse(is.na(hhealth), NA, as.numeric(hhealth == code)),
                                  "health", code, hb))
for (it in c("use_gp", "use_hospital", "use_pharmacy"))
  hrows <- c(hrows, against_block(hdes, "use", hall, as_item(hraw[[it]], "1"), "use", it, hb))
hag <- write_rows(hrows, AGAINST_COLS, file.path(here, "against_health.csv"), 1:6)
# estimates agree with ../health/expected.csv
hexp <- read.csv(file.path(here, "..", "health", "expected.csv"), colClasses = "character")
for (i in seq_len(nrow(hag))) {
  e <- hexp[hexp$category == hag$category[i], ]
  ea <- e$estimate[e$by == "(all)"][1]; eb <- e$estimate[e$by == "agegroup" & e$group == hag$group_b[i]][1]
  check(same(num(c(ea, eb)), num(c(hag$estimate_a[i], hag$estimate_b[i])), 1e-15), "against_health vs health/expected.csv")
}
logmsg("against-total (health): ", .ag$n, " contrasts; svycontrast se vs hand linearisation max relative difference ",
       sprintf("%.3g", .ag$maxrel), " (", .ag$worst, ")")

# ---------------------------------------------------------------------------------------------------------------
# Column letters: crude pairs (compare_common.R's compare_block: svyglm on subset(des, !is.na(y) & !is.na(g)))
# with Holm over the pairs of one category x breakdown.
PAIR_COLS <- c("table", AGAINST_COLS[-1], "p_holm_row")
prows <- list()
for (r in rows_of("kanaal", V)) for (b in c("wijk", "leeftijdsgroep")) {
  bb <- by_of(b, V)
  blk <- compare_block(des, r$y, "kanaal", r$category, bb$name, bb$values, bb$groups)
  m <- do.call(rbind, blk)
  p <- num(m[, 13])
  ph <- p.adjust(p, "holm")
  check(length(p) == choose(length(bb$groups), 2), "all pairs")
  for (i in seq_len(nrow(m))) prows[[length(prows) + 1]] <- c("kanaal", m[i, -4], fmt17(ph[i]))
}
write_rows(prows, PAIR_COLS, file.path(here, "pairs.csv"), 1:6)

write_log(file.path(here, "log.txt"), sprintf("domains: %d respondents (health: %d)", nrow(d), nrow(hd)))
message("checks passed: ", .checks$n)
