// The only place in Visage that touches libjpeg-turbo and libpng. Their errors longjmp; the shim
// catches them with setjmp and returns a status plus a message instead.
#ifndef VISAGE_CIMAGECODECS_H
#define VISAGE_CIMAGECODECS_H

#ifdef __cplusplus
extern "C" {
#endif

/// libjpeg-turbo's version as an integer (e.g. 2001005 for 2.1.5).
int vc_jpeg_library_version(void);

/// libpng's version string (e.g. "1.6.39").
const char *vc_png_library_version(void);

#ifdef __cplusplus
}
#endif
#endif
