// ICC profile description and conversion to sRGB through lcms2 (which reports errors through a
// log handler, never longjmp; the handler is silenced so bad profiles just fail to open).
#include "CImageCodecs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lcms2.h>

static void quiet(cmsContext context, cmsUInt32Number code, const char *text) {
    (void)context; (void)code; (void)text;
}

static cmsHPROFILE open_profile(const uint8_t *icc, size_t length) {
    static int silenced = 0;
    if (!silenced) { cmsSetLogErrorHandler(quiet); silenced = 1; }
    if (!icc || length < 128 || length > 0x7FFFFFFF) return NULL;
    return cmsOpenProfileFromMem(icc, (cmsUInt32Number)length);
}

int vc_icc_describe(const uint8_t *icc, size_t length, char *description, size_t description_size) {
    if (description && description_size) description[0] = 0;
    cmsHPROFILE profile = open_profile(icc, length);
    if (!profile) return 0;
    int kind;
    switch (cmsGetColorSpace(profile)) {
    case cmsSigGrayData: kind = 1; break;
    case cmsSigRgbData: kind = 2; break;
    case cmsSigCmykData: kind = 3; break;
    default: kind = 4; break;
    }
    if (description && description_size)
        cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", description,
                               (cmsUInt32Number)description_size);
    cmsCloseProfile(profile);
    return kind;
}

// Transforms to sRGB, built once per distinct profile and pixel format and kept for the process:
// building one (lcms2 optimises an 8-bit pipeline) costs ~3 ms, as much as applying it to a
// 0.3-megapixel photo, and a batch's photos mostly share a few profiles. Built with
// cmsFLAGS_NOCACHE so threads can apply one transform at once (the flag only drops lcms2's
// one-pixel memo, not a bit of the result). At most `TRANSFORM_SLOTS` are kept; beyond them each
// call builds and deletes its own, as before the cache.
enum { TRANSFORM_SLOTS = 16 };
static struct {
    uint8_t *icc;
    size_t length;
    int channels;
    cmsHTRANSFORM transform;
} transforms[TRANSFORM_SLOTS];
static int transform_count;
static pthread_mutex_t transforms_lock = PTHREAD_MUTEX_INITIALIZER;

/// NULL with `*not_rgb` set when the profile cannot be opened or is not an RGB profile.
static cmsHTRANSFORM build_transform(const uint8_t *icc, size_t length, int channels, int *not_rgb) {
    cmsHPROFILE source = open_profile(icc, length);
    *not_rgb = !source || cmsGetColorSpace(source) != cmsSigRgbData;
    if (*not_rgb) {
        if (source) cmsCloseProfile(source);
        return NULL;
    }
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsUInt32Number format = channels == 4 ? TYPE_RGBA_8 : TYPE_RGB_8;
    cmsHTRANSFORM transform = srgb ? cmsCreateTransform(source, format, srgb, format, INTENT_PERCEPTUAL,
                                                        cmsFLAGS_NOCACHE | (channels == 4 ? cmsFLAGS_COPY_ALPHA : 0))
                                   : NULL;
    cmsCloseProfile(source);
    if (srgb) cmsCloseProfile(srgb);
    return transform;
}

/// The kept transform for these profile bytes and channel count, or NULL; under `transforms_lock`.
static cmsHTRANSFORM kept_transform(const uint8_t *icc, size_t length, int channels) {
    for (int i = 0; i < transform_count; i++) {
        if (transforms[i].channels == channels && transforms[i].length == length &&
            memcmp(transforms[i].icc, icc, length) == 0)
            return transforms[i].transform;
    }
    return NULL;
}

/// The kept transform for these profile bytes and channel count, built (and kept while there is a
/// free slot) if need be; NULL when there is none (`*not_rgb` says whether the profile is at fault).
/// `*owned` is set when the caller must delete the transform after use (no slot was free).
static cmsHTRANSFORM transform_for(const uint8_t *icc, size_t length, int channels, int *owned, int *not_rgb) {
    *owned = 0;
    *not_rgb = 0;
    pthread_mutex_lock(&transforms_lock);
    cmsHTRANSFORM found = kept_transform(icc, length, channels);
    pthread_mutex_unlock(&transforms_lock);
    if (found) return found;
    cmsHTRANSFORM built = build_transform(icc, length, channels, not_rgb);
    if (!built) return NULL;
    pthread_mutex_lock(&transforms_lock);
    found = kept_transform(icc, length, channels);   // built meanwhile by another thread: use that one
    uint8_t *copy = !found && transform_count < TRANSFORM_SLOTS ? malloc(length) : NULL;
    if (copy) {
        memcpy(copy, icc, length);
        transforms[transform_count].icc = copy;
        transforms[transform_count].length = length;
        transforms[transform_count].channels = channels;
        transforms[transform_count].transform = built;
        transform_count++;
    }
    pthread_mutex_unlock(&transforms_lock);
    if (found) {
        cmsDeleteTransform(built);
        return found;
    }
    *owned = !copy;
    return built;
}

int vc_icc_to_srgb(const uint8_t *icc, size_t length, uint8_t *pixels, int width, int height, int channels,
                   size_t stride, vc_result *result) {
    result->status = VC_OK;
    result->message[0] = 0;
    if (!pixels || width <= 0 || height <= 0 || (channels != 3 && channels != 4)) {
        result->status = VC_INVALID_ARGUMENT;
        snprintf(result->message, sizeof result->message, "ICC conversion needs RGB or RGBA pixels");
        return result->status;
    }
    int owned, not_rgb;
    cmsHTRANSFORM transform = transform_for(icc, length, channels, &owned, &not_rgb);
    if (!transform) {
        result->status = VC_UNSUPPORTED;
        snprintf(result->message, sizeof result->message,
                 not_rgb ? "ICC profile is not a usable RGB profile" : "lcms2 could not build a transform to sRGB");
        return result->status;
    }
    cmsDoTransformLineStride(transform, pixels, pixels, (cmsUInt32Number)width, (cmsUInt32Number)height,
                             (cmsUInt32Number)stride, (cmsUInt32Number)stride, 0, 0);
    if (owned) cmsDeleteTransform(transform);
    return VC_OK;
}
