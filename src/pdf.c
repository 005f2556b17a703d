/* pdf.c: certificate layouts, the page model, fitting and PDF rendering
 * (cairo + pango with IPAex Mincho). See pdf.h for the layout format. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "i18n.h"
#include "pdf.h"
#include "textwidth.h"
#include "xalloc.h"

extern char **environ;

#define PT_PER_MM (72.0 / 25.4)
#define SHRINK_STEP 0.25
#define SLOTS_MAX 4          /* 世帯連記式: at most 4 persons a page */
#define EPS 0.01

/* Small arithmetic of our own: the program does not link libm. */
static double dmin(double a, double b) { return a < b ? a : b; }
static double dmax(double a, double b) { return a > b ? a : b; }
static double dabs(double a) { return a < 0 ? -a : a; }
static long round_pos(double a) { return (long)(a + 0.5); }

/* ---- variables -------------------------------------------------------------- */

void md_vars_init(struct md_vars *v)
{
	memset(v, 0, sizeof *v);
}

static int vars_find(const struct md_vars *v, const char *key)
{
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->key[i], key) == 0)
			return i;
	return -1;
}

void md_vars_set(struct md_vars *v, const char *key, const char *val)
{
	int i = vars_find(v, key);

	if (i >= 0) {
		free(v->val[i]);
		if (val) {
			v->val[i] = xstrdup(val);
			return;
		}
		free(v->key[i]);
		v->key[i] = v->key[v->n - 1];
		v->val[i] = v->val[v->n - 1];
		v->n--;
		return;
	}
	if (!val)
		return;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 32;
		v->key = xrealloc(v->key, (size_t)v->cap * sizeof *v->key);
		v->val = xrealloc(v->val, (size_t)v->cap * sizeof *v->val);
	}
	v->key[v->n] = xstrdup(key);
	v->val[v->n] = xstrdup(val);
	v->n++;
}

void md_vars_setf(struct md_vars *v, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	md_vars_set(v, key, s);
	free(s);
}

const char *md_vars_get(const struct md_vars *v, const char *key)
{
	int i = v ? vars_find(v, key) : -1;
	return i >= 0 ? v->val[i] : NULL;
}

void md_vars_copy(struct md_vars *dst, const struct md_vars *src)
{
	for (int i = 0; i < src->n; i++)
		md_vars_set(dst, src->key[i], src->val[i]);
}

void md_vars_release(struct md_vars *v)
{
	for (int i = 0; i < v->n; i++) {
		free(v->key[i]);
		free(v->val[i]);
	}
	free(v->key);
	free(v->val);
	memset(v, 0, sizeof *v);
}

/* ---- layouts ---------------------------------------------------------------- */

static const char *const layout_cols[] = { "element", "kind", "when", "x", "y", "w", "h",
	                                   "size", "min", "align", "text" };
#define NCOLS ((int)(sizeof layout_cols / sizeof layout_cols[0]))

static int split_tabs(char *line, char **cells, int max)
{
	int n = 1;
	cells[0] = line;
	for (char *p = line; *p; p++) {
		if (*p == '\t') {
			*p = '\0';
			if (n == max)
				return max + 1;
			cells[n++] = p + 1;
		}
	}
	return n;
}

static int parse_num(const char *s, double *out)
{
	char *end = NULL;
	double d;

	if (!*s)
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (*end || errno || d != d || d > 1e9)
		return -1;
	*out = d;
	return 0;
}

/* \n in a template is a line break. */
static char *unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static int parse_when(const char *s, unsigned *out)
{
	static const struct { const char *name; unsigned bit; } words[] = {
		{ "last", MD_WHEN_LAST }, { "notlast", MD_WHEN_NOTLAST }, { "first", MD_WHEN_FIRST },
		{ "household", MD_WHEN_HOUSEHOLD }, { "individual", MD_WHEN_INDIVIDUAL },
	};
	char buf[128], *tok, *save = NULL;

	*out = 0;
	if (strcmp(s, "-") == 0 || !*s)
		return 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strcmp(tok, words[i].name) == 0)
				break;
		if (i == sizeof words / sizeof words[0])
			return -1;
		*out |= words[i].bit;
	}
	return 0;
}

static int layout_fail(struct md_error *err, const char *name, long line, const char *col,
                       const char *what)
{
	return md_error_setl(err, MD_E_CONFIG, name, line, _("%s, line %ld, column %s: %s"), name, line,
	                     col, what);
}

static int parse_row(char **c, const char *name, long line, struct md_layout_el *e,
                     struct md_error *err)
{
	static const char *const kinds[] = { "text", "frame", "line", "image" };
	static const char *const aligns[] = { "left", "center", "right", "fit", "true" };
	double *nums[6] = { &e->x, &e->y, &e->w, &e->h, &e->size, &e->min };
	size_t i;

	memset(e, 0, sizeof *e);
	e->line = line;
	if (!*c[0])
		return layout_fail(err, name, line, "element", _("the element needs a name"));
	for (i = 0; i < 4; i++)
		if (strcmp(c[1], kinds[i]) == 0)
			break;
	if (i == 4)
		return layout_fail(err, name, line, "kind", _("must be text, frame, line or image"));
	e->kind = (enum md_el_kind)i;
	if (parse_when(c[2], &e->when) != 0)
		return layout_fail(err, name, line, "when",
		                   _("must be - or a comma-separated list of: last, notlast, first, household, individual"));
	for (i = 0; i < 6; i++)
		if (parse_num(c[3 + i], nums[i]) != 0 || *nums[i] < 0)
			return layout_fail(err, name, line, layout_cols[3 + i],
			                   _("must be a number, 0 or more"));
	for (i = 0; i < 5; i++)
		if (strcmp(c[9], aligns[i]) == 0)
			break;
	if (i == 5)
		return layout_fail(err, name, line, "align", _("must be left, center, right, fit or true"));
	e->align = (enum md_el_align)i;
	if ((e->kind == MD_EL_IMAGE) != (e->align >= MD_AL_FIT))
		return layout_fail(err, name, line, "align",
		                   _("an image is placed with fit or true, text with left, center or right"));
	e->slot = strcmp(c[0], "slot") == 0;
	e->person = strncmp(c[0], "p.", 2) == 0;
	e->name = xstrdup(e->person ? c[0] + 2 : c[0]);
	e->text = unescape(c[10]);
	if (e->kind != MD_EL_LINE && (e->w <= 0 || e->h <= 0))
		return layout_fail(err, name, line, "w", _("the box needs a width and a height"));
	if (!e->person && (e->x + e->w > MD_PDF_A4_W_MM + EPS || e->y + e->h > MD_PDF_A4_H_MM + EPS))
		return layout_fail(err, name, line, "x", _("the box lies outside the A4 page (210 x 297 mm)"));
	if (e->kind == MD_EL_TEXT && !e->slot) {
		if (e->size <= 0)
			return layout_fail(err, name, line, "size", _("a text needs a font size"));
		if (e->min > e->size)
			return layout_fail(err, name, line, "min", _("the smallest size is larger than the size"));
	}
	if (e->slot) {
		char *end = NULL;
		long per = strtol(e->text, &end, 10);
		if (*end || per < 1 || per > SLOTS_MAX)
			return layout_fail(err, name, line, "text",
			                   _("a slot's text is the number of persons on a page, 1 to 4"));
		if (e->y + e->h * (double)per > MD_PDF_A4_H_MM + EPS)
			return layout_fail(err, name, line, "h", _("the slots run off the A4 page"));
	}
	return MD_OK;
}

int md_layout_parse(const char *text, const char *name, struct md_layout *out,
                    struct md_error *err)
{
	char *copy = xstrdup(text ? text : ""), *line, *next;
	char *cells[NCOLS + 1];
	long lineno = 0;
	int have_header = 0, cap = 0, rc = MD_OK, n;

	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", name);
	for (line = copy; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		n = split_tabs(line, cells, NCOLS);
		if (!have_header) {
			int i;
			for (i = 0; i < NCOLS && i < n; i++)
				if (strcmp(cells[i], layout_cols[i]) != 0)
					break;
			if (n != NCOLS || i != NCOLS) {
				rc = md_error_setl(err, MD_E_CONFIG, name, lineno,
				                   _("%s, line %ld: the header must be: element kind when x y w h size min align text (separated by tabs)"),
				                   name, lineno);
				goto out;
			}
			have_header = 1;
			continue;
		}
		if (n != NCOLS) {
			rc = md_error_setl(err, MD_E_CONFIG, name, lineno,
			                   _("%s, line %ld: %d columns where the header has %d"), name, lineno,
			                   n > NCOLS ? NCOLS + 1 : n, NCOLS);
			goto out;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 32;
			out->el = xrealloc(out->el, (size_t)cap * sizeof *out->el);
		}
		rc = parse_row(cells, name, lineno, &out->el[out->n], err);
		if (rc != MD_OK) {
			free(out->el[out->n].name);
			free(out->el[out->n].text);
			goto out;
		}
		out->n++;
	}
	if (!have_header)
		rc = md_error_set(err, MD_E_CONFIG, name, _("%s has no header line"), name);
out:
	free(copy);
	if (rc != MD_OK)
		md_layout_release(out);
	return rc;
}

void md_layout_release(struct md_layout *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->el[i].name);
		free(l->el[i].text);
	}
	free(l->el);
	l->el = NULL;
	l->n = 0;
}

static int when_holds(unsigned when, int page, int pages, int individual)
{
	if ((when & MD_WHEN_LAST) && page != pages - 1)
		return 0;
	if ((when & MD_WHEN_NOTLAST) && page == pages - 1)
		return 0;
	if ((when & MD_WHEN_FIRST) && page != 0)
		return 0;
	if ((when & MD_WHEN_HOUSEHOLD) && individual)
		return 0;
	if ((when & MD_WHEN_INDIVIDUAL) && !individual)
		return 0;
	return 1;
}

int md_layout_slots(const struct md_layout *l, int individual, const struct md_layout_el **slot)
{
	for (int i = 0; i < l->n; i++) {
		const struct md_layout_el *e = &l->el[i];
		if (e->slot && when_holds(e->when & (MD_WHEN_HOUSEHOLD | MD_WHEN_INDIVIDUAL), 0, 1,
		                          individual)) {
			if (slot)
				*slot = e;
			return (int)strtol(e->text, NULL, 10);
		}
	}
	if (slot)
		*slot = NULL;
	return 0;
}

/* ---- building pages ------------------------------------------------------------ */

/* Resolves a template against a (person's values first) and b. NULL when
 * the element is to be left out. *single receives the one variable's name
 * when the template is exactly "{name}" (images). */
static char *resolve(const char *tpl, const struct md_vars *a, const struct md_vars *b,
                     char *single, size_t singlesz)
{
	size_t cap = strlen(tpl) + 64, len = 0;
	char *out = xmalloc(cap);
	int vars = 0, nonempty = 0;
	const char *p = tpl;

	if (single)
		single[0] = '\0';
	while (*p) {
		const char *close;
		if (*p == '{' && (close = strchr(p + 1, '}')) != NULL && close > p + 1) {
			char key[64];
			const char *val;
			size_t klen = (size_t)(close - p - 1), vlen;
			if (klen >= sizeof key)
				klen = sizeof key - 1;
			memcpy(key, p + 1, klen);
			key[klen] = '\0';
			if (key[0] == '?') {
				/* {?name}: only a condition, printing nothing. */
				if (!md_vars_get(a, key + 1) && !md_vars_get(b, key + 1)) {
					free(out);
					return NULL;
				}
				p = close + 1;
				continue;
			}
			val = md_vars_get(a, key);
			if (!val)
				val = md_vars_get(b, key);
			if (!val) {
				free(out);
				return NULL;
			}
			vars++;
			if (*val)
				nonempty = 1;
			if (single && p == tpl && close[1] == '\0')
				snprintf(single, singlesz, "%s", key);
			vlen = strlen(val);
			if (len + vlen + 1 > cap) {
				cap = (len + vlen + 1) * 2;
				out = xrealloc(out, cap);
			}
			memcpy(out + len, val, vlen);
			len += vlen;
			p = close + 1;
			continue;
		}
		if (len + 2 > cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		out[len++] = *p++;
	}
	out[len] = '\0';
	if (vars && !nonempty) {
		free(out);
		return NULL;
	}
	return out;
}

static void page_add(struct md_pdf_page *pg, const struct md_layout_el *e, double dx, double dy,
                     char *text, double image_mm, int person)
{
	struct md_pdf_item *it;

	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 64;
		pg->items = xrealloc(pg->items, (size_t)pg->cap * sizeof *pg->items);
	}
	it = &pg->items[pg->n++];
	memset(it, 0, sizeof *it);
	it->name = xstrdup(e->name);
	it->kind = e->kind;
	it->x = e->x + dx;
	it->y = e->y + dy;
	it->w = e->w;
	it->h = e->h;
	it->size = e->size;
	it->min = e->min > 0 ? e->min : e->size;
	it->align = e->align;
	it->text = text;
	it->image_mm = image_mm;
	it->person = person;
}

static void place(struct md_pdf_page *pg, const struct md_layout_el *e, const struct md_vars *a,
                  const struct md_vars *b, double dx, double dy, int person)
{
	char single[64];
	char *text = NULL;
	double mm = 0;

	if (e->kind == MD_EL_FRAME || e->kind == MD_EL_LINE) {
		/* A frame or line whose text names variables is drawn only with them. */
		if (strchr(e->text, '{')) {
			char *t = resolve(e->text, a, b, NULL, 0);
			if (!t)
				return;
			free(t);
		}
	} else {
		text = resolve(e->text, a, b, single, sizeof single);
		if (!text)
			return;
		if (e->kind == MD_EL_IMAGE && single[0]) {
			char key[80];
			const char *v;
			snprintf(key, sizeof key, "%s_mm", single);
			v = md_vars_get(a, key);
			if (!v)
				v = md_vars_get(b, key);
			if (v)
				mm = strtod(v, NULL);
		}
	}
	page_add(pg, e, dx, dy, text, mm, person);
}

int md_pdf_page_count(const struct md_layout *l, int npersons, int individual)
{
	int per = md_layout_slots(l, individual, NULL);
	if (per <= 0 || npersons <= 0)
		return 1;
	return (npersons + per - 1) / per;
}

int md_pdf_build(const struct md_layout *l, const struct md_vars *doc_vars,
                 const struct md_vars *persons, int npersons, int individual,
                 struct md_pdf_doc *out, struct md_error *err)
{
	const struct md_layout_el *slot = NULL;
	int per = md_layout_slots(l, individual, &slot);
	int pages = md_pdf_page_count(l, npersons, individual);

	memset(out, 0, sizeof *out);
	if (per <= 0) {
		for (int i = 0; i < l->n; i++)
			if (l->el[i].slot)
				return md_error_set(err, MD_E_CONFIG, l->name,
				                    _("%s has no slot for the %s format"), l->name,
				                    individual ? "individual" : "household");
	}
	out->npages = pages;
	out->pages = xcalloc((size_t)pages, sizeof *out->pages);
	for (int p = 0; p < pages; p++) {
		struct md_vars pv;
		struct md_pdf_page *pg = &out->pages[p];

		md_vars_init(&pv);
		md_vars_copy(&pv, doc_vars);
		md_vars_setf(&pv, "page", "%d", p + 1);
		md_vars_setf(&pv, "pages", "%d", pages);
		if (per <= 0 && npersons > 0)
			md_vars_copy(&pv, &persons[0]);
		for (int i = 0; i < l->n; i++) {
			const struct md_layout_el *e = &l->el[i];
			if (e->slot || !when_holds(e->when, p, pages, individual))
				continue;
			if (!e->person || per <= 0) {
				place(pg, e, &pv, NULL, 0, 0, e->person && npersons > 0 ? 1 : 0);
				continue;
			}
			for (int k = 0; k < per; k++) {
				int idx = p * per + k;
				if (idx >= npersons)
					break;
				place(pg, e, &persons[idx], &pv, slot->x, slot->y + slot->h * k, idx + 1);
			}
		}
		md_vars_release(&pv);
	}
	return MD_OK;
}

void md_pdf_doc_release(struct md_pdf_doc *d)
{
	for (int p = 0; p < d->npages; p++) {
		for (int i = 0; i < d->pages[p].n; i++) {
			free(d->pages[p].items[i].name);
			free(d->pages[p].items[i].text);
		}
		free(d->pages[p].items);
	}
	free(d->pages);
	free(d->title);
	memset(d, 0, sizeof *d);
}

/* ---- fonts and measuring ----------------------------------------------------------- */

static void set_options(PangoContext *pc)
{
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(pc, 72.0);
}

static int font_check(PangoContext *pc, struct md_error *err)
{
	PangoFontDescription *want = pango_font_description_from_string(MD_PDF_FONT " 10");
	PangoFont *f = pango_context_load_font(pc, want);
	int ok = 0;

	if (f) {
		PangoFontDescription *got = pango_font_describe(f);
		const char *fam = pango_font_description_get_family(got);
		/* fontconfig names the family in the locale's language: under
		 * LANG=ja_JP.UTF-8 the same font is "IPAex明朝". */
		ok = fam && (strcasecmp(fam, MD_PDF_FONT) == 0 || strcmp(fam, MD_PDF_FONT_JA) == 0);
		pango_font_description_free(got);
		g_object_unref(f);
	}
	pango_font_description_free(want);
	if (!ok)
		return md_error_set(err, MD_E_CONFIG, "font",
		                    _("the font %s is not installed (Debian package fonts-ipaexfont-mincho): certificates cannot be printed without it"),
		                    MD_PDF_FONT);
	return MD_OK;
}

static void layout_setup(PangoLayout *lo, const struct md_pdf_item *it, double size)
{
	PangoFontDescription *fd = pango_font_description_from_string(MD_PDF_FONT);

	pango_font_description_set_size(fd, (gint)round_pos(size * PANGO_SCALE));
	pango_layout_set_font_description(lo, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(lo, (int)round_pos(it->w * PT_PER_MM * PANGO_SCALE));
	pango_layout_set_wrap(lo, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(lo, it->align == MD_AL_CENTER ? PANGO_ALIGN_CENTER
	                           : it->align == MD_AL_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	pango_layout_set_text(lo, it->text, -1);
}

static int text_fits(PangoLayout *lo, const struct md_pdf_item *it, double size)
{
	PangoRectangle logical;

	layout_setup(lo, it, size);
	pango_layout_get_extents(lo, NULL, &logical);
	return (double)logical.height / PANGO_SCALE <= it->h * PT_PER_MM + EPS &&
	       (double)logical.width / PANGO_SCALE <= it->w * PT_PER_MM + EPS;
}

static void field_of(const struct md_pdf_item *it, char *buf, size_t n)
{
	snprintf(buf, n, "%s", it->name);
}

/* The image's size in mm (w, h) as it will be printed. */
static int image_size(const struct md_pdf_item *it, cairo_surface_t *img, double *w, double *h,
                      struct md_error *err)
{
	double pw = cairo_image_surface_get_width(img), ph = cairo_image_surface_get_height(img);
	char field[64];

	field_of(it, field, sizeof field);
	if (it->align == MD_AL_FIT) {
		double s = dmin(it->w / pw, it->h / ph);
		*w = pw * s;
		*h = ph * s;
		return MD_OK;
	}
	double ppm = it->image_mm > 0 ? dmax(pw, ph) / it->image_mm : md_png_px_per_mm(it->text);
	if (ppm <= 0)
		return md_error_set(err, MD_E_INVALID, field,
		                    _("%s: the image %s has no resolution (pHYs) and no size was given, so its true size is unknown"),
		                    field, it->text);
	*w = pw / ppm;
	*h = ph / ppm;
	if (*w > it->w + EPS || *h > it->h + EPS)
		return md_error_set(err, MD_E_INVALID, field,
		                    _("%s: the image (%.1f x %.1f mm at its true size) does not fit its box (%.0f x %.0f mm)"),
		                    field, *w, *h, it->w, it->h);
	return MD_OK;
}

static int image_load(const struct md_pdf_item *it, cairo_surface_t **out, struct md_error *err)
{
	cairo_surface_t *img = cairo_image_surface_create_from_png(it->text);
	cairo_status_t st = cairo_surface_status(img);
	char field[64];

	field_of(it, field, sizeof field);
	if (st != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return md_error_set(err, MD_E_IO, field, _("%s: cannot read the PNG image %s: %s"), field,
		                    it->text, cairo_status_to_string(st));
	}
	*out = img;
	return MD_OK;
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MD_ASAN 1
#endif

#ifdef MD_ASAN
/* Under LeakSanitizer (./configure --enable-sanitizers): fontconfig, which
 * pango loads in a thread of its own, keeps parts of its configuration
 * unreachable until the process ends; they are not ours to free. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

/* One font map for the process, held in a global (pango's default one is
 * per thread and its fontconfig patterns look leaked to a leak checker). */
static PangoFontMap *font_map(void)
{
	static PangoFontMap *fm;
	if (!fm)
		fm = pango_cairo_font_map_new();
	return fm;
}

int md_pdf_fit(struct md_pdf_doc *d, struct md_error *err)
{
	PangoContext *pc = pango_font_map_create_context(font_map());
	PangoLayout *lo;
	int rc = MD_OK;

	set_options(pc);
	if ((rc = font_check(pc, err)) != MD_OK) {
		g_object_unref(pc);
		return rc;
	}
	lo = pango_layout_new(pc);
	for (int p = 0; p < d->npages && rc == MD_OK; p++) {
		for (int i = 0; i < d->pages[p].n && rc == MD_OK; i++) {
			struct md_pdf_item *it = &d->pages[p].items[i];
			if (it->kind == MD_EL_IMAGE) {
				cairo_surface_t *img = NULL;
				double w, h;
				if ((rc = image_load(it, &img, err)) == MD_OK) {
					rc = image_size(it, img, &w, &h, err);
					cairo_surface_destroy(img);
				}
				continue;
			}
			if (it->kind != MD_EL_TEXT)
				continue;
			double s = it->size;
			while (!text_fits(lo, it, s) && s - SHRINK_STEP >= it->min - EPS)
				s -= SHRINK_STEP;
			if (!text_fits(lo, it, s)) {
				char field[64], *shown = tw_fit_ellipsis(it->text, 40);
				for (char *q = shown; *q; q++)
					if (*q == '\n')
						*q = ' ';
				field_of(it, field, sizeof field);
				if (it->person)
					rc = md_error_set(err, MD_E_INVALID, field,
					                  _("%s of person %d does not fit its box (%.0f x %.0f mm) even at %.2g pt: \"%s\"; the certificate is not issued"),
					                  field, it->person, it->w, it->h, it->min, shown);
				else
					rc = md_error_set(err, MD_E_INVALID, field,
					                  _("%s does not fit its box (%.0f x %.0f mm) even at %.2g pt: \"%s\"; the certificate is not issued"),
					                  field, it->w, it->h, it->min, shown);
				free(shown);
				break;
			}
			it->fitted = s;
		}
	}
	g_object_unref(lo);
	g_object_unref(pc);
	if (rc == MD_OK)
		d->fitted = 1;
	return rc;
}

/* ---- rendering ------------------------------------------------------------------------- */

/* The image as a mask of black ink: how dark each pixel is (premultiplied:
 * alpha minus luminance), so a red seal on white prints as a black seal and
 * the white disappears; a soft threshold keeps the edges smooth. */
static cairo_surface_t *ink_mask(cairo_surface_t *img)
{
	cairo_surface_t *src = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
	                                                  cairo_image_surface_get_width(img),
	                                                  cairo_image_surface_get_height(img));
	cairo_surface_t *mask;
	cairo_t *cr = cairo_create(src);
	int w, h, ss, ms;
	unsigned char *sp, *mp;

	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_flush(src);
	w = cairo_image_surface_get_width(src);
	h = cairo_image_surface_get_height(src);
	mask = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
	cairo_surface_flush(mask);
	sp = cairo_image_surface_get_data(src);
	mp = cairo_image_surface_get_data(mask);
	ss = cairo_image_surface_get_stride(src);
	ms = cairo_image_surface_get_stride(mask);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			uint32_t px;
			memcpy(&px, sp + (size_t)y * (size_t)ss + (size_t)x * 4, 4);
			double a = (px >> 24) & 0xff, r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
			double ink = a - (0.299 * r + 0.587 * g + 0.114 * b);
			double v = ink <= 24 ? 0 : ink >= 96 ? 255 : (ink - 24) * 255.0 / 72.0;
			mp[(size_t)y * (size_t)ms + (size_t)x] = (unsigned char)round_pos(v);
		}
	}
	cairo_surface_mark_dirty(mask);
	cairo_surface_destroy(src);
	return mask;
}

static int draw_image(cairo_t *cr, const struct md_pdf_item *it, struct md_error *err)
{
	cairo_surface_t *img = NULL, *mask;
	double w, h, pw;
	int rc;

	if ((rc = image_load(it, &img, err)) != MD_OK)
		return rc;
	if ((rc = image_size(it, img, &w, &h, err)) != MD_OK) {
		cairo_surface_destroy(img);
		return rc;
	}
	pw = cairo_image_surface_get_width(img);
	mask = ink_mask(img);
	cairo_save(cr);
	cairo_translate(cr, (it->x + (it->w - w) / 2) * PT_PER_MM, (it->y + (it->h - h) / 2) * PT_PER_MM);
	cairo_scale(cr, w * PT_PER_MM / pw, w * PT_PER_MM / pw);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_mask_surface(cr, mask, 0, 0);
	cairo_restore(cr);
	cairo_surface_destroy(mask);
	cairo_surface_destroy(img);
	return MD_OK;
}

static void draw_text(cairo_t *cr, PangoLayout *lo, const struct md_pdf_item *it)
{
	PangoRectangle logical;
	double top = it->y * PT_PER_MM, height;

	layout_setup(lo, it, it->fitted > 0 ? it->fitted : it->size);
	pango_layout_get_extents(lo, NULL, &logical);
	height = (double)logical.height / PANGO_SCALE;
	/* One line sits in the middle of its box; several start at its top. */
	if (pango_layout_get_line_count(lo) == 1)
		top += (it->h * PT_PER_MM - height) / 2;
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, it->x * PT_PER_MM, top);
	pango_cairo_show_layout(cr, lo);
}

static void draw_watermark(cairo_t *cr, PangoLayout *lo)
{
	PangoFontDescription *fd = pango_font_description_from_string(MD_PDF_FONT " 150");
	PangoRectangle logical;

	pango_layout_set_width(lo, -1);
	pango_layout_set_font_description(lo, fd);
	pango_font_description_free(fd);
	pango_layout_set_alignment(lo, PANGO_ALIGN_LEFT);
	pango_layout_set_text(lo, "見本", -1);
	pango_layout_get_extents(lo, NULL, &logical);
	cairo_save(cr);
	cairo_translate(cr, MD_PDF_A4_W_MM / 2 * PT_PER_MM, MD_PDF_A4_H_MM / 2 * PT_PER_MM);
	cairo_rotate(cr, -0.6283185307179586);   /* -36 degrees */
	cairo_move_to(cr, -(double)logical.width / PANGO_SCALE / 2, -(double)logical.height / PANGO_SCALE / 2);
	cairo_set_source_rgba(cr, 0.45, 0.45, 0.45, 0.35);
	pango_cairo_show_layout(cr, lo);
	cairo_restore(cr);
}

static cairo_status_t write_fd(void *closure, const unsigned char *data, unsigned int length)
{
	int fd = *(int *)closure;
	while (length > 0) {
		ssize_t w = write(fd, data, length);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += w;
		length -= (unsigned int)w;
	}
	return CAIRO_STATUS_SUCCESS;
}

int md_pdf_write(struct md_pdf_doc *d, const char *path, struct md_error *err)
{
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoContext *pc;
	PangoLayout *lo;
	cairo_status_t st;
	int fd, rc = MD_OK;

	if (!d->fitted && (rc = md_pdf_fit(d, err)) != MD_OK)
		return rc;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return md_error_set(err, errno == EEXIST ? MD_E_CONFLICT : MD_E_IO, "spool_dir",
		                    _("%s: cannot create the PDF file: %s"), path, strerror(errno));
	surf = cairo_pdf_surface_create_for_stream(write_fd, &fd, MD_PDF_A4_W_MM * PT_PER_MM,
	                                           MD_PDF_A4_H_MM * PT_PER_MM);
	if (d->title)
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
	cr = cairo_create(surf);
	pc = pango_font_map_create_context(font_map());
	pango_cairo_update_context(cr, pc);
	set_options(pc);
	lo = pango_layout_new(pc);
	cairo_set_line_width(cr, 0.5);
	for (int p = 0; p < d->npages && rc == MD_OK; p++) {
		for (int i = 0; i < d->pages[p].n && rc == MD_OK; i++) {
			const struct md_pdf_item *it = &d->pages[p].items[i];
			switch (it->kind) {
			case MD_EL_TEXT:
				draw_text(cr, lo, it);
				break;
			case MD_EL_FRAME:
				cairo_set_source_rgb(cr, 0, 0, 0);
				cairo_rectangle(cr, it->x * PT_PER_MM, it->y * PT_PER_MM, it->w * PT_PER_MM,
				                it->h * PT_PER_MM);
				cairo_stroke(cr);
				break;
			case MD_EL_LINE:
				cairo_set_source_rgb(cr, 0, 0, 0);
				cairo_move_to(cr, it->x * PT_PER_MM, it->y * PT_PER_MM);
				cairo_line_to(cr, (it->x + it->w) * PT_PER_MM, (it->y + it->h) * PT_PER_MM);
				cairo_stroke(cr);
				break;
			case MD_EL_IMAGE:
				rc = draw_image(cr, it, err);
				break;
			}
		}
		if (d->training)
			draw_watermark(cr, lo);
		cairo_show_page(cr);
	}
	g_object_unref(lo);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_finish(surf);
	st = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	if (rc == MD_OK && st != CAIRO_STATUS_SUCCESS)
		rc = md_error_set(err, MD_E_IO, "spool_dir", _("%s: cannot write the PDF file: %s"), path,
		                  cairo_status_to_string(st));
	if (close(fd) != 0 && rc == MD_OK)
		rc = md_error_set(err, MD_E_IO, "spool_dir", _("%s: cannot write the PDF file: %s"), path,
		                  strerror(errno));
	if (rc != MD_OK)
		unlink(path);
	return rc;
}

/* ---- preview lines ------------------------------------------------------------------- */

static int item_order(const void *a, const void *b)
{
	const struct md_pdf_item *x = *(const struct md_pdf_item *const *)a;
	const struct md_pdf_item *y = *(const struct md_pdf_item *const *)b;

	if (dabs(x->y - y->y) >= 1.0)
		return x->y < y->y ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return 0;
}

static void lines_add(char ***lines, int *n, int *cap, char *s)
{
	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*lines = xrealloc(*lines, (size_t)*cap * sizeof **lines);
	}
	(*lines)[(*n)++] = s;
	(*lines)[*n] = NULL;
}

char **md_pdf_page_lines(const struct md_pdf_doc *d, int page)
{
	const struct md_pdf_page *pg = &d->pages[page];
	const struct md_pdf_item **order = xcalloc((size_t)pg->n + 1, sizeof *order);
	char **lines = NULL, *row = NULL;
	int n = 0, cap = 0, k = 0;
	double row_y = -100;

	lines_add(&lines, &n, &cap, NULL);
	n = 0;
	if (d->training)
		lines_add(&lines, &n, &cap, xstrdup("見本"));
	for (int i = 0; i < pg->n; i++)
		if (pg->items[i].kind == MD_EL_TEXT || pg->items[i].kind == MD_EL_IMAGE)
			order[k++] = &pg->items[i];
	qsort(order, (size_t)k, sizeof *order, item_order);
	for (int i = 0; i < k; i++) {
		const struct md_pdf_item *it = order[i];
		char *text = it->kind == MD_EL_IMAGE ? xasprintf("[%s]", it->name) : xstrdup(it->text);
		if (strchr(text, '\n')) {
			char *save = NULL, *tok;
			if (row)
				lines_add(&lines, &n, &cap, row);
			row = NULL;
			for (tok = strtok_r(text, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save))
				lines_add(&lines, &n, &cap, xstrdup(tok));
			free(text);
			row_y = -100;
			continue;
		}
		if (row && dabs(it->y - row_y) < 1.0) {
			char *j = xasprintf("%s  %s", row, text);
			free(row);
			free(text);
			row = j;
			continue;
		}
		if (row)
			lines_add(&lines, &n, &cap, row);
		row = text;
		row_y = it->y;
	}
	if (row)
		lines_add(&lines, &n, &cap, row);
	free(order);
	return lines;
}

void md_pdf_lines_free(char **lines)
{
	if (!lines)
		return;
	for (char **l = lines; *l; l++)
		free(*l);
	free(lines);
}

/* ---- spool and printing ----------------------------------------------------------------------------- */

int md_pdf_spool_dir(const char *spool_dir, const char *db_dir, char **out, struct md_error *err)
{
	char *dir;
	struct stat stt;

	if (spool_dir && spool_dir[0])
		dir = xstrdup(spool_dir);
	else
		dir = xasprintf("%s", db_dir);   /* the caller passes <db>.spool */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		md_error_set(err, MD_E_IO, "print.spool_dir", _("%s: cannot create the spool directory: %s"),
		             dir, strerror(errno));
		free(dir);
		return MD_E_IO;
	}
	if (stat(dir, &stt) != 0 || !S_ISDIR(stt.st_mode)) {
		md_error_set(err, MD_E_IO, "print.spool_dir", _("%s: the spool directory is not a directory"), dir);
		free(dir);
		return MD_E_IO;
	}
	*out = dir;
	return MD_OK;
}

int md_pdf_print(const char *command, const char *path, struct md_error *err)
{
	char *copy, *save = NULL, *tok, *argv[34], msg[400];
	posix_spawn_file_actions_t fa;
	int argc = 0, pipefd[2], status = 0, rc;
	pid_t pid;
	ssize_t got;
	size_t len = 0;

	if (!command || !command[0])
		return MD_OK;
	copy = xstrdup(command);
	for (tok = strtok_r(copy, " \t", &save); tok && argc < 32; tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	if (argc == 0) {
		free(copy);
		return MD_OK;
	}
	argv[argc++] = (char *)path;
	argv[argc] = NULL;
	if (pipe(pipefd) != 0) {
		free(copy);
		return md_error_set(err, MD_E_IO, "print.command", _("cannot run the print command: %s"),
		                    strerror(errno));
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		md_error_set(err, MD_E_IO, "print.command", _("cannot run the print command %s: %s"), argv[0],
		             strerror(rc));
		free(copy);
		return MD_E_IO;
	}
	msg[0] = '\0';
	while ((got = read(pipefd[0], msg + len, sizeof msg - 1 - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)got;
		if (len == sizeof msg - 1) {
			char sink[256];
			while (read(pipefd[0], sink, sizeof sink) > 0)
				;
			break;
		}
	}
	msg[len] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (char *q = msg; *q; q++)
		if (*q == '\n' || *q == '\r' || *q == '\t')
			*q = ' ';
	rc = MD_OK;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		rc = md_error_set(err, MD_E_IO, "print.command",
		                  _("the print command %s failed (exit status %d)%s%s"), argv[0],
		                  WEXITSTATUS(status), msg[0] ? ": " : "", msg);
	else if (WIFSIGNALED(status))
		rc = md_error_set(err, MD_E_IO, "print.command", _("the print command %s was killed (signal %d)"),
		                  argv[0], WTERMSIG(status));
	free(copy);
	return rc;
}

/* ---- PNG resolution ------------------------------------------------------------------- */

static unsigned long be32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) | ((unsigned long)p[2] << 8) | p[3];
}

double md_png_px_per_mm(const char *path)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char head[8], data[9];
	double out = 0;
	FILE *f = fopen(path, "rb");

	if (!f)
		return 0;
	if (fread(head, 1, 8, f) != 8 || memcmp(head, sig, 8) != 0)
		goto done;
	while (fread(head, 1, 8, f) == 8) {
		unsigned long len = be32(head);
		if (memcmp(head + 4, "IDAT", 4) == 0 || memcmp(head + 4, "IEND", 4) == 0)
			break;
		if (memcmp(head + 4, "pHYs", 4) == 0 && len == 9) {
			if (fread(data, 1, 9, f) == 9 && data[8] == 1 && be32(data) > 0)
				out = (double)be32(data) / 1000.0;
			break;
		}
		if (len > 0x7fffffffUL || fseek(f, (long)len + 4, SEEK_CUR) != 0)
			break;
	}
done:
	fclose(f);
	return out;
}
