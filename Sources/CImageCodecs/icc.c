// ICC profile description and conversion to sRGB through lcms2 (which reports errors through a
// log handler, never longjmp; the handler is silenced so bad profiles just fail to open).
#include "CImageCodecs.h"

#include <stdio.h>
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

int vc_icc_to_srgb(const uint8_t *icc, size_t length, uint8_t *pixels, int width, int height, int channels,
                   size_t stride, vc_result *result) {
    result->status = VC_OK;
    result->message[0] = 0;
    if (!pixels || width <= 0 || height <= 0 || (channels != 3 && channels != 4)) {
        result->status = VC_INVALID_ARGUMENT;
        snprintf(result->message, sizeof result->message, "ICC conversion needs RGB or RGBA pixels");
        return result->status;
    }
    cmsHPROFILE source = open_profile(icc, length);
    if (!source || cmsGetColorSpace(source) != cmsSigRgbData) {
        if (source) cmsCloseProfile(source);
        result->status = VC_UNSUPPORTED;
        snprintf(result->message, sizeof result->message, "ICC profile is not a usable RGB profile");
        return result->status;
    }
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsUInt32Number format = channels == 4 ? TYPE_RGBA_8 : TYPE_RGB_8;
    cmsHTRANSFORM transform = srgb ? cmsCreateTransform(source, format, srgb, format, INTENT_PERCEPTUAL,
                                                        channels == 4 ? cmsFLAGS_COPY_ALPHA : 0)
                                   : NULL;
    cmsCloseProfile(source);
    if (srgb) cmsCloseProfile(srgb);
    if (!transform) {
        result->status = VC_UNSUPPORTED;
        snprintf(result->message, sizeof result->message, "lcms2 could not build a transform to sRGB");
        return result->status;
    }
    cmsDoTransformLineStride(transform, pixels, pixels, (cmsUInt32Number)width, (cmsUInt32Number)height,
                             (cmsUInt32Number)stride, (cmsUInt32Number)stride, 0, 0);
    cmsDeleteTransform(transform);
    return VC_OK;
}
