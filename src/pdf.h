/* pdf.h: certificate layouts (data), the page model built from them, and
 * its rendering to an A4 portrait PDF with cairo and pango (IPAex Mincho,
 * embedded).
 *
 * A layout is a tab-separated file in data/certificates/ (one per
 * certificate type, embedded at build time), one element per line:
 *
 *   element  kind  when  x  y  w  h  size  min  align  text
 *
 *   element  the element's name; the error of a text that does not fit
 *            names it. "slot" rows define where persons go (see below);
 *            a name starting with "p." is placed once per person, x and y
 *            counting from the person's slot.
 *   kind     text, frame (a rectangle's outline), line (from x,y to
 *            x+w,y+h) or image (a PNG: text names its variable).
 *   when     "-" (every page), or conditions separated by commas, all of
 *            which must hold: last, notlast, first, household (世帯連記式),
 *            individual (個人票).
 *   x y w h  the box, in millimetres from the top left corner of the page.
 *   size     the font size in points; min: the smallest size the text may
 *            be shrunk to when it does not fit (0: no shrinking).
 *   align    left, center or right; for an image: fit (scaled into the
 *            box) or true (its true size, centred in the box).
 *   text     a template: {name} is replaced by the value of variable name;
 *            \n is a line break. An element is left out when a variable it
 *            names has no value (an item omitted), or when every variable it
 *            names is empty. {?name} prints nothing: the element appears
 *            only when the variable has a value (a condition).
 *
 * A "slot" row (kind frame or text, ignored as such) gives the first
 * person's box; text is the number of persons on a page; the next persons'
 * boxes follow below it, each h millimetres further down. Its when picks
 * the format (household or individual). A layout without slot rows shows
 * one person, whose variables join the page's.
 *
 * The page model is what is printed: the items of each page with their
 * texts resolved. md_pdf_fit() shrinks each text until it fits its box and
 * refuses (MD_E_INVALID, field = the element name without "p.") when it
 * does not fit at its minimum size; md_pdf_write() renders the pages. */
#ifndef MD_PDF_H
#define MD_PDF_H

#include <stddef.h>
#include "error.h"

#define MD_PDF_FONT "IPAexMincho"
/* Its family name as fontconfig gives it in a Japanese locale. */
#define MD_PDF_FONT_JA "IPAex明朝"
#define MD_PDF_A4_W_MM 210.0
#define MD_PDF_A4_H_MM 297.0

/* ---- variables ------------------------------------------------------------ */

/* Named values for templates; a name set to NULL has no value (omitted). */
struct md_vars {
	int n, cap;
	char **key;
	char **val;
};

void md_vars_init(struct md_vars *v);
/* Sets (a copy) or, with val NULL, removes. */
void md_vars_set(struct md_vars *v, const char *key, const char *val);
void md_vars_setf(struct md_vars *v, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value, or NULL when the variable has none. */
const char *md_vars_get(const struct md_vars *v, const char *key);
void md_vars_copy(struct md_vars *dst, const struct md_vars *src);
void md_vars_release(struct md_vars *v);

/* ---- layouts --------------------------------------------------------------- */

enum md_el_kind { MD_EL_TEXT, MD_EL_FRAME, MD_EL_LINE, MD_EL_IMAGE };

enum md_el_when {
	MD_WHEN_LAST = 1 << 0,
	MD_WHEN_NOTLAST = 1 << 1,
	MD_WHEN_FIRST = 1 << 2,
	MD_WHEN_HOUSEHOLD = 1 << 3,
	MD_WHEN_INDIVIDUAL = 1 << 4,
};

enum md_el_align { MD_AL_LEFT, MD_AL_CENTER, MD_AL_RIGHT, MD_AL_FIT, MD_AL_TRUE };

struct md_layout_el {
	char *name;
	enum md_el_kind kind;
	unsigned when;
	double x, y, w, h;        /* mm */
	double size, min;         /* pt */
	enum md_el_align align;
	char *text;               /* template, \n already a line break */
	int person;               /* a "p." element */
	int slot;                 /* a "slot" row: text is the persons per page */
	long line;                /* in the file */
};

struct md_layout {
	char name[64];
	int n;
	struct md_layout_el *el;
};

/* Parses a layout; name is used in messages (e.g. "juminhyo.tsv"). Errors
 * name the file and line (err->line) and the column. */
int md_layout_parse(const char *text, const char *name, struct md_layout *out,
                    struct md_error *err);
void md_layout_release(struct md_layout *l);
/* The persons per page for a format (individual 0/1), or 0 when the layout
 * has no slot for it; *slot (may be NULL) receives the slot row. */
int md_layout_slots(const struct md_layout *l, int individual, const struct md_layout_el **slot);

/* ---- the page model --------------------------------------------------------- */

struct md_pdf_item {
	char *name;               /* element name (without "p.") */
	enum md_el_kind kind;
	double x, y, w, h;        /* mm, on the page */
	double size, min;         /* pt */
	double fitted;            /* size chosen by md_pdf_fit(), 0 before */
	enum md_el_align align;
	char *text;               /* resolved text, or the image's file */
	double image_mm;          /* image: true size of the longer side, 0: from its pHYs */
	int person;               /* the person (1-based) of a "p." item, 0 otherwise */
};

struct md_pdf_page {
	int n, cap;
	struct md_pdf_item *items;
};

struct md_pdf_doc {
	int npages;
	struct md_pdf_page *pages;
	int training;             /* 「見本」 across every page */
	char *title;              /* PDF metadata */
	int fitted;
};

/* Builds the pages: doc_vars hold the page-level values; persons[i] the
 * values of each person, in printed order. Each page also gets the
 * variables page and pages. individual selects the slot (and the when
 * conditions household/individual). With slots, persons fill the slots
 * page by page; without, persons[0] (if any) joins the page's values and
 * there is one page. */
int md_pdf_build(const struct md_layout *l, const struct md_vars *doc_vars,
                 const struct md_vars *persons, int npersons, int individual,
                 struct md_pdf_doc *out, struct md_error *err);
/* The number of pages md_pdf_build would make. */
int md_pdf_page_count(const struct md_layout *l, int npersons, int individual);
void md_pdf_doc_release(struct md_pdf_doc *d);

/* Shrinks every text to fit its box (0.25 pt steps, down to min); a text
 * that does not fit even then fails with MD_E_INVALID, field = the element.
 * Images are checked too: missing or unreadable files (MD_E_IO), a true-size
 * image larger than its box (MD_E_INVALID). Fails with MD_E_CONFIG when the
 * font is not installed. */
int md_pdf_fit(struct md_pdf_doc *d, struct md_error *err);

/* Writes the document as PDF (fitting it first if needed) to a new file
 * (refuses to overwrite: MD_E_CONFLICT), mode 0600. */
int md_pdf_write(struct md_pdf_doc *d, const char *path, struct md_error *err);

/* The text lines of a page in reading order (top to bottom, left to
 * right), for a preview on a terminal: each text item's lines; an image as
 * [name]; 「見本」 first on a training document. Allocated, NULL-terminated. */
char **md_pdf_page_lines(const struct md_pdf_doc *d, int page);
void md_pdf_lines_free(char **lines);

/* ---- spool and printing ----------------------------------------------------------- */

/* The spool directory (allocated): spool_dir when set, else db_dir +
 * "/spool"; created (mode 0700) when missing. MD_E_IO, field
 * "print.spool_dir", when it cannot be. */
int md_pdf_spool_dir(const char *spool_dir, const char *db_dir, char **out, struct md_error *err);
/* Runs command (words separated by spaces, no shell) with path as its last
 * argument, its output discarded but for the first part of its error output,
 * which a failure (MD_E_IO, field "print.command") quotes. MD_OK when command
 * is empty. */
int md_pdf_print(const char *command, const char *path, struct md_error *err);

/* The resolution of a PNG file from its pHYs chunk, in pixels per mm; 0
 * when it has none (or the file is not a PNG). */
double md_png_px_per_mm(const char *path);

#endif
