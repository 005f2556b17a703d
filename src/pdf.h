/* pdf.h: being written. */
#ifndef MD_PDF_H
#define MD_PDF_H
#endif
