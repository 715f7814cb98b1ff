# Random designs for the differential check (sourced by differential.R).
#
# Every design has the same questionnaire, with random sizes and distributions:
#   taal (NL/EN), wijk (3-6 districts, one of them small), leeftijd (18-90, 999 = unknown) with
#   agegrp (3 or 4 bins), sexe (1/2) and opl (1-3) for the weighting; q_cat (3-5 codes, 9 = missing
#   code), a select-all question (2-4 items 1/0, some rare, some near-universal) and score (1-10,
#   99 = missing code). Empty cells are missing.
# and the same tables:
#   t_cat   q_cat  by taal, wijk, taal x agegrp (crossed)
#   t_multi multi  by wijk, taal
#   t_score score  by taal, wijk
#   t_filt  q_cat  by wijk, filter "leeftijd >= 25 and not (taal == "EN")" (a domain)
# The design varies: strata (none or 2-6), clusters (PSU ids reused across strata, sometimes a
# stratum with one PSU), weights (random; in a third of the unweighted-to-population and
# post-stratified designs some are 0), an fpc, and the weighting: none, post-stratification on
# sexe x opl, or raking, linear or logit calibration on sexe + opl + wijk (the population within
# +-20% of the sample's weighted shares, its total 0.9-2.5 times the weights' sum).
#
# R's calibrate() cannot take design weights of 0 (its variance divides by the weight: NaN), and
# svystandardize() on a calibrated design stops at any row with a missing group or standardising
# variable; calibrated designs therefore have neither.

CAL_KINDS <- c("none", "poststratify", "rake", "linear", "logit")

make_design <- function(i, seed) {
  set.seed(seed * 1000 + i)
  cal <- CAL_KINDS[(i - 1) %% 5 + 1]
  n <- sample(250:1200, 1)
  stratified <- runif(1) < 0.7
  clustered <- runif(1) < 0.35
  H <- if (stratified) sample(2:6, 1) else 1
  share_h <- rgamma(H, 3); share_h <- share_h / sum(share_h)
  s_idx <- sample(seq_len(H), n, TRUE, prob = share_h)
  # every stratum needs 2 rows at least (one PSU each when clustered)
  for (h in seq_len(H)) if (sum(s_idx == h) < 2) s_idx[sample(which(tabulate(s_idx, H) > 4), 2)] <- h
  psu <- rep("", n)
  m_h <- rep(NA_integer_, H)
  if (clustered) {
    for (h in seq_len(H)) {
      rows <- which(s_idx == h)
      m <- min(length(rows), if (runif(1) < 0.12) 1 else sample(2:6, 1))
      m_h[h] <- m
      ids <- c(seq_len(m), sample(seq_len(m), length(rows) - m, TRUE))
      psu[rows] <- as.character(sample(ids))
    }
  }
  calibrated <- cal %in% c("rake", "linear", "logit")
  zeros_ok <- !calibrated
  fpc <- stratified && runif(1) < 0.3
  w <- round(exp(rnorm(n, 0, 0.45)) * 10 * (1 + s_idx / H), 4)
  n_zero <- if (zeros_ok && runif(1) < 0.35) max(1, round(n * runif(1, 0.005, 0.03))) else 0
  if (n_zero > 0) w[sample(seq_len(n), n_zero)] <- 0
  miss_groups <- if (cal == "none") 0.02 else 0
  # groups and answers
  K <- sample(3:6, 1)
  p_wijk <- rgamma(K, 4); p_wijk[sample(K, 1)] <- 0.15; p_wijk <- p_wijk / sum(p_wijk)
  wijk <- as.character(sample(seq_len(K), n, TRUE, prob = p_wijk))
  p_en <- runif(1, 0.1, 0.4)
  taal <- ifelse(runif(n) < p_en, "EN", "NL")
  leeftijd <- sample(18:90, n, TRUE)
  A <- sample(3:4, 1)
  bins <- if (A == 3) list(c(18, 39), c(40, 64), c(65, NA)) else list(c(18, 34), c(35, 54), c(55, 69), c(70, NA))
  bin_label <- function(b) if (is.na(b[2])) paste0(b[1], "+") else paste0(b[1], "-", b[2])
  agegrp_codes <- vapply(bins, bin_label, "")
  agegrp_of <- function(x) {
    out <- rep(NA_character_, length(x))
    for (k in seq_along(bins)) {
      b <- bins[[k]]
      ok <- !is.na(x) & x >= b[1] & (is.na(b[2]) | x <= b[2])
      out[ok] <- agegrp_codes[k]
    }
    out
  }
  sexe <- sample(c("1", "2"), n, TRUE)
  opl <- sample(c("1", "2", "3"), n, TRUE, prob = c(0.3, 0.4, 0.3))
  agegrp <- agegrp_of(leeftijd)
  a_num <- match(agegrp, agegrp_codes)
  C <- sample(3:5, 1)
  base_p <- rgamma(C, 2)
  q_cat <- vapply(seq_len(n), function(r) {
    p <- base_p * exp(0.5 * (seq_len(C) - C / 2) * (a_num[r] - A / 2) / A + 0.3 * (wijk[r] == "1") * (seq_len(C) == 1))
    as.character(sample(seq_len(C), 1, prob = p))
  }, "")
  J <- sample(2:4, 1)
  p_items <- sample(c(0.02, 0.25, 0.5, 0.75, 0.97), J)
  multi <- sapply(seq_len(J), function(j) {
    p <- pmin(0.995, pmax(0.005, p_items[j] + ifelse(taal == "EN", 0.1, 0) - 0.05 * (a_num - 1)))
    as.character(as.integer(runif(n) < p))
  })
  score <- as.character(pmin(10, pmax(1, round(6 + 1.2 * rnorm(n) + 0.4 * (taal == "EN") - 0.3 * a_num))))
  # missing values: empty cells and missing codes
  blank <- function(x, p) { x[runif(length(x)) < p] <- ""; x }
  q_cat[runif(n) < 0.04] <- "9"
  q_cat <- blank(q_cat, 0.02)
  for (j in seq_len(J)) multi[, j] <- blank(multi[, j], 0.03)
  score[runif(n) < 0.03] <- "99"
  score <- blank(score, 0.02)
  if (miss_groups > 0) {
    taal <- blank(taal, miss_groups)
    wijk <- blank(wijk, miss_groups)
    leeftijd_txt <- ifelse(runif(n) < miss_groups, "999", as.character(leeftijd))
  } else {
    leeftijd_txt <- as.character(leeftijd)
  }
  # stratum population sizes (PSUs with clusters, respondents without)
  n_h <- if (clustered) m_h else tabulate(s_idx, H)
  fpc_n <- if (fpc) (n_h * sample(2:40, H, TRUE))[s_idx] else rep(NA, n)
  data <- data.frame(id = as.character(seq_len(n)), s = paste0("S", s_idx), psu = psu,
                     w = sprintf("%.4f", w), fpc_n = ifelse(is.na(fpc_n), "", as.character(fpc_n)),
                     taal = taal, wijk = wijk, leeftijd = leeftijd_txt, sexe = sexe, opl = opl,
                     q_cat = q_cat, stringsAsFactors = FALSE)
  for (j in seq_len(J)) data[[paste0("m_", j)]] <- multi[, j]
  data$score <- score
  spec <- list(id = i, n = n, strata = H, stratified = stratified, clustered = clustered,
               lonely = clustered && any(m_h == 1), fpc = fpc, zeros = n_zero, calibration = cal,
               K = K, A = A, C = C, J = J, agegrp_codes = agegrp_codes, bins = bins,
               wijk_codes = as.character(seq_len(K)))
  dz <- list(spec = spec, data = data)
  dz$population <- make_population(dz, cal)
  dz$bounds <- if (cal == "logit") dz$population$bounds else NULL
  dz$codebook <- codebook_text(dz)
  dz
}

# Population figures: per category, the sample's weighted total, moved by up to +-20%, scaled to a
# total of 0.9-2.5 times the weights' sum; integer counts whose margins add up to the same total.
make_population <- function(dz, cal) {
  if (cal == "none") return(NULL)
  d <- dz$data
  w <- as.numeric(d$w)
  scale <- runif(1, 0.9, 2.5)
  total <- round(sum(w) * scale)
  alloc <- function(shares) {            # integer counts summing to `total` (largest remainder)
    x <- shares / sum(shares) * total
    k <- floor(x)
    short <- total - sum(k)
    if (short > 0) k[order(x - k, decreasing = TRUE)[seq_len(short)]] <- k[order(x - k, decreasing = TRUE)[seq_len(short)]] + 1
    k
  }
  if (cal == "poststratify") {
    cells <- expand.grid(opl = c("1", "2", "3"), sexe = c("1", "2"), stringsAsFactors = FALSE)[, c("sexe", "opl")]
    wt <- mapply(function(s, o) sum(w[d$sexe == s & d$opl == o]), cells$sexe, cells$opl)
    cells$count <- alloc(wt * exp(runif(nrow(cells), -0.2, 0.2)))
    return(list(kind = "cells", cells = cells))
  }
  margins <- NULL
  for (v in c("sexe", "opl", "wijk")) {
    codes <- if (v == "wijk") dz$spec$wijk_codes else sort(unique(d[[v]]))
    wt <- vapply(codes, function(k) sum(w[d[[v]] == k]), 0)
    margins <- rbind(margins, data.frame(variable = v, code = codes,
                                         count = alloc(wt * exp(runif(length(codes), -0.2, 0.2))),
                                         stringsAsFactors = FALSE))
  }
  bounds <- c(min(0.7, 0.5 * scale), 2.5 * scale)
  list(kind = "margins", margins = margins, scale = scale, bounds = round(bounds, 3))
}

codebook_text <- function(dz) {
  s <- dz$spec
  q <- function(x) paste0('"', x, '"')
  lines <- c(sprintf('title = "Differential design %d"', s$id), "", "[design]", 'weight = "w"')
  if (s$stratified) lines <- c(lines, 'strata = "s"')
  if (s$clustered) lines <- c(lines, 'cluster = "psu"')
  if (s$fpc) lines <- c(lines, 'fpc = "fpc_n"')
  cal <- s$calibration
  if (cal != "none") {
    lines <- c(lines, "", "[weighting]", sprintf("method = %s", q(cal)))
    if (cal == "poststratify") {
      lines <- c(lines, 'cells = "population.csv"', 'variables = ["sexe", "opl"]')
    } else {
      lines <- c(lines, 'margins = "population.csv"', 'variables = ["sexe", "opl", "wijk"]')
    }
    if (cal == "logit") lines <- c(lines, sprintf("bounds = [%s, %s]", dz$bounds[1], dz$bounds[2]))
    lines <- c(lines, "epsilon = 1e-12", "max_iterations = 100")
  }
  values <- function(codes) paste0("[ ", paste0("{ code = ", q(codes), " }", collapse = ", "), " ]")
  bins <- paste0("[ ", paste(vapply(seq_along(s$bins), function(k) {
    b <- s$bins[[k]]
    if (is.na(b[2])) sprintf('{ label = "%s", min = %d }', s$agegrp_codes[k], b[1])
    else sprintf('{ label = "%s", min = %d, max = %d }', s$agegrp_codes[k], b[1], b[2])
  }, ""), collapse = ", "), " ]")
  items <- paste0("[ ", paste0('{ column = "m_', seq_len(s$J), '" }', collapse = ", "), " ]")
  c(lines, "",
    "[[variables]]", 'name = "taal"', 'type = "categorical"', sprintf("values = %s", values(c("NL", "EN"))), "",
    "[[variables]]", 'name = "wijk"', 'type = "categorical"', sprintf("values = %s", values(s$wijk_codes)), "",
    "[[variables]]", 'name = "leeftijd"', 'type = "numeric"', 'missing = ["999"]', "",
    "[[variables]]", 'name = "agegrp"', 'type = "bins"', 'from = "leeftijd"', sprintf("bins = %s", bins), "",
    "[[variables]]", 'name = "sexe"', 'type = "categorical"', sprintf("values = %s", values(c("1", "2"))), "",
    "[[variables]]", 'name = "opl"', 'type = "categorical"', sprintf("values = %s", values(c("1", "2", "3"))), "",
    "[[variables]]", 'name = "q_cat"', 'type = "categorical"', sprintf("values = %s", values(as.character(seq_len(s$C)))),
    'missing = ["9"]', "",
    "[[variables]]", 'name = "multi"', 'type = "multi"', sprintf("items = %s", items), "",
    "[[variables]]", 'name = "score"', 'type = "numeric"', 'missing = ["99"]', "",
    "[[tables]]", 'name = "t_cat"', 'rows = "q_cat"', 'by = ["taal", "wijk", ["taal", "agegrp"]]', "",
    "[[tables]]", 'name = "t_multi"', 'rows = "multi"', 'by = ["wijk", "taal"]', "",
    "[[tables]]", 'name = "t_score"', 'rows = "score"', 'by = ["taal", "wijk"]', "",
    "[[tables]]", 'name = "t_filt"', 'rows = "q_cat"', 'by = ["wijk"]',
    "filter = 'leeftijd >= 25 and not (taal == \"EN\")'", "")
}

write_design <- function(dz, dir) {
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write.table(dz$data, file.path(dir, "data.csv"), sep = ",", quote = FALSE, row.names = FALSE, na = "")
  writeLines(dz$codebook, file.path(dir, "codebook.toml"))
  p <- dz$population
  if (!is.null(p)) {
    tab <- if (p$kind == "cells") p$cells else p$margins
    write.table(tab, file.path(dir, "population.csv"), sep = ",", quote = FALSE, row.names = FALSE)
  }
}

describe_design <- function(dz) {
  s <- dz$spec
  c(design = s$id, n = s$n, strata = s$strata, clustered = s$clustered, lonely_psu = s$lonely, fpc = s$fpc,
    zero_weights = s$zeros, calibration = s$calibration, districts = s$K, age_groups = s$A, codes = s$C,
    items = s$J)
}
