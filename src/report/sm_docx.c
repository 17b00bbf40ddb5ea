#include "sm_docx.h"

#include "sm_atomic.h"
#include "sm_buf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG_RELS "http://schemas.openxmlformats.org/package/2006/relationships"

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" "
	"ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"</Types>\n";

static const char package_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"" PKG_RELS "\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
	"2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
	"</Relationships>\n";

static const char document_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"" PKG_RELS "\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
	"2006/relationships/styles\" Target=\"styles.xml\"/>"
	"</Relationships>\n";

/* Normal: Liberation Sans 9 pt (w:sz in half points), no space after
 * paragraphs inside the table; Caption for the title, Footnote text. */
static const char styles[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles xmlns:w=\"" W_NS "\">"
	"<w:docDefaults><w:rPrDefault><w:rPr>"
	"<w:rFonts w:ascii=\"Liberation Sans\" w:hAnsi=\"Liberation Sans\" "
	"w:eastAsia=\"Noto Sans CJK SC\" w:cs=\"Liberation Sans\"/>"
	"<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/><w:lang w:val=\"en-GB\"/>"
	"</w:rPr></w:rPrDefault>"
	"<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
	"</w:pPr></w:pPrDefault></w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
	"<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
	"<w:spacing w:after=\"120\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"20\"/></w:rPr>"
	"</w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TableNote\"><w:name w:val=\"Table note\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"120\"/></w:pPr>"
	"<w:rPr><w:sz w:val=\"16\"/></w:rPr></w:style>"
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
	"<w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
	"<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"80\" w:type=\"dxa\"/>"
	"<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/>"
	"</w:tblCellMar></w:tblPr></w:style>"
	"</w:styles>\n";

/* Text as runs: XML-escaped, line breaks as <w:br/>, spaces kept. */
static void runs(struct sm_buf *b, const char *s, int bold)
{
	const char *rpr = bold ? "<w:rPr><w:b/></w:rPr>" : "";
	sm_buf_printf(b, "<w:r>%s<w:t xml:space=\"preserve\">", rpr);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			sm_buf_printf(b, "</w:t><w:br/><w:t xml:space=\"preserve\">");
		else if (c == '&')
			sm_buf_puts(b, "&amp;");
		else if (c == '<')
			sm_buf_puts(b, "&lt;");
		else if (c == '>')
			sm_buf_puts(b, "&gt;");
		else if (c == '"')
			sm_buf_puts(b, "&quot;");
		else if (c < 0x20 && c != '\t')
			continue; /* not allowed in XML 1.0 (CR of CRLF included) */
		else
			sm_buf_putc(b, (char)c);
	}
	sm_buf_puts(b, "</w:t></w:r>");
}

static void paragraph(struct sm_buf *b, const char *style, const char *text)
{
	sm_buf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
	runs(b, text, 0);
	sm_buf_puts(b, "</w:p>");
}

/* A rule as a cell border: single line, 0.5 pt (w:sz in eighths). */
#define RULE "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""

static void cell(struct sm_buf *b, const char *text, enum sm_align align, int bold,
		 const char *borders)
{
	sm_buf_puts(b, "<w:tc><w:tcPr>");
	if (borders)
		sm_buf_printf(b, "<w:tcBorders>%s</w:tcBorders>", borders);
	sm_buf_puts(b, "</w:tcPr><w:p><w:pPr>");
	if (align != SM_ALIGN_LEFT)
		sm_buf_printf(b, "<w:jc w:val=\"%s\"/>", align == SM_ALIGN_RIGHT ? "right"
										 : "center");
	sm_buf_puts(b, "</w:pPr>");
	if (*text)
		runs(b, text, bold);
	sm_buf_puts(b, "</w:p></w:tc>");
}

static void table(struct sm_buf *b, const struct sm_table *t)
{
	sm_buf_puts(b, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
		       "<w:tblLayout w:type=\"autofit\"/><w:tblLook w:val=\"0020\" "
		       "w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" "
		       "w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
	for (size_t c = 0; c < t->ncols; c++)
		sm_buf_puts(b, "<w:gridCol/>");
	sm_buf_puts(b, "</w:tblGrid>");
	/* The header row: rules above and below, repeated on every page. */
	sm_buf_puts(b, "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
	for (size_t c = 0; c < t->ncols; c++)
		cell(b, t->headers[c], t->align[c], 1, "<w:top " RULE "/><w:bottom " RULE "/>");
	sm_buf_puts(b, "</w:tr>");
	for (size_t r = 0; r < t->nrows; r++) {
		sm_buf_puts(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (size_t c = 0; c < t->ncols; c++)
			cell(b, sm_table_cell(t, r, c), t->align[c], 0,
			     r + 1 == t->nrows ? "<w:bottom " RULE "/>" : NULL);
		sm_buf_puts(b, "</w:tr>");
	}
	sm_buf_puts(b, "</w:tbl>");
}

static char *document(const struct sm_table *t)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
			"<w:document xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\"><w:body>");
	if (t->title)
		paragraph(&b, "Caption", t->title);
	table(&b, t);
	if (t->footnote)
		paragraph(&b, "TableNote", t->footnote);
	else
		sm_buf_puts(&b, "<w:p/>"); /* Word wants a paragraph after a table */
	/* A4 (twentieths of a point), 2 cm margins; landscape for wide tables. */
	int wide = t->ncols > 6;
	sm_buf_printf(&b, "<w:sectPr><w:pgSz w:w=\"%d\" w:h=\"%d\"%s/>"
			  "<w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" "
			  "w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
			  "</w:sectPr></w:body></w:document>\n",
		      wide ? 16838 : 11906, wide ? 11906 : 16838,
		      wide ? " w:orient=\"landscape\"" : "");
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}

/* The DOS date and time of the fixed timestamp (UTC; DOS dates start in
 * 1980). */
static void dos_time(struct sm_ctx *ctx, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	long long epoch = sm_ctx_epoch(ctx);
	time_t t = epoch >= 315532800 ? (time_t)epoch : 315532800;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 2107) {
		*dtime = 0;
		*ddate = (1 << 5) | 1; /* 1980-01-01 */
		return;
	}
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

struct part {
	const char *name;
	const char *data;
};

static int add_part(zip_t *za, const struct part *p, zip_uint16_t dtime, zip_uint16_t ddate)
{
	zip_source_t *src = zip_source_buffer(za, p->data, strlen(p->data), 0);
	if (!src)
		return -1;
	zip_int64_t i = zip_file_add(za, p->name, src, ZIP_FL_ENC_UTF_8);
	if (i < 0) {
		zip_source_free(src);
		return -1;
	}
	return zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_DEFLATE, 6) != 0 ||
	       zip_file_set_dostime(za, (zip_uint64_t)i, dtime, ddate, 0) != 0 ? -1 : 0;
}

/* The zip written into `src` (kept), read back into a malloc'ed buffer. */
static int read_source(zip_source_t *src, char **data, size_t *len)
{
	zip_stat_t st;
	if (zip_source_stat(src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(src) != 0)
		return -1;
	*len = (size_t)st.size;
	*data = malloc(*len ? *len : 1);
	zip_int64_t n = *data ? zip_source_read(src, *data, st.size) : -1;
	zip_source_close(src);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}

sm_status sm_docx_package(struct sm_ctx *ctx, const struct sm_table *t, char **data,
			  size_t *len)
{
	*data = NULL;
	*len = 0;
	char *doc = document(t);
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = doc ? zip_source_buffer_create(NULL, 0, 0, &err) : NULL;
	zip_t *za = NULL;
	if (src) {
		zip_source_keep(src);
		za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
	}
	zip_uint16_t dtime, ddate;
	dos_time(ctx, &dtime, &ddate);
	const struct part parts[] = {
		{ "[Content_Types].xml", content_types }, { "_rels/.rels", package_rels },
		{ "word/_rels/document.xml.rels", document_rels },
		{ "word/document.xml", doc }, { "word/styles.xml", styles },
	};
	int bad = !za;
	for (size_t i = 0; !bad && i < sizeof parts / sizeof parts[0]; i++)
		bad = add_part(za, &parts[i], dtime, ddate) != 0;
	if (za && (bad ? (zip_discard(za), 1) : zip_close(za) != 0))
		bad = 1;
	if (!bad)
		bad = read_source(src, data, len) != 0;
	if (src)
		zip_source_free(src);
	free(doc);
	zip_error_fini(&err);
	/* The package is built in memory (a buffer source): nothing but an
	 * allocation can fail here. */
	if (bad)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory building the DOCX package of "
			       "table '%s'", t->id);
	return SM_OK;
}

sm_status sm_docx_write(struct sm_ctx *ctx, const struct sm_table *t, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	sm_status st = sm_docx_package(ctx, t, &data, &len);
	if (st == SM_OK)
		st = sm_atomic_write(ctx, path, data, len);
	free(data);
	return st;
}
