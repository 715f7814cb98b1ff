# R survey's figures for one random design (sourced by differential.R). The formulations are those of
# the committed references (../README.md, ../weighting/README.md, ../compare/README.md,
# ../domains/README.md, ../extra/README.md), in one place:
#   estimates     svymean(~y, des[mask, ], deff = "replace", na.rm = TRUE) and svyciprop(method, level);
#                 n = rows of the domain (zero-weight rows included), df = degf(des[mask, ])
#   pairs         svyglm(y ~ g, subset(des, F & !is.na(y) & !is.na(g))); b - a and its SE from the
#                 coefficients and vcov; t on m$df.residual; group means svyby(svymean)
#   standardised  svystandardize(subset(des, F & !is.na(a) & !is.na(g)), by = ~a, over = ~g,
#                 population = svytotal(~a, that subset), excluding.missing = ~y), then as pairs
#   against total svymean(~I(y*ind) + ind + y, subset(des, F & !is.na(y))) and
#                 svycontrast(a/b - c); t on degf of that subset
#   against rest  svyglm(y ~ ind, subset(des, F & !is.na(y))), ind = 1{group} (0 for a missing group);
#                 t on m$df.residual
#   Rao-Scott     svychisq(~x + b, subset(des, F & !is.na(x) & !is.na(b)), "F" and "Chisq")
#   Holm          p.adjust(..., "holm") over one table x breakdown x kind (crude or standardised), over
#                 the comparisons enquete tests
# where F is the table's filter (TRUE for tables without one).

r_design <- function(dz) {
  s <- dz$spec
  d <- dz$data
  num <- function(x, missing = character(0)) { x[x == "" | x %in% missing] <- NA; as.numeric(x) }
  v <- data.frame(s = d$s, psu = d$psu, w = as.numeric(d$w), fpc_n = suppressWarnings(as.numeric(d$fpc_n)),
                  stringsAsFactors = FALSE)
  v$taal <- ifelse(d$taal == "", NA, d$taal)
  v$wijk <- ifelse(d$wijk == "", NA, d$wijk)
  v$leeftijd <- num(d$leeftijd, "999")
  v$agegrp <- NA_character_
  for (k in seq_along(s$bins)) {
    b <- s$bins[[k]]
    ok <- !is.na(v$leeftijd) & v$leeftijd >= b[1] & (is.na(b[2]) | v$leeftijd <= b[2])
    v$agegrp[ok] <- s$agegrp_codes[k]
  }
  v$sexe <- factor(d$sexe, levels = c("1", "2"))
  v$opl <- factor(d$opl, levels = c("1", "2", "3"))
  v$wijk_f <- factor(v$wijk, levels = s$wijk_codes)
  v$q_cat <- ifelse(d$q_cat %in% c("", "9"), NA, d$q_cat)
  for (j in seq_len(s$J)) {
    x <- d[[paste0("m_", j)]]
    v[[paste0("m_", j)]] <- ifelse(x == "", NA, as.numeric(x == "1"))
  }
  v$score <- num(d$score, "99")
  ids <- if (s$clustered) ~psu else ~1
  strata <- if (s$stratified) ~s else NULL
  fpc <- if (s$fpc) ~fpc_n else NULL
  base <- svydesign(ids = ids, strata = strata, weights = ~w, fpc = fpc, nest = TRUE, data = v)
  cal <- s$calibration
  p <- dz$population
  des <- switch(cal,
    none = base,
    poststratify = postStratify(base, ~sexe + opl,
                                data.frame(sexe = p$cells$sexe, opl = p$cells$opl, Freq = p$cells$count)),
    {
      m <- p$margins
      tot <- c(`(Intercept)` = sum(m$count[m$variable == "sexe"]))
      for (vn in c("sexe", "opl", "wijk")) {
        mv <- m[m$variable == vn, ]
        lev <- if (vn == "wijk") s$wijk_codes else levels(v[[vn]])
        tot <- c(tot, setNames(mv$count[match(lev[-1], mv$code)], paste0(if (vn == "wijk") "wijk_f" else vn, lev[-1])))
      }
      calfun <- c(rake = "raking", linear = "linear", logit = "logit")[[cal]]
      bounds <- if (cal == "logit") dz$bounds else c(-Inf, Inf)
      calibrate(base, ~sexe + opl + wijk_f, tot, calfun = calfun, bounds = bounds, epsilon = 1e-12, maxit = 100)
    })
  des
}

# The tables: their rows variable's indicators (or the number), breakdowns and filter.
r_tables <- function(des, s) {
  v <- des$variables
  F_all <- rep(TRUE, nrow(v))
  F_filt <- (!is.na(v$leeftijd) & v$leeftijd >= 25) & !(!is.na(v$taal) & v$taal == "EN")
  cats <- function(x, codes) lapply(codes, function(k) list(category = k, y = ifelse(is.na(x), NA, as.numeric(x == k))))
  by_taal <- list(name = "taal", values = v$taal, groups = c("NL", "EN"))
  by_wijk <- list(name = "wijk", values = v$wijk, groups = s$wijk_codes)
  cross <- ifelse(is.na(v$taal) | is.na(v$agegrp), NA, paste(v$taal, v$agegrp, sep = " \u00d7 "))
  by_cross <- list(name = "taal \u00d7 agegrp", values = cross,
                   groups = as.vector(t(outer(c("NL", "EN"), s$agegrp_codes, paste, sep = " \u00d7 "))))
  q_codes <- as.character(seq_len(s$C))
  items <- paste0("m_", seq_len(s$J))
  list(
    t_cat = list(variable = "q_cat", ys = cats(v$q_cat, q_codes), by = list(by_taal, by_wijk, by_cross),
                 F = F_all, x = v$q_cat, xlev = q_codes),
    t_multi = list(variable = "multi", ys = lapply(items, function(it) list(category = it, y = v[[it]])),
                   by = list(by_wijk, by_taal), F = F_all, items = items),
    t_score = list(variable = "score", ys = list(list(category = "", y = v$score)), by = list(by_taal, by_wijk),
                   F = F_all, mean = TRUE),
    t_filt = list(variable = "q_cat", ys = cats(v$q_cat, q_codes), by = list(by_wijk), F = F_filt,
                  x = v$q_cat, xlev = q_codes))
}

# R errors become NULL with the message kept; warnings are muffled (glm's zero-weight notes, svychisq's
# small cells).
try_r <- function(expr, why) {
  withCallingHandlers(tryCatch(expr, error = function(e) {
    if (is.null(why$last) || !nzchar(why$last)) why$last <- conditionMessage(e)   # the first error says why
    NULL
  }),
                      warning = function(w) invokeRestart("muffleWarning"))
}

METHODS <- list(list("logit", 0.95), list("beta", 0.95), list("asin", 0.95), list("mean", 0.95),
                list("xlogit", 0.95), list("logit", 0.9), list("beta", 0.9))

r_estimates <- function(des, tabs) {
  rows <- list()
  why <- new.env()
  for (tn in names(tabs)) {
    tb <- tabs[[tn]]
    for (yc in tb$ys) {
      y <- yc$y
      valid <- !is.na(y) & tb$F
      doms <- list(list(by = "(all)", group = "(all)", mask = valid))
      for (b in tb$by) for (g in b$groups) {
        mk <- valid & !is.na(b$values) & b$values == g
        if (any(mk)) doms[[length(doms) + 1]] <- list(by = b$name, group = g, mask = mk)
      }
      des$variables$.y <- y
      for (dm in doms) {
        why$last <- ""
        sub <- des[dm$mask, ]
        sm <- try_r(svymean(~.y, sub, deff = "replace", na.rm = TRUE), why)
        est <- if (is.null(sm)) NA else coef(sm)[[1]]
        se <- if (is.null(sm)) NA else SE(sm)[[1]]
        de <- if (is.null(sm)) NA else deff(sm)[[1]]
        dfree <- degf(sub)
        n <- sum(dm$mask)
        key <- c(table = tn, variable = tb$variable, category = yc$category, by = dm$by, group = dm$group, n = n,
                 r_error = if (is.null(sm)) why$last else "")
        if (isTRUE(tb$mean)) {
          for (lv in c(0.95, 0.9)) {
            ci <- if (is.null(sm)) c(NA, NA) else as.vector(confint(sm, level = lv))
            rows[[length(rows) + 1]] <- c(key, estimate = fmt17(est), se = fmt17(se), ci_lower = fmt17(ci[1]),
                                          ci_upper = fmt17(ci[2]), ci_method = "normal", level = lv,
                                          df = fmt17(dfree), deff = fmt17(de), r_note = "")
          }
        } else {
          for (ml in METHODS) {
            r <- try_r(svyciprop(~.y, sub, method = ml[[1]], level = ml[[2]], na.rm = TRUE), why)
            ci <- if (is.null(r)) c(NA, NA) else as.vector(confint(r))
            # svyciprop(logit) reports expit of svyglm's coefficient: when that is not the mean,
            # the glm's IRLS diverged and the interval is meaningless
            diverged <- ml[[1]] == "logit" && !is.null(r) && !is.na(est) && !isTRUE(abs(coef(r)[[1]] - est) <= 1e-6)
            rows[[length(rows) + 1]] <- c(key, estimate = fmt17(est), se = fmt17(se), ci_lower = fmt17(ci[1]),
                                          ci_upper = fmt17(ci[2]), ci_method = ml[[1]], level = ml[[2]],
                                          df = fmt17(dfree), deff = fmt17(de),
                                          r_note = if (diverged) sprintf("svyglm diverged: expit(coef) = %.3g", coef(r)[[1]]) else "")
          }
        }
      }
    }
  }
  as_frame(rows)
}

as_frame <- function(rows) {
  if (!length(rows)) return(NULL)
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  out
}

cmp_row <- function(tn, variable, category, between, standardized, ga, gb, est_a, est_b, dif, se, dfr, why = "") {
  tt <- dif / se
  c(table = tn, variable = variable, category = category, between = between, standardized = standardized,
    group_a = ga, group_b = gb, estimate_a = fmt17(est_a), estimate_b = fmt17(est_b), difference = fmt17(dif),
    se = fmt17(se), df = fmt17(dfr), t = fmt17(tt), p_value = fmt17(2 * pt(-abs(tt), dfr)), r_error = why)
}

# Every pair of a fitted svyglm y ~ g (g with levels glev), with the groups' means.
glm_pairs <- function(m, est, glev, tn, variable, category, between, standardized, why) {
  out <- list()
  k <- length(glev)
  if (is.null(m)) {
    for (i in 1:(k - 1)) for (j in (i + 1):k)
      out[[length(out) + 1]] <- cmp_row(tn, variable, category, between, standardized, glev[i], glev[j],
                                        est[[glev[i]]], est[[glev[j]]], NA, NA, NA, why)
    return(out)
  }
  cf <- coef(m); okc <- names(cf)[!is.na(cf)]; V <- vcov(m)
  # coefficients by name: svyglm leaves out a level without rows of positive weight (its column
  # is dropped, not NA), so positions do not follow the levels
  # (the reference level is then the first level with rows, not the first level). When the first
  # level has rows only of weight 0 (a calibrated design's subset keeps them), its column stays and
  # the last level's is aliased instead: the reference is the level with rows and no coefficient.
  coef_of <- function(level) paste0(".g", level)
  has_rows <- !vapply(glev, function(g) is.na(est[[g]]), TRUE)
  no_coef <- !vapply(glev, function(g) coef_of(g) %in% okc, TRUE)
  ref <- glev[has_rows & no_coef][1]
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    cv <- setNames(rep(0, length(cf)), names(cf))
    wanted <- c(if (!identical(glev[i], ref)) coef_of(glev[i]), if (!identical(glev[j], ref)) coef_of(glev[j]))
    if (is.na(est[[glev[i]]]) || is.na(est[[glev[j]]]) || !all(wanted %in% okc)) {
      out[[length(out) + 1]] <- cmp_row(tn, variable, category, between, standardized, glev[i], glev[j],
                                        est[[glev[i]]], est[[glev[j]]], NA, NA, m$df.residual, "no coefficient (empty group)")
      next
    }
    if (!identical(glev[i], ref)) cv[coef_of(glev[i])] <- -1
    if (!identical(glev[j], ref)) cv[coef_of(glev[j])] <- 1
    c2 <- cv[okc]
    dif <- sum(c2 * cf[okc])
    se <- sqrt(drop(t(c2) %*% V[okc, okc, drop = FALSE] %*% c2))
    out[[length(out) + 1]] <- cmp_row(tn, variable, category, between, standardized, glev[i], glev[j],
                                      est[[glev[i]]], est[[glev[j]]], dif, se, m$df.residual)
  }
  out
}

r_pairs <- function(des, tb, tn, b, std = NULL) {
  out <- list()
  why <- new.env()
  for (yc in tb$ys) {
    des$variables$.y <- yc$y
    des$variables$.g <- factor(b$values, levels = b$groups)
    des$variables$.F <- tb$F
    why$last <- ""
    if (is.null(std)) {
      dd <- subset(des, .F & !is.na(.y) & !is.na(.g))
      m <- try_r(svyglm(.y ~ .g, design = dd), why)
      sb <- try_r(svyby(~.y, ~.g, dd, svymean, na.rm = TRUE), why)
    } else {
      des$variables$.a <- factor(std$values, levels = std$groups)
      d0 <- subset(des, .F & !is.na(.a) & !is.na(.g))
      pop <- try_r(svytotal(~.a, d0), why)
      sd <- if (is.null(pop)) NULL else try_r(svystandardize(d0, by = ~.a, over = ~.g, population = pop,
                                                             excluding.missing = ~.y), why)
      m <- if (is.null(sd)) NULL else try_r(svyglm(.y ~ .g, design = sd), why)
      sb <- if (is.null(sd)) NULL else try_r(svyby(~.y, ~.g, sd, svymean, na.rm = TRUE), why)
    }
    est <- setNames(as.list(rep(NA_real_, length(b$groups))), b$groups)
    if (!is.null(sb)) for (g in as.character(sb$.g)) est[[g]] <- coef(sb)[[g]]
    out <- c(out, glm_pairs(m, est, b$groups, tn, tb$variable, yc$category, b$name,
                            if (is.null(std)) "" else std$name, why$last))
  }
  out
}

r_against <- function(des, tb, tn, b, kind) {
  out <- list()
  why <- new.env()
  for (yc in tb$ys) {
    y <- yc$y
    for (g in b$groups) {
      ind <- as.numeric(!is.na(b$values) & b$values == g)
      if (!any(!is.na(y) & tb$F & ind == 1)) next
      des$variables$.y <- y
      des$variables$.ind <- ind
      des$variables$.F <- tb$F
      dd <- subset(des, .F & !is.na(.y))
      why$last <- ""
      if (kind == "total") {
        m <- try_r(svymean(~I(.y * .ind) + .ind + .y, dd, na.rm = TRUE), why)
        sc <- if (is.null(m)) NULL else try_r(svycontrast(m, quote(`I(.y * .ind)` / .ind - .y)), why)
        if (is.null(sc)) {
          out[[length(out) + 1]] <- cmp_row(tn, tb$variable, yc$category, b$name, "", "(all)", g, NA, NA, NA, NA,
                                            degf(dd), why$last)
          next
        }
        cf <- coef(m)
        out[[length(out) + 1]] <- cmp_row(tn, tb$variable, yc$category, b$name, "", "(all)", g, cf[[".y"]],
                                          cf[["I(.y * .ind)"]] / cf[[".ind"]], coef(sc)[[1]], SE(sc)[[1]], degf(dd))
      } else {
        m <- try_r(svyglm(.y ~ .ind, design = dd), why)
        if (is.null(m) || is.na(coef(m)[[".ind"]])) {
          out[[length(out) + 1]] <- cmp_row(tn, tb$variable, yc$category, b$name, "", "(rest)", g, NA, NA, NA, NA,
                                            NA, if (is.null(m)) why$last else "no coefficient")
          next
        }
        cf <- coef(m)
        out[[length(out) + 1]] <- cmp_row(tn, tb$variable, yc$category, b$name, "", "(rest)", g, cf[["(Intercept)"]],
                                          cf[["(Intercept)"]] + cf[[".ind"]], cf[[".ind"]], SE(m)[[".ind"]],
                                          m$df.residual)
      }
    }
  }
  out
}

r_tests <- function(des, tb, tn) {
  out <- list()
  why <- new.env()
  xs <- if (!is.null(tb$items)) lapply(tb$items, function(it) list(category = it, x = ifelse(is.na(des$variables[[it]]), NA,
                                                                                               as.character(des$variables[[it]])), xlev = c("0", "1")))
        else list(list(category = "", x = tb$x, xlev = tb$xlev))
  # enquete tests each single breakdown (crossed ones are compared with the total only)
  for (xc in xs) for (b in Filter(function(b) !grepl("\u00d7", b$name), tb$by)) {
    des$variables$.x <- xc$x
    des$variables$.b <- b$values
    des$variables$.F <- tb$F
    keep <- tb$F & !is.na(xc$x) & !is.na(b$values)
    dd <- subset(des, .F & !is.na(.x) & !is.na(.b))
    dd$variables$.x <- factor(dd$variables$.x, levels = intersect(xc$xlev, unique(xc$x[keep])))
    dd$variables$.b <- factor(dd$variables$.b, levels = intersect(b$groups, unique(b$values[keep])))
    why$last <- ""
    rF <- try_r(svychisq(~.x + .b, dd, statistic = "F"), why)
    rC <- try_r(svychisq(~.x + .b, dd, statistic = "Chisq"), why)
    n <- sum(keep)
    if (is.null(rF) || is.null(rC)) {
      out[[length(out) + 1]] <- c(table = tn, variable = tb$variable, category = xc$category, by = b$name, n = n,
                                  f = NA, ndf = NA, ddf = NA, p_f = NA, chisq_first_order = NA, df_first_order = NA,
                                  p_chisq = NA, pearson_x2 = NA, r_error = why$last)
      next
    }
    df1 <- rC$parameter[["df"]]
    out[[length(out) + 1]] <- c(table = tn, variable = tb$variable, category = xc$category, by = b$name, n = n,
                                f = fmt17(rF$statistic[[1]]), ndf = fmt17(rF$parameter[["ndf"]]),
                                ddf = fmt17(rF$parameter[["ddf"]]), p_f = fmt17(rF$p.value[[1]]),
                                chisq_first_order = fmt17(df1 * rF$statistic[[1]]), df_first_order = fmt17(df1),
                                p_chisq = fmt17(rC$p.value[[1]]), pearson_x2 = fmt17(rC$statistic[[1]]),
                                r_error = "")
  }
  out
}

# Everything R says about one design; `refused` when R cannot make the design itself.
r_figures <- function(dz) {
  why <- new.env(); why$last <- ""
  des <- try_r(r_design(dz), why)
  if (is.null(des)) return(list(refused = why$last))
  s <- dz$spec
  tabs <- r_tables(des, s)
  v <- des$variables
  std_age <- list(name = "agegrp", values = v$agegrp, groups = s$agegrp_codes)
  cmp <- list(); ag <- list(); rs <- list(); tst <- list()
  for (tn in names(tabs)) {
    tb <- tabs[[tn]]
    bys <- setNames(tb$by, vapply(tb$by, `[[`, "", "name"))
    single <- bys[names(bys) %in% c("taal", "wijk")]
    for (b in single) {
      cmp <- c(cmp, r_pairs(des, tb, tn, b))
      cmp <- c(cmp, r_pairs(des, tb, tn, b, std_age))
    }
    if (!is.null(bys$wijk)) {
      ag <- c(ag, r_against(des, tb, tn, bys$wijk, "total"))
      rs <- c(rs, r_against(des, tb, tn, bys$wijk, "rest"))
    }
    if (is.null(tb$mean)) tst <- c(tst, r_tests(des, tb, tn))
  }
  list(design = des, estimates = r_estimates(des, tabs), compare = as_frame(cmp), total = as_frame(ag),
       rest = as_frame(rs), tests = as_frame(tst), weights = weights(des))
}
