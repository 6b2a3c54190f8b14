/* version.h — the one place the version number lives. */
#ifndef DYADSEQ_VERSION_H
#define DYADSEQ_VERSION_H

#define DS_VERSION "0.1.0"

/* Format version of the results file (root attribute format_version). */
#define DS_FORMAT_VERSION 1

#endif
