# Running enquete on a design, comparing its figures with R's, and classifying each difference
# (sourced by differential.R). The tolerances are the project's (README.md here): estimates and
# differences 1e-9, standard errors 1e-7 relative, interval limits 1e-6 of the half-width, t 1e-6
# relative, p-values 1e-3 relative (R's pt and enquete's t distribution differ far in the tails),
# degrees of freedom and counts exactly.

run_enquete <- function(args) {
  err <- tempfile()
  out <- suppressWarnings(system2(ENQUETE, c(shQuote(args), "--no-progress"), stdout = TRUE, stderr = err))
  status <- attr(out, "status")
  status <- if (is.null(status)) 0L else status
  text <- if (status == 0) out else readLines(err, warn = FALSE)
  unlink(err)
  list(status = status, text = text)
}

read_out <- function(lines) {
  if (!length(lines)) return(NULL)
  read.csv(text = paste(lines, collapse = "\n"), colClasses = "character", check.names = FALSE)
}

# enquete's figures: estimates from `report` (one run per interval method and level), comparisons
# from `compare` (per table, breakdown and kind), Rao-Scott tests from `test`.
enquete_figures <- function(dz, dir) {
  data <- file.path(dir, "data.csv"); cb <- file.path(dir, "codebook.toml")
  res <- list(estimates = list(), compare = list(), tests = list(), refused = character(0))
  for (ml in METHODS) {
    out <- file.path(dir, sprintf("report-%s-%s", ml[[1]], ml[[2]]))
    r <- run_enquete(c("report", data, "-c", cb, "--out", out, "--no-charts", "--ci", ml[[1]], "--level", ml[[2]]))
    if (r$status != 0) {
      res$refused <- c(res$refused, paste0("report --ci ", ml[[1]], " --level ", ml[[2]], ": exit ", r$status, ": ",
                                           paste(head(r$text, 3), collapse = " | ")))
      next
    }
    res$estimates[[paste(ml[[1]], ml[[2]])]] <- read.csv(file.path(out, "estimates.csv"), colClasses = "character",
                                                         check.names = FALSE)
    unlink(out, recursive = TRUE)
  }
  runs <- list()
  for (tn in c("t_cat", "t_multi", "t_score", "t_filt")) {
    for (b in if (tn == "t_filt") "wijk" else c("taal", "wijk")) {
      runs[[length(runs) + 1]] <- c("-t", tn, "--between", b)
      runs[[length(runs) + 1]] <- c("-t", tn, "--between", b, "--standardize", "agegrp")
    }
    runs[[length(runs) + 1]] <- c("-t", tn, "--between", "wijk", "--against", "total")
    runs[[length(runs) + 1]] <- c("-t", tn, "--between", "wijk", "--against", "rest")
  }
  for (a in runs) {
    r <- run_enquete(c("compare", data, "-c", cb, a, "-f", "csv"))
    if (r$status != 0) {
      res$refused <- c(res$refused, paste0("compare ", paste(a, collapse = " "), ": exit ", r$status, ": ",
                                           paste(head(r$text, 3), collapse = " | ")))
      next
    }
    res$compare[[length(res$compare) + 1]] <- read_out(r$text)
  }
  for (tn in c("t_cat", "t_multi", "t_filt")) {
    r <- run_enquete(c("test", data, "-c", cb, "-t", tn, "-f", "csv"))
    if (r$status != 0) {
      res$refused <- c(res$refused, paste0("test -t ", tn, ": exit ", r$status))
      next
    }
    res$tests[[length(res$tests) + 1]] <- read_out(r$text)
  }
  res$compare <- do.call(rbind, res$compare)
  res$tests <- do.call(rbind, res$tests)
  res
}

# ---------------------------------------------------------------------------------------------------------
# Tallies: per kind, field and class; every figure that is not equal is listed.
TALLY <- new.env()
TALLY$counts <- list()
TALLY$diffs <- list()
TALLY$design <- list()

tally <- function(design, kind, field, class, key = "", r = NA, o = NA, detail = "") {
  k <- paste(kind, field, class, sep = "\t")
  TALLY$counts[[k]] <- (if (is.null(TALLY$counts[[k]])) 0 else TALLY$counts[[k]]) + 1
  dk <- as.character(design)
  TALLY$design[[dk]][[class]] <- (if (is.null(TALLY$design[[dk]][[class]])) 0 else TALLY$design[[dk]][[class]]) + 1
  if (class != "equal")
    TALLY$diffs[[length(TALLY$diffs) + 1]] <- c(design = design, kind = kind, field = field, class = class, key = key,
                                                r = format_num(r), enquete = format_num(o), detail = detail)
}
format_num <- function(x) if (is.character(x)) x else if (length(x) == 0 || is.na(x)) "" else sprintf("%.17g", x)
num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x) || x == "" || x == "NA") NA_real_ else as.numeric(x)

close_abs <- function(r, o, tol) abs(r - o) <= tol * max(1, abs(r))
close_rel <- function(r, o, tol) abs(r - o) <= tol * max(abs(r), abs(o)) + 1e-300

tally_line <- function(design) {
  cl <- if (is.null(design)) {
    tot <- list()
    for (k in names(TALLY$counts)) {
      cls <- strsplit(k, "\t")[[1]][3]
      tot[[cls]] <- (if (is.null(tot[[cls]])) 0 else tot[[cls]]) + TALLY$counts[[k]]
    }
    tot
  } else TALLY$design[[as.character(design)]]
  if (is.null(cl)) return("no figures")
  cls <- names(cl)
  eq <- if ("equal" %in% cls) cl[["equal"]] else 0
  ex <- sum(unlist(cl[startsWith(cls, "explained")]))
  wr <- sum(unlist(cl[startsWith(cls, "wrong")]))
  sprintf("%d figures: %d equal, %d explained, %d wrong", eq + ex + wr, eq, ex, wr)
}
any_wrong <- function() any(grepl("\twrong", names(TALLY$counts)))

# ---------------------------------------------------------------------------------------------------------
compare_design <- function(dz, r, ours) {
  id <- dz$spec$id
  for (msg in ours$refused) tally(id, "run", "exit code", "wrong:refused", detail = msg)
  compare_estimates(id, r$estimates, ours$estimates)
  compare_comparisons(id, rbind(r$compare, r$total, r$rest), ours$compare)
  compare_tests(id, r$tests, ours$tests)
}

ours_key <- function(d, cols) do.call(paste, c(unname(as.list(d[cols])), sep = "|"))

compare_estimates <- function(id, re, oe) {
  idx <- lapply(oe, function(d) setNames(seq_len(nrow(d)), ours_key(d, c("table", "category", "by", "group"))))
  for (i in seq_len(nrow(re))) {
    e <- re[i, ]
    run <- if (e$ci_method == "normal") paste("logit", e$level) else paste(e$ci_method, e$level)
    key <- paste(e$table, e$category, e$by, e$group, sep = "|")
    ctx <- paste(key, e$ci_method, e$level)
    d <- oe[[run]]
    if (is.null(d) || is.na(idx[[run]][key])) {
      tally(id, "estimate", "row", "wrong:missing", ctx)
      next
    }
    o <- d[idx[[run]][[key]], ]
    note <- o$note
    if (as.integer(e$n) == as.integer(o$n)) tally(id, "estimate", "n", "equal") else
      tally(id, "estimate", "n", "wrong", ctx, e$n, o$n)
    est_r <- num(e$estimate); est_o <- num(o$estimate)
    if (is.na(est_r) && nzchar(e$r_error)) {
      # svymean stops with an error on this domain (R: a one-row domain of a clustered calibrated
      # design, "NA/NaN/Inf in foreign function call"); nothing to compare with
      for (f in c("estimate", "se", "df", "ci_lower", "ci_upper", "deff"))
        tally(id, "estimate", f, "explained:r_error", ctx, e[[f]], o[[f]], paste(e$r_error, "|", note))
      next
    }
    if (is.na(est_r)) {
      # R's 0/0: a domain whose respondents all weigh 0; ours has no numbers and says why
      cls <- if (is.na(est_o) && grepl("weight 0", note)) "explained:zero_weight_domain" else "wrong"
      for (f in c("estimate", "se", "ci_lower", "ci_upper", "deff")) tally(id, "estimate", f, cls, ctx, e[[f]], o[[f]], note)
      next
    }
    if (!is.na(est_o) && close_abs(est_r, est_o, 1e-9)) tally(id, "estimate", "estimate", "equal") else
      tally(id, "estimate", "estimate", "wrong", ctx, est_r, est_o)
    se_r <- num(e$se); se_o <- num(o$se)
    if (!is.na(se_o) && abs(se_r - se_o) <= 1e-7 * abs(se_r) + 1e-15) tally(id, "estimate", "se", "equal")
    else if (!is.na(se_o) && se_r < 1e-12 && se_o == 0) tally(id, "estimate", "se", "explained:r_round_off", ctx, se_r, se_o)
    else tally(id, "estimate", "se", "wrong", ctx, se_r, se_o)
    df_r <- num(e$df); df_o <- num(o$df)
    if (identical(df_r, df_o)) tally(id, "estimate", "df", "equal") else tally(id, "estimate", "df", "wrong", ctx, df_r, df_o)
    de_r <- num(e$deff); de_o <- num(o$deff)
    # p = 0 or 1 up to R's rounding: R's weighted variance is then 0 (deff NaN) or rounding noise
    # (deff ~1e30); ours is exactly 0 and deff empty
    near01 <- abs(est_r) < 1e-12 || abs(1 - est_r) < 1e-12
    if (is.na(de_r) && is.na(de_o)) tally(id, "estimate", "deff", "equal")
    else if (near01 && is.na(de_o)) tally(id, "estimate", "deff", "explained:r_round_off", ctx, de_r, de_o)
    else if (!is.na(de_r) && !is.na(de_o) && is.finite(de_r) && close_rel(de_r, de_o, 1e-7)) tally(id, "estimate", "deff", "equal")
    else if (is.infinite(de_r) && is.na(de_o)) tally(id, "estimate", "deff", "explained:deff_undefined", ctx, de_r, de_o)
    else tally(id, "estimate", "deff", "wrong", ctx, e$deff, o$deff)
    lo_r <- num(e$ci_lower); hi_r <- num(e$ci_upper); lo_o <- num(o$ci_lower); hi_o <- num(o$ci_upper)
    design_method <- e$ci_method %in% c("logit", "beta", "asin", "mean", "xlogit")
    for (f in c("ci_lower", "ci_upper")) {
      rv <- if (f == "ci_lower") lo_r else hi_r
      ov <- if (f == "ci_lower") lo_o else hi_o
      if (design_method && !is.na(df_o) && df_o < 1) {
        tally(id, "estimate", f, if (is.na(ov) && grepl("degrees of freedom", note)) "explained:df_below_1" else "wrong",
              ctx, rv, ov, note)
      } else if (e$ci_method == "logit" && is.na(hi_r) && identical(lo_r, 0) &&
                 1 - 2 * pnorm(qt((1 - as.numeric(e$level)) / 2, df_r)) == 1) {
        # svyciprop's logit interval turns the t quantile into a normal level, 1 - 2 pnorm(qt(a/2, df)),
        # which rounds to 1 at df = 1: R's interval is then [expit(-Inf), expit(Inf)] = [0, NaN]
        tally(id, "estimate", f, if (!is.na(ov)) "explained:r_logit_level_rounds_to_1" else "wrong", ctx, rv, ov)
      } else if (startsWith(e$r_note, "svyglm diverged")) {
        # svyciprop's logit interval comes from svyglm's IRLS; on a small domain of a calibrated
        # design (every other row kept with weight 0) it can diverge (coefficient ~1e15)
        tally(id, "estimate", f, if (!is.na(ov)) "explained:r_logit_glm_diverged" else "wrong", ctx, rv, ov, e$r_note)
      } else if (design_method && near01) {
        ok <- nzchar(note) && !is.na(ov) && ov >= 0 && ov <= 1
        tally(id, "estimate", f, if (ok) "explained:p01_interval" else "wrong", ctx, rv, ov, note)
      } else if (is.na(rv) && is.na(ov)) {
        tally(id, "estimate", f, "equal")
      } else if (is.na(rv) || is.na(ov)) {
        tally(id, "estimate", f, "wrong", ctx, rv, ov, note)
      } else {
        half <- if (is.na(hi_r) || is.na(lo_r)) 1e-3 else (hi_r - lo_r) / 2
        # plus the estimate's own rounding: a constant mean has half-width 0 in R and ~1e-16
        if (abs(rv - ov) <= 1e-6 * abs(half) + 1e-12 * max(1, abs(est_r))) tally(id, "estimate", f, "equal")
        else tally(id, "estimate", f, "wrong", ctx, rv, ov)
      }
    }
  }
  # rows of ours that R has no domain for must have no respondents
  rkeys <- unique(paste(re$table, re$category, re$by, re$group, sep = "|"))
  for (d in oe[1]) {
    extra <- d[!(ours_key(d, c("table", "category", "by", "group")) %in% rkeys), ]
    for (j in seq_len(nrow(extra)))
      tally(id, "estimate", "extra row", if (extra$n[j] == "0") "equal" else "wrong",
            ours_key(extra[j, ], c("table", "category", "by", "group")), NA, extra$n[j])
  }
}

CMP_KEY <- c("table", "category", "between", "standardized", "group_a", "group_b")

compare_comparisons <- function(id, rc, oc) {
  if (is.null(rc)) return()
  ok <- setNames(seq_len(nrow(oc)), ours_key(oc, CMP_KEY))
  # Holm, as enquete's code does it: one family per table x breakdown x kind (crude, standardised,
  # against total, against rest), over the comparisons it tests, with R's p-values. A comparison
  # enquete tests and R cannot make (svystandardize fails, no coefficient: classed explained
  # below) still belongs to the family: its p-value there is enquete's.
  rc$p_holm <- NA_real_
  fam <- paste(rc$table, rc$between, rc$standardized, rc$group_a %in% c("(all)", "(rest)"), rc$group_a == "(rest)")
  p_family <- vapply(seq_len(nrow(rc)), function(i) {
    j <- ok[ours_key(rc[i, ], CMP_KEY)]
    if (is.na(j) || oc$p_value[j] == "") return(NA_real_)
    if (!is.na(num(rc$p_value[i]))) num(rc$p_value[i]) else num(oc$p_value[j])
  }, 0)
  for (f in unique(fam)) {
    sel <- which(fam == f & !is.na(p_family))
    if (length(sel)) rc$p_holm[sel] <- p.adjust(p_family[sel], "holm")
  }
  for (i in seq_len(nrow(rc))) {
    e <- rc[i, ]
    key <- ours_key(e, CMP_KEY)
    j <- ok[key]
    if (is.na(j)) { tally(id, "compare", "row", "wrong:missing", key); next }
    o <- oc[j, ]
    note <- o$note
    kind <- if (e$group_a == "(all)") "against total" else if (e$group_a == "(rest)") "against rest"
            else if (e$standardized != "") "standardised pairs" else "pairs"
    for (f in c("estimate_a", "estimate_b")) {
      rv <- num(e[[f]]); ov <- num(o[[f]])
      if (is.na(rv) && is.na(ov)) tally(id, kind, f, "equal")
      else if (!is.na(rv) && !is.na(ov) && close_abs(rv, ov, 1e-9)) tally(id, kind, f, "equal")
      else if (is.na(ov) && grepl("standardising|no respondents", note)) tally(id, kind, f, "explained:empty_standard_cell", key, rv, ov, note)
      else if (is.na(rv) && grepl("weights must not contain NA", e$r_error)) tally(id, kind, f, "explained:r_standardise_fails", key, rv, ov, e$r_error)
      else tally(id, kind, f, "wrong", key, rv, ov, note)
    }
    dif_r <- num(e$difference); dif_o <- num(o$difference)
    if (is.na(dif_r) && grepl("weights must not contain NA", e$r_error)) {
      # svystandardize() fails for every pair when any group lacks a standardising cell with an
      # answer (its weights become 0/0); enquete standardises the groups that have every cell and
      # says so for the others
      for (f in c("difference", "se", "df", "t", "p_value", "p_holm"))
        tally(id, kind, f, "explained:r_standardise_fails", key, e[[f]], o[[f]], paste(e$r_error, "|", note))
      next
    }
    if (is.na(dif_r)) {
      # R gives no difference (an error, or a group it cannot estimate); ours must say why
      cls <- if (nzchar(note)) "explained:r_no_result" else "wrong"
      for (f in c("difference", "se", "t", "p_value")) tally(id, kind, f, cls, key, e[[f]], o[[f]], paste(e$r_error, "|", note))
      dfr <- num(e$df); dfo <- num(o$df)
      if (!is.na(dfr)) tally(id, kind, "df", if (identical(dfr, dfo)) "equal" else "wrong", key, dfr, dfo)
      next
    }
    if (is.na(dif_o) && grepl("standardising", note)) {
      for (f in c("difference", "se", "t", "p_value")) tally(id, kind, f, "explained:empty_standard_cell", key, e[[f]], o[[f]], note)
      next
    }
    if (!is.na(dif_o) && close_abs(dif_r, dif_o, 1e-9)) tally(id, kind, "difference", "equal")
    else tally(id, kind, "difference", "wrong", key, dif_r, dif_o, note)
    se_r <- num(e$se); se_o <- num(o$se)
    # both groups constant: R's SE is rounding noise of its glm (up to ~1e-9), ours 0 and no test
    round_off <- isTRUE(se_r < 1e-8) && !is.na(se_o) && se_o == 0
    if (is.na(se_r)) {
      # R's vcov gave a negative variance for the contrast (rounding when both groups are constant)
      cls <- if (!is.na(se_o) && se_o == 0) "explained:r_round_off" else "wrong"
      for (f in c("se", "t", "p_value", "p_holm")) tally(id, kind, f, cls, key, e[[f]], o[[f]], note)
      next
    }
    if (!is.na(se_o) && abs(se_r - se_o) <= 1e-7 * abs(se_r) + 1e-15) tally(id, kind, "se", "equal")
    else if (round_off) tally(id, kind, "se", "explained:r_round_off", key, se_r, se_o)
    else tally(id, kind, "se", "wrong", key, se_r, se_o, note)
    dfr <- num(e$df); dfo <- num(o$df)
    if (identical(dfr, dfo)) tally(id, kind, "df", "equal") else tally(id, kind, "df", "wrong", key, dfr, dfo)
    if (round_off) {
      for (f in c("t", "p_value", "p_holm")) tally(id, kind, f, "explained:r_round_off", key, e[[f]], o[[f]], note)
      next
    }
    if (o$p_value == "") {
      cls <- if (startsWith(note, "no test:")) "explained:no_test" else "wrong"
      for (f in c("t", "p_value", "p_holm")) tally(id, kind, f, cls, key, e[[f]], o[[f]], note)
      next
    }
    t_r <- num(e$t); t_o <- num(o$t)
    if (close_rel(t_r, t_o, 1e-6)) tally(id, kind, "t", "equal") else tally(id, kind, "t", "wrong", key, t_r, t_o)
    for (f in c("p_value", "p_holm")) {
      rv <- num(e[[f]]); ov <- num(o[[f]])
      if (!is.na(rv) && !is.na(ov) && (close_rel(rv, ov, 1e-3) || (rv < 1e-300 && ov < 1e-300))) tally(id, kind, f, "equal")
      else tally(id, kind, f, "wrong", key, rv, ov)
    }
  }
}

compare_tests <- function(id, rt, ot) {
  if (is.null(rt)) return()
  ok <- setNames(seq_len(nrow(ot)), ours_key(ot, c("table", "category", "by")))
  for (i in seq_len(nrow(rt))) {
    e <- rt[i, ]
    key <- paste(e$table, e$category, e$by, sep = "|")
    j <- ok[key]
    if (is.na(j)) { tally(id, "test", "row", "wrong:missing", key); next }
    o <- ot[j, ]
    if (identical(num(e$n), num(o$n))) tally(id, "test", "n", "equal") else tally(id, "test", "n", "wrong", key, e$n, o$n)
    fields <- c("f", "ndf", "ddf", "chisq_first_order", "df_first_order", "pearson_x2", "p_f", "p_chisq")
    if (is.na(num(e$f))) {
      cls <- if (nzchar(o$note)) "explained:r_no_result" else "wrong"
      for (f in fields) tally(id, "test", f, cls, key, e[[f]], o[[f]], paste(e$r_error, "|", o$note))
      next
    }
    for (f in fields) {
      rv <- num(e[[f]]); ov <- num(o[[f]])
      tol <- if (f %in% c("p_f", "p_chisq")) 1e-3 else 1e-6
      if (!is.na(ov) && (close_rel(rv, ov, tol) || (f %in% c("p_f", "p_chisq") && rv < 1e-300 && ov < 1e-300)))
        tally(id, "test", f, "equal")
      else tally(id, "test", f, "wrong", key, rv, ov, o$note)
    }
  }
}

record_refusal <- function(dz, dir, why) {
  r <- run_enquete(c("report", file.path(dir, "data.csv"), "-c", file.path(dir, "codebook.toml"),
                     "--out", file.path(dir, "report-refused"), "--no-charts"))
  unlink(file.path(dir, "report-refused"), recursive = TRUE)
  tally(dz$spec$id, "run", "design",
        if (r$status == 0) "explained:r_refuses_design" else "explained:both_refuse",
        detail = paste("R:", why, "| enquete exit", r$status, paste(head(r$text, 2), collapse = " ")))
}

write_results <- function(out, design_rows) {
  counts <- do.call(rbind, lapply(names(TALLY$counts), function(k) c(strsplit(k, "\t")[[1]], TALLY$counts[[k]])))
  counts <- as.data.frame(counts, stringsAsFactors = FALSE)
  names(counts) <- c("kind", "field", "class", "figures")
  counts <- counts[order(counts$kind, counts$field, counts$class), ]
  write.csv(counts, file.path(out, "summary.csv"), row.names = FALSE)
  diffs <- if (length(TALLY$diffs)) as.data.frame(do.call(rbind, TALLY$diffs), stringsAsFactors = FALSE) else
    data.frame(design = character(0), kind = character(0), field = character(0), class = character(0),
               key = character(0), r = character(0), enquete = character(0), detail = character(0))
  write.csv(diffs, file.path(out, "differences.csv"), row.names = FALSE)
  write.csv(as.data.frame(do.call(rbind, design_rows), stringsAsFactors = FALSE), file.path(out, "designs.csv"),
            row.names = FALSE)
}

# The committed regression set: the design's files and R's figures in the formats the Rust tests read.
write_fixed <- function(dz, r, dir) {
  write_design(dz, dir)
  q <- function(d, text) { d[is.na(d)] <- ""; d }
  est <- r$estimates
  est$level <- ifelse(est$level == "0.9", "0.9", "0.95")
  for (f in c("estimate", "se", "ci_lower", "ci_upper", "deff")) est[[f]] <- fmt17(est[[f]])
  write.csv(q(est), file.path(dir, "expected.csv"), row.names = FALSE, quote = c(1, 2, 3, 4, 5, 11))
  cmp <- rbind(r$compare, r$total, r$rest)
  for (f in c("estimate_a", "estimate_b", "difference", "se", "df", "t", "p_value")) cmp[[f]] <- fmt17(cmp[[f]])
  write.csv(q(cmp), file.path(dir, "compare.csv"), row.names = FALSE, quote = c(1:7, 15))
  tst <- r$tests
  for (f in c("f", "ndf", "ddf", "p_f", "chisq_first_order", "df_first_order", "p_chisq", "pearson_x2")) tst[[f]] <- fmt17(tst[[f]])
  write.csv(q(tst), file.path(dir, "test.csv"), row.names = FALSE, quote = c(1:4, 14))
  write.csv(data.frame(row = seq_along(r$weights), weight = fmt17(r$weights)), file.path(dir, "weights.csv"),
            row.names = FALSE, quote = FALSE)
}

fmt17 <- function(x) {
  x <- suppressWarnings(as.numeric(x))
  ifelse(is.na(x), "", ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), sprintf("%.17g", x)))
}
