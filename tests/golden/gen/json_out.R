# Minimal JSON writer for the golden reference files (no jsonlite dependency).
#
# Conventions (see tests/golden/README-msc-table3.md):
# * named list -> object, unnamed list -> array, NULL -> []
# * atomic vector of length 1 -> scalar, unless marked with jarr(); other lengths -> array
# * numbers: integer-valued doubles (|x| < 1e15) are written plainly, others with the fewest of
#   15/16/17 significant digits that read back as the same double
# * NA / NaN / Inf / -Inf -> null, plus a sibling key "<key>_note": a string for a scalar, an
#   object {"NA": [positions], ...} (1-based) for an array
# * jnull() writes a bare null without a note (used for "not applicable" meta fields)

jarr <- function(x) {
	if (is.null(x)) x <- numeric(0)
	attr(x, "jarr") <- TRUE
	x
}

jnull <- function() structure(list(), class = "jnull")

json_num <- function(x) {
	out <- character(length(x))
	isint <- x == round(x) & abs(x) < 1e15
	out[isint] <- sprintf("%.0f", x[isint])
	rest <- which(!isint)
	if (length(rest)) {
		v <- x[rest]
		s <- sprintf("%.15g", v)
		bad <- as.numeric(s) != v
		if (any(bad)) {
			s[bad] <- sprintf("%.16g", v[bad])
			bad2 <- bad
			bad2[bad] <- as.numeric(s[bad]) != v[bad]
			if (any(bad2)) s[bad2] <- sprintf("%.17g", v[bad2])
		}
		out[rest] <- s
	}
	out
}

json_str <- function(s) {
	s <- enc2utf8(as.character(s))
	s <- gsub("\\", "\\\\", s, fixed = TRUE)
	s <- gsub("\"", "\\\"", s, fixed = TRUE)
	s <- gsub("\n", "\\n", s, fixed = TRUE)
	s <- gsub("\r", "\\r", s, fixed = TRUE)
	s <- gsub("\t", "\\t", s, fixed = TRUE)
	paste0("\"", s, "\"")
}

# kind of non-finite value per element: "" for ordinary values
json_bad_kind <- function(x) {
	k <- rep("", length(x))
	if (is.numeric(x)) {
		k[is.na(x) & !is.nan(x)] <- "NA"
		k[is.nan(x)] <- "NaN"
		k[!is.na(x) & is.infinite(x) & x > 0] <- "Inf"
		k[!is.na(x) & is.infinite(x) & x < 0] <- "-Inf"
	} else {
		k[is.na(x)] <- "NA"
	}
	k
}

json_atoms <- function(x) {
	n <- length(x)
	out <- rep("null", n)
	ok <- json_bad_kind(x) == ""
	if (is.logical(x)) {
		out[ok] <- ifelse(x[ok], "true", "false")
	} else if (is.numeric(x)) {
		out[ok] <- json_num(as.double(x[ok]))
	} else {
		out[ok] <- json_str(x[ok])
	}
	out
}

json_is_array <- function(x) isTRUE(attr(x, "jarr")) || length(x) != 1L

# the note for a value, or NULL when it has only ordinary values
json_note <- function(x) {
	if (!is.atomic(x) || is.null(x) || length(x) == 0L) return(NULL)
	k <- json_bad_kind(x)
	if (all(k == "")) return(NULL)
	if (!json_is_array(x)) return(k[1])
	kinds <- c("NA", "NaN", "Inf", "-Inf")
	kinds <- kinds[kinds %in% k]
	note <- lapply(kinds, function(kk) jarr(which(k == kk)))
	names(note) <- kinds
	note
}

json_write <- function(x, ind = 0L) {
	pad <- strrep(" ", ind + 1L)
	padc <- strrep(" ", ind)
	if (inherits(x, "jnull")) return("null")
	if (is.null(x)) return("[]")
	if (is.list(x)) {
		nm <- names(x)
		if (is.null(nm)) {
			if (length(x) == 0L) return("[]")
			items <- vapply(x, json_write, "", ind = ind + 1L)
			return(paste0("[\n", paste0(pad, items, collapse = ",\n"), "\n", padc, "]"))
		}
		parts <- character(0)
		for (i in seq_along(x)) {
			v <- x[[i]]
			parts <- c(parts, paste0(pad, json_str(nm[i]), ": ", json_write(v, ind + 1L)))
			note <- json_note(v)
			if (!is.null(note)) {
				parts <- c(parts, paste0(pad, json_str(paste0(nm[i], "_note")), ": ",
					json_write(note, ind + 1L)))
			}
		}
		if (!length(parts)) return("{}")
		return(paste0("{\n", paste(parts, collapse = ",\n"), "\n", padc, "}"))
	}
	if (is.factor(x)) x <- as.character(x)
	a <- json_atoms(unname(x))
	if (json_is_array(x)) return(paste0("[", paste(a, collapse = ","), "]"))
	a
}

# write atomically: a temp file in the same folder, then rename
json_save <- function(x, path) {
	tmp <- paste0(path, ".tmp", Sys.getpid())
	con <- file(tmp, open = "w", encoding = "UTF-8")
	writeLines(json_write(x), con)
	close(con)
	if (!file.rename(tmp, path)) stop("cannot rename ", tmp, " to ", path)
	invisible(path)
}
