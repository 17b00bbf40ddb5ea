# The golden datasets: where each input.csv comes from and how it is analysed.
# analyses: "all" (one pooled analysis), "groups" (one per group, as msc-table3) or
# "all+groups" (the pooled one first, then one per group in order of first appearance).

# input.csv: header line, text fields double-quoted, numbers plain (counts as integers,
# generic yi/vi with the fewest of 15/16/17 significant digits that round-trip)
write_input <- function(df, path) {
	cols <- lapply(df, function(v) if (is.character(v)) json_str(v) else json_num(as.double(v)))
	lines <- c(paste(names(df), collapse = ","), do.call(paste, c(cols, sep = ",")))
	tmp <- paste0(path, ".tmp", Sys.getpid())
	con <- file(tmp, open = "w", encoding = "UTF-8")
	writeLines(lines, con)
	close(con)
	if (!file.rename(tmp, path)) stop("cannot rename ", tmp)
}

two_by_two <- function(study, ai, n1i, ci, n2i, group = NULL) {
	d <- data.frame(study = as.character(study), ai = ai, n1i = n1i, ci = ci, n2i = n2i,
		stringsAsFactors = FALSE)
	if (!is.null(group)) d$group <- as.character(group)
	d
}

DATASETS <- list(
	"msc-table3" = list(
		source = paste("MSC adverse-event table 3",
			"(columns domain,study,sub,ref,event,e_t,n_t,e_c,n_c);",
			"ai = e_t, n1i = n_t, ci = e_c, n2i = n_c"),
		description = paste("adverse events of MSC therapy vs control, one analysis per domain",
			"(group = domain)"),
		group_variable = "domain", analyses = "groups",
		analyses_note = paste("one analysis per group (domain); there is no pooled 'all' analysis.",
			"rows are 1-based indices into input.csv")),

	bcg = list(
		source = paste("metadat::dat.bcg (BCG vaccine trials); study = 'author, year',",
			"ai = tpos, n1i = tpos + tneg, ci = cpos, n2i = cpos + cneg, group = alloc"),
		description = "BCG vaccine vs control, tuberculosis cases; subgrouped by treatment allocation",
		group_variable = "alloc", analyses = "all+groups",
		analyses_note = paste("first the pooled analysis 'all' (group null), then one analysis per",
			"alloc group in order of first appearance (k = 7, 2, 4). rows are 1-based indices into",
			"input.csv"),
		build = function() with(metadat::dat.bcg, two_by_two(paste0(author, ", ", year), tpos,
			tpos + tneg, cpos, cpos + cneg, alloc))),

	li2007 = list(
		source = paste("metadat::dat.li2007 (magnesium after myocardial infarction, mortality);",
			"study = 'study, year', ai, n1i, ci, n2i as shipped"),
		description = "2x2 with single-zero studies (Urek 1996: ci = 0; Santoro 2000: ai = 0), k = 22",
		group_variable = NULL, analyses = "all",
		analyses_note = "one pooled analysis 'all' over every row (group null)",
		build = function() with(metadat::dat.li2007, two_by_two(paste0(study, ", ", year), ai, n1i,
			ci, n2i))),

	nielweise2007 = list(
		source = paste("metadat::dat.nielweise2007 (anti-infective catheters, catheter-related",
			"bloodstream infections); study = 'author, year', ai, n1i, ci, n2i as shipped"),
		description = paste("2x2 with single-zero studies and one double-zero study",
			"(Yucel 2004: 0/118 vs 0/105), k = 18"),
		group_variable = NULL, analyses = "all",
		analyses_note = "one pooled analysis 'all' over every row (group null)",
		build = function() with(metadat::dat.nielweise2007, two_by_two(paste0(author, ", ", year),
			ai, n1i, ci, n2i))),

	hine1989 = list(
		source = paste("metadat::dat.hine1989 (prophylactic lidocaine, mortality); study = source,",
			"ai, n1i, ci, n2i as shipped; group is ARTIFICIAL: 'A' = rows 1-2, 'B' = rows 3-6"),
		description = "small-k 2x2: pooled k = 6, groups of k = 2 and k = 4",
		group_variable = "rows", analyses = "all+groups",
		analyses_note = paste("first the pooled analysis 'all' (k = 6, group null), then group A",
			"(k = 2) and group B (k = 4); the grouping is by row position only, to exercise",
			"small-k paths. rows are 1-based indices into input.csv"),
		build = function() with(metadat::dat.hine1989, two_by_two(source, ai, n1i, ci, n2i,
			rep(c("A", "B"), c(2, 4))))),

	lee2004 = list(
		source = paste("metadat::dat.lee2004 (acupoint stimulation, postoperative nausea);",
			"study = 'study, year', ai, n1i, ci, n2i as shipped"),
		description = "mid-size 2x2 without zero cells, k = 16",
		group_variable = NULL, analyses = "all",
		analyses_note = "one pooled analysis 'all' over every row (group null)",
		build = function() with(metadat::dat.lee2004, two_by_two(paste0(study, ", ", year), ai, n1i,
			ci, n2i))),

	normand1999 = list(
		source = paste("metadat::dat.normand1999 (length of stay, specialist vs routine stroke care);",
			"study = source; yi, vi = escalc(measure = 'SMD', m1i, sd1i, n1i, m2i, sd2i, n2i)"),
		description = "generic effect sizes (SMD, Hedges' g), k = 9",
		generic_measure_origin = paste("escalc(measure = \"SMD\", m1i = m1i, sd1i = sd1i, n1i = n1i,",
			"m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999) with metafor 3.8-1;",
			"written with the fewest of 15/16/17 significant digits that round-trip"),
		group_variable = NULL, analyses = "all",
		analyses_note = "one pooled analysis 'all' over every row (group null)",
		build = function() {
			es <- escalc(measure = "SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i,
				n2i = n2i, data = metadat::dat.normand1999)
			data.frame(study = as.character(es$source), yi = as.numeric(es$yi),
				vi = as.numeric(es$vi), stringsAsFactors = FALSE)
		}),

	pritz1997 = list(
		source = "metadat::dat.pritz1997 (stroke patients: successful outcome); study = authors; xi, ni",
		description = "proportions, k = 14",
		group_variable = NULL, analyses = "all",
		analyses_note = "one pooled analysis 'all' over every row (group null)",
		build = function() with(metadat::dat.pritz1997, data.frame(study = as.character(authors),
			xi = xi, ni = ni, stringsAsFactors = FALSE))),

	"nielweise2007-prop" = list(
		source = paste("built from metadat::dat.nielweise2007: the treated arm only,",
			"study = 'author, year', xi = ai, ni = n1i"),
		description = "proportions with zero events in 6 of 18 studies",
		group_variable = NULL, analyses = "all",
		analyses_note = "one pooled analysis 'all' over every row (group null)",
		build = function() with(metadat::dat.nielweise2007, data.frame(
			study = paste0(author, ", ", year), xi = ai, ni = n1i, stringsAsFactors = FALSE))),

	debruin2009 = list(
		source = paste("metadat::dat.debruin2009 (adherence to antiretroviral therapy);",
			"study = 'author year'; xi, ni; group = ethnicity"),
		description = "proportions, k = 13, subgrouped by ethnicity",
		group_variable = "ethnicity", analyses = "all+groups",
		analyses_note = paste("first the pooled analysis 'all' (group null), then one analysis per",
			"ethnicity group in order of first appearance. rows are 1-based indices into input.csv"),
		build = function() with(metadat::dat.debruin2009, data.frame(
			study = paste(author, year), xi = xi, ni = ni, group = as.character(ethnicity),
			stringsAsFactors = FALSE)))
)
