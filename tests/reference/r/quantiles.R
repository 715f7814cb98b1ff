# Reference quantiles from R: Student t (qt), normal (df = Inf -> qnorm) and beta (qbeta).
# Run from the repository root:  Rscript tests/reference/r/quantiles.R
# Writes tests/reference/r/quantiles.csv (p,df,qt) and tests/reference/r/qbeta.csv (p,a,b,qbeta).
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
fmt <- function(x) ifelse(is.na(x), "", ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"),
                                                 sprintf("%.17g", x)))

ps <- c(0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.05, 0.025, 0.005)
dfs <- c(1, 2, 3, 4, 5, 7, 10, 15, 29, 30, 50, 100, 500, 999, 1000, 1001, 5000, 10000, 30000,
         1e5, 2e5, 1e6, 1e7, 1e8, 1e9, 1e12, Inf)
g <- expand.grid(p = ps, df = dfs)
g$qt <- ifelse(is.infinite(g$df), qnorm(g$p), qt(g$p, g$df))
stopifnot(all(g$qt[is.infinite(g$df)] == qt(g$p[is.infinite(g$df)], Inf)))
out <- data.frame(p = fmt(g$p), df = fmt(g$df), qt = fmt(g$qt))
write.csv(out, file.path(here, "quantiles.csv"), row.names = FALSE, quote = FALSE)

ab <- c(0.5, 1, 2, 10, 100, 1000.5, 5000)
pb <- c(0.005, 0.025, 0.05, 0.5, 0.95, 0.975, 0.995)
b <- expand.grid(p = pb, a = ab, b = ab)
# shapes as they occur in svyciprop "beta": a = n_eff p, b = n_eff (1 - p) + 1 with non-integer n_eff
extra <- expand.grid(p = c(0.025, 0.975, 0.05, 0.95),
                     a = c(3.7, 48.25, 1234.567), b = c(0.25, 12.5, 987.125, 20000.75))
b <- rbind(b, extra)
b$qbeta <- qbeta(b$p, b$a, b$b)
out <- data.frame(p = fmt(b$p), a = fmt(b$a), b = fmt(b$b), qbeta = fmt(b$qbeta))
write.csv(out, file.path(here, "qbeta.csv"), row.names = FALSE, quote = FALSE)
