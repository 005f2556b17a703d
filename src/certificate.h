/* certificate.h: being written. */
#ifndef MD_CERTIFICATE_H
#define MD_CERTIFICATE_H
#endif
