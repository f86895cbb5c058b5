// Huffman decoding of JPEG scans (ITU-T T.81 F.2.2 and G.1.2), plugged into libjpeg-turbo in place
// of its own entropy decoder. libjpeg still parses markers, manages coefficients, runs the IDCT,
// upsampling and colour conversion; only the step that turns entropy-coded bytes into DCT
// coefficients is ours, because it is the bottleneck (docs/PERFORMANCE.md: with libjpeg's own, a
// 1/8-scale decode costs 70 % of a full one) and libjpeg-turbo's is slow in two common cases:
// progressive refinement scans (one bit at a time) and any file with restart markers (always its
// slow path).
//
// How it is faster: each scan's bytes are first copied out without their stuffed zero bytes and
// restart markers (one memchr pass), so the bit reader never looks for markers and refills 56 bits
// at a time without branches; codes of up to 10 bits, together with the coefficient bits that follow
// them, are decoded by one table look-up; refinement scans pass over coefficients with bit masks
// and, with AVX-512, apply each block's correction bits in two vector adds.
//
// How it stays exact: the decoder handles clean data only. A code that is in no table, a restart
// marker that is missing, misplaced or misnumbered, a scan that needs more bits than it has or
// leaves bytes before the next marker, a coefficient past the end of its band, or a DC value that
// would overflow: all of these call the caller's `bail`, and the caller decodes the whole file
// again with libjpeg alone, which then warns, errors or pads exactly as it always does. Clean data
// decodes to the same coefficients either way (the tests compare every JPEG in ../shared/data and
// mutated copies of them, pixel for pixel and warning for warning).
//
// It depends on the public part of two libjpeg-internal structs (jpegint.h), unchanged since IJG 6b
// and in every libjpeg-turbo release: `jpeg_entropy_decoder` {start_pass, decode_mcu,
// insufficient_data} and `jpeg_marker_reader` up to `next_restart_num`. Other libjpeg builds
// compile without it (vc_entropy_install returns 0).
#include "jpeg_entropy.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#if defined(LIBJPEG_TURBO_VERSION_NUMBER) && JPEG_LIB_VERSION == 62 && BITS_IN_JSAMPLE == 8 && \
    LIBJPEG_TURBO_VERSION_NUMBER >= 2000000 && LIBJPEG_TURBO_VERSION_NUMBER < 4000000
#define VC_ENTROPY_AVAILABLE 1
#else
#define VC_ENTROPY_AVAILABLE 0
#endif

#if VC_ENTROPY_AVAILABLE

struct jpeg_entropy_decoder {
    void (*start_pass)(j_decompress_ptr cinfo);
    boolean (*decode_mcu)(j_decompress_ptr cinfo, JBLOCKROW *MCU_data);
    boolean insufficient_data;
};

struct jpeg_marker_reader {
    void (*reset_marker_reader)(j_decompress_ptr cinfo);
    int (*read_markers)(j_decompress_ptr cinfo);
    jpeg_marker_parser_method read_restart_marker;
    boolean saw_SOI;
    boolean saw_SOF;
    int next_restart_num;
    unsigned int discarded_bytes;
};

/// Bits decoded by one table look-up.
#define LOOKUP_BITS 10
/// Zero bytes after a scan's copied data: a block reads at most 64 × 31 bits (≈ 250 bytes) before
/// the reader's position is checked, and a refill loads 8 bytes.
#define TAIL_PADDING 1024

/// Zigzag position → natural (row-major) position in the 8×8 block (T.81 figure A.6).
static const uint8_t natural_order[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

/// One Huffman table, ready for decoding.
typedef struct {
    /// Next LOOKUP_BITS bits → (code length << 8) | symbol; 0 when the code is longer.
    uint16_t symbol[1 << LOOKUP_BITS];
    /// Next LOOKUP_BITS bits → (value << 16) | (run << 8) | bits used, when the code and the value
    /// bits that follow it both fit (AC: run/size symbols with size > 0; DC: every size); else 0.
    int32_t value[1 << LOOKUP_BITS];
    /// Canonical decoding of longer codes: the largest code of each length (−1: none) and the
    /// offset from a code of that length to its symbol's index.
    int32_t max_code[17];
    int32_t value_offset[17];
    uint8_t symbols[256];
} vc_table;

/// Bit reader over a scan's copied data: `bits` valid bits at the top of `acc`, `next` the first
/// byte not yet counted in them.
typedef struct {
    const uint8_t *next;
    uint64_t acc;
    int bits;
} vc_reader;

enum { SCAN_SEQUENTIAL, SCAN_DC_FIRST, SCAN_DC_REFINE, SCAN_AC_FIRST, SCAN_AC_REFINE };

struct vc_entropy {
    void (*bail)(j_decompress_ptr);
    void (*libjpeg_start_pass)(j_decompress_ptr);
    int installed, avx512;

    // The current scan's data without stuffing, its restart segments and where it ends in the file.
    uint8_t *data;
    size_t data_length, data_capacity;
    size_t *segment_end;  // offset in `data` where each restart marker was
    size_t segments, segment_capacity, next_segment;
    const uint8_t *marker_in_source;

    vc_reader reader;
    int Ss, Se, Al;
    unsigned restart_interval, restarts_to_go, eob_run;
    unsigned long mcus_left;
    // AC scans: blocks in a row; the blocks of the row decoded last that libjpeg has not yet
    // called for ([row_next, row_end)).
    unsigned row_length;
    JBLOCKROW row_next, row_end;
    int last_dc[MAX_COMPS_IN_SCAN];
    int blocks;
    int component_of_block[D_MAX_BLOCKS_IN_MCU];
    const vc_table *dc_of_block[D_MAX_BLOCKS_IN_MCU];
    const vc_table *ac_of_block[D_MAX_BLOCKS_IN_MCU];
    vc_table dc_tables[NUM_HUFF_TBLS], ac_tables[NUM_HUFF_TBLS];
    JBLOCK scratch;
};

vc_entropy *vc_entropy_create(void) { return calloc(1, sizeof(struct vc_entropy)); }

void vc_entropy_destroy(vc_entropy *e) {
    if (!e) return;
    free(e->data);
    free(e->segment_end);
    free(e);
}

// MARK: tables

/// T.81 F.2.2.1 EXTEND: `bits` read as an `size`-bit magnitude category → signed value.
static inline int extend(unsigned bits, int size) {
    return bits < (1u << (size - 1)) ? (int)bits - (int)(1u << size) + 1 : (int)bits;
}

/// Builds `t` from a DHT table; 0 when the table cannot be decoded (libjpeg has already refused
/// such tables in its own start_pass, so this is a second line of defence).
static int build_table(vc_table *t, const JHUFF_TBL *h, int is_ac) {
    if (!h) return 0;
    memset(t->symbol, 0, sizeof t->symbol);
    memset(t->value, 0, sizeof t->value);
    memcpy(t->symbols, h->huffval, sizeof t->symbols);
    unsigned code = 0;
    int index = 0;
    t->max_code[0] = -1;
    t->value_offset[0] = 0;
    for (int length = 1; length <= 16; length++) {
        int count = h->bits[length];
        if (index + count > 256) return 0;
        t->value_offset[length] = index - (int)code;
        for (int i = 0; i < count; i++, index++, code++) {
            if (code >= (1u << length)) return 0;  // over-subscribed lengths
            if (length > LOOKUP_BITS) continue;
            int shift = LOOKUP_BITS - length;
            int symbol = h->huffval[index];
            for (unsigned fill = code << shift; fill < ((code + 1) << shift); fill++) {
                t->symbol[fill] = (uint16_t)(length << 8 | symbol);
                int run = is_ac ? symbol >> 4 : 0, size = is_ac ? symbol & 15 : symbol;
                if (size > 15 || (is_ac && size == 0) || length + size > LOOKUP_BITS) continue;
                int value = size ? extend((fill >> (shift - size)) & ((1u << size) - 1), size) : 0;
                t->value[fill] = (int32_t)((uint32_t)value << 16 | (uint32_t)run << 8 | (uint32_t)(length + size));
            }
        }
        t->max_code[length] = count ? (int32_t)code - 1 : -1;
        code <<= 1;
    }
    return 1;
}

// MARK: bit reading

static inline uint64_t load_be64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

/// Tops the reader up to at least 56 valid bits (branch-free; the data is padded).
static inline void refill(vc_reader *r) {
    r->acc |= load_be64(r->next) >> r->bits;
    r->next += (63 - r->bits) >> 3;
    r->bits |= 56;
}

static inline void skip_bits(vc_reader *r, int n) {
    r->acc <<= n;
    r->bits -= n;
}

/// `n` (1...16) bits as an unsigned number.
static inline unsigned take_bits(vc_reader *r, int n) {
    unsigned v = (unsigned)(r->acc >> (64 - n));
    skip_bits(r, n);
    return v;
}

static inline int take_bit(vc_reader *r) {
    int v = (int)(r->acc >> 63);
    skip_bits(r, 1);
    return v;
}

/// The next symbol of table `t`, or −1 for a code that is in no table. Needs 16 valid bits.
static inline int decode_symbol(vc_reader *r, const vc_table *t) {
    unsigned entry = t->symbol[r->acc >> (64 - LOOKUP_BITS)];
    if (entry) {
        skip_bits(r, (int)(entry >> 8));
        return (int)(entry & 0xFF);
    }
    unsigned peek = (unsigned)(r->acc >> 48);
    for (int length = LOOKUP_BITS + 1; length <= 16; length++) {
        int32_t code = (int32_t)(peek >> (16 - length));
        if (code <= t->max_code[length]) {
            skip_bits(r, length);
            return t->symbols[(code + t->value_offset[length]) & 0xFF];
        }
    }
    return -1;
}

/// Bits the reader has used since `start`.
static inline size_t bits_used(const vc_reader *r, const uint8_t *start) {
    return (size_t)(r->next - start) * 8 - (size_t)r->bits;
}

// MARK: scans

static inline vc_entropy *state(j_decompress_ptr cinfo) { return vc_jpeg_entropy_of(cinfo); }

/// Copies the scan's entropy-coded bytes, from the source's current position to the first marker
/// that is not an expected restart marker, without stuffed zeros; records where restarts were.
static void copy_scan_data(vc_entropy *e, j_decompress_ptr cinfo) {
    const uint8_t *in = cinfo->src->next_input_byte;
    size_t n = cinfo->src->bytes_in_buffer;
    if (!in || cinfo->unread_marker != 0) e->bail(cinfo);
    if (e->data_capacity < n + TAIL_PADDING) {
        free(e->data);
        e->data_capacity = n + TAIL_PADDING;
        e->data = malloc(e->data_capacity);
        if (!e->data) { e->data_capacity = 0; e->bail(cinfo); }
    }
    uint8_t *out = e->data;
    size_t i = 0, o = 0;
    int expected_restart = cinfo->marker->next_restart_num & 7;
    e->segments = 0;
    e->marker_in_source = NULL;
    while (i < n) {
        const uint8_t *ff = memchr(in + i, 0xFF, n - i);
        size_t chunk = ff ? (size_t)(ff - (in + i)) : n - i;
        memcpy(out + o, in + i, chunk);
        o += chunk;
        i += chunk;
        if (!ff || i + 1 >= n) break;  // the file ends inside the scan: libjpeg's case
        uint8_t m = in[i + 1];
        if (m == 0) {
            out[o++] = 0xFF;
            i += 2;
        } else if (m >= 0xD0 && m <= 0xD7 && e->restart_interval) {
            if (m != 0xD0 + expected_restart) break;
            expected_restart = (expected_restart + 1) & 7;
            if (e->segments == e->segment_capacity) {
                size_t capacity = e->segment_capacity ? e->segment_capacity * 2 : 256;
                size_t *grown = realloc(e->segment_end, capacity * sizeof *grown);
                if (!grown) e->bail(cinfo);
                e->segment_end = grown;
                e->segment_capacity = capacity;
            }
            e->segment_end[e->segments++] = o;
            i += 2;
        } else if (m == 0xFF) {
            break;  // fill bytes before a marker: libjpeg's case
        } else {
            e->marker_in_source = in + i;
            break;
        }
    }
    if (!e->marker_in_source) e->bail(cinfo);
    memset(out + o, 0, TAIL_PADDING);
    e->data_length = o;
    e->next_segment = 0;
    e->reader = (vc_reader){.next = e->data, .acc = 0, .bits = 0};
}

/// At a restart interval's end: the reader must be exactly at the next restart marker.
static void take_restart(vc_entropy *e, j_decompress_ptr cinfo) {
    size_t bytes = (bits_used(&e->reader, e->data) + 7) / 8;
    if (e->next_segment >= e->segments || bytes != e->segment_end[e->next_segment]) e->bail(cinfo);
    e->reader = (vc_reader){.next = e->data + bytes, .acc = 0, .bits = 0};
    e->next_segment++;
    cinfo->marker->next_restart_num = (cinfo->marker->next_restart_num + 1) & 7;
    memset(e->last_dc, 0, sizeof e->last_dc);
    e->eob_run = 0;
    e->restarts_to_go = e->restart_interval;
}

/// Before each MCU: the decoder's state, after the restart marker that is due, if one is.
static inline vc_entropy *begin_mcu(j_decompress_ptr cinfo) {
    vc_entropy *e = state(cinfo);
    if (e->restart_interval) {
        if (e->restarts_to_go == 0) take_restart(e, cinfo);
        e->restarts_to_go--;
    }
    return e;
}

/// After each MCU, with the reader it advanced: a guard against reading past the padding on bad
/// data; at the scan's last MCU, every byte must have been used, and libjpeg's source is left at
/// the marker that follows, as libjpeg's own decoder leaves it.
static inline boolean end_mcu(vc_entropy *e, j_decompress_ptr cinfo, const vc_reader *reader) {
    e->reader = *reader;
    if (e->reader.next > e->data + e->data_length + 8) e->bail(cinfo);
    if (--e->mcus_left) return TRUE;
    size_t bytes = (bits_used(&e->reader, e->data) + 7) / 8;
    if (bytes != e->data_length || e->next_segment != e->segments) e->bail(cinfo);
    const uint8_t *end = cinfo->src->next_input_byte + cinfo->src->bytes_in_buffer;
    cinfo->src->next_input_byte = e->marker_in_source;
    cinfo->src->bytes_in_buffer = (size_t)(end - e->marker_in_source);
    return TRUE;
}

/// A DC difference (T.81 F.2.2.1); bails on a bad code.
static inline int decode_dc_difference(vc_entropy *e, j_decompress_ptr cinfo, vc_reader *r, const vc_table *t) {
    int32_t entry = t->value[r->acc >> (64 - LOOKUP_BITS)];
    if (entry) {
        skip_bits(r, entry & 0xFF);
        return entry >> 16;
    }
    int size = decode_symbol(r, t);
    if (size < 0 || size > 15) e->bail(cinfo);
    return size ? extend(take_bits(r, size), size) : 0;
}

/// Adds a DC difference to the component's predictor; bails where the sum would overflow (libjpeg
/// stops there with an error in progressive scans; sequential ones wrap, and so does this).
static inline int add_dc(vc_entropy *e, j_decompress_ptr cinfo, int component, int difference, int checked) {
    int last = e->last_dc[component];
    if (checked && ((last >= 0 && difference > INT_MAX - last) || (last < 0 && difference < INT_MIN - last)))
        e->bail(cinfo);
    e->last_dc[component] = (int)((unsigned)last + (unsigned)difference);
    return e->last_dc[component];
}

static boolean decode_sequential(j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
    vc_entropy *e = begin_mcu(cinfo);
    vc_reader r = e->reader;
    for (int b = 0; b < e->blocks; b++) {
        JCOEF *block = MCU_data ? MCU_data[b][0] : e->scratch;
        const vc_table *dc = e->dc_of_block[b], *ac = e->ac_of_block[b];
        refill(&r);
        block[0] = (JCOEF)add_dc(e, cinfo, e->component_of_block[b], decode_dc_difference(e, cinfo, &r, dc), 0);
        for (int k = 1; k < 64;) {
            // Look up before refilling: at least 25 bits are left (a symbol uses at most 31 of
            // the 56), and the refill only appends, so the load is off the refill's path.
            int32_t entry = ac->value[r.acc >> (64 - LOOKUP_BITS)];
            refill(&r);
            if (entry) {
                skip_bits(&r, entry & 0xFF);
                k += (entry >> 8) & 0xFF;
                if (k > 63) e->bail(cinfo);
                block[natural_order[k++]] = (JCOEF)(entry >> 16);
                continue;
            }
            int symbol = decode_symbol(&r, ac);
            if (symbol < 0) e->bail(cinfo);
            int run = symbol >> 4, size = symbol & 15;
            if (size) {
                k += run;
                if (k > 63) e->bail(cinfo);
                block[natural_order[k++]] = (JCOEF)extend(take_bits(&r, size), size);
            } else if (run == 15) {
                k += 16;
            } else {
                break;
            }
        }
        if (r.next > e->data + e->data_length + 8) e->bail(cinfo);
    }
    return end_mcu(e, cinfo, &r);
}

static boolean decode_dc_first(j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
    vc_entropy *e = begin_mcu(cinfo);
    vc_reader r = e->reader;
    for (int b = 0; b < e->blocks; b++) {
        refill(&r);
        int dc = add_dc(e, cinfo, e->component_of_block[b], decode_dc_difference(e, cinfo, &r, e->dc_of_block[b]), 1);
        MCU_data[b][0][0] = (JCOEF)((unsigned long)(long)dc << e->Al);
    }
    return end_mcu(e, cinfo, &r);
}

static boolean decode_dc_refine(j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
    vc_entropy *e = begin_mcu(cinfo);
    vc_reader r = e->reader;
    refill(&r);
    for (int b = 0; b < e->blocks; b++)
        if (take_bit(&r)) MCU_data[b][0][0] |= (JCOEF)(1 << e->Al);
    return end_mcu(e, cinfo, &r);
}

// MARK: progressive AC scans, a row per call
//
// An AC scan covers one component with one block per MCU, and libjpeg's consume_data hands the
// blocks of a row over in order, one call each, from a row of its coefficient buffer where they lie
// one after the other. Without restart intervals the first call of a row decodes the whole row,
// keeping the reader in registers and running through end-of-band runs without a call per block.
// It also sets `cinfo->MCUs_per_row`, the bound of consume_data's loop over a row (read only there
// while a scan's data is consumed, and set again for each scan), to 1, so the row takes libjpeg
// one call; were the bound kept, the calls for the row's other blocks would find them decoded
// (`row_next`) and return. With restart intervals each call decodes its own block, as libjpeg's
// decoder does.

/// Whether this call is for a block of the row decoded last (then nothing is left to do).
static inline int already_decoded(vc_entropy *e, JBLOCKROW *MCU_data) {
    if (MCU_data[0] != e->row_next || e->row_next >= e->row_end) return 0;
    e->row_next++;
    return 1;
}

/// The blocks a call decodes from MCU_data[0] on: the whole row (one with restart intervals,
/// whose marker is then taken).
static inline unsigned row_start(vc_entropy *e, j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
    if (e->restart_interval) {
        begin_mcu(cinfo);
        return 1;
    }
    e->row_next = MCU_data[0] + 1;
    e->row_end = MCU_data[0] + e->row_length;
    cinfo->MCUs_per_row = 1;
    return e->row_length;
}

/// After a block: the guard of `end_mcu` against reading past the padding on bad data.
static inline void check_reader(vc_entropy *e, j_decompress_ptr cinfo, const vc_reader *r) {
    if (r->next > e->data + e->data_length + 8) e->bail(cinfo);
}

/// After the `blocks` blocks of a call: `end_mcu`, counting them all.
static inline boolean end_blocks(vc_entropy *e, j_decompress_ptr cinfo, const vc_reader *r, unsigned blocks) {
    e->mcus_left -= blocks - 1;
    return end_mcu(e, cinfo, r);
}

/// One block of an AC first scan (T.81 G.1.2.2) outside an end-of-band run.
static inline void ac_first_block(vc_entropy *e, j_decompress_ptr cinfo, vc_reader *r, JCOEF *block,
                                  const vc_table *ac, int Ss, int Se, int Al) {
    refill(r);
    for (int k = Ss; k <= Se;) {
        int32_t entry = ac->value[r->acc >> (64 - LOOKUP_BITS)];  // as in decode_sequential
        refill(r);
        if (entry) {
            skip_bits(r, entry & 0xFF);
            k += (entry >> 8) & 0xFF;
            if (k > Se) e->bail(cinfo);
            block[natural_order[k++]] = (JCOEF)((unsigned long)(long)(entry >> 16) << Al);
            continue;
        }
        int symbol = decode_symbol(r, ac);
        if (symbol < 0) e->bail(cinfo);
        int run = symbol >> 4, size = symbol & 15;
        if (size) {
            k += run;
            if (k > Se) e->bail(cinfo);
            block[natural_order[k++]] = (JCOEF)((unsigned long)(long)extend(take_bits(r, size), size) << Al);
        } else if (run == 15) {
            k += 16;
        } else {
            e->eob_run = (1u << run) - 1;
            if (run) e->eob_run += take_bits(r, run);
            break;
        }
    }
}

static boolean decode_ac_first(j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
    vc_entropy *e = state(cinfo);
    if (already_decoded(e, MCU_data)) return TRUE;
    const unsigned n = row_start(e, cinfo, MCU_data);
    vc_reader r = e->reader;
    const vc_table *ac = e->ac_of_block[0];
    const int Ss = e->Ss, Se = e->Se, Al = e->Al;
    for (unsigned i = 0; i < n;) {
        if (e->eob_run > 0) {  // blocks inside an end-of-band run have nothing in this band
            unsigned skip = e->eob_run < n - i ? e->eob_run : n - i;
            e->eob_run -= skip;
            i += skip;
            continue;
        }
        ac_first_block(e, cinfo, &r, MCU_data[0][i], ac, Ss, Se, Al);
        check_reader(e, cinfo, &r);
        i++;
    }
    return end_blocks(e, cinfo, &r, n);
}

/// Bit k set when the coefficient at zigzag position k is not zero.
static uint64_t nonzero_mask_portable(const JCOEF *block) {
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++) mask |= (uint64_t)(block[natural_order[k]] != 0) << k;
    return mask;
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw"))) static uint64_t nonzero_mask_avx512(const JCOEF *block) {
    // natural_order as 16-bit lane indices into the 64 coefficients (two registers).
    static const uint16_t first[32] = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    };
    static const uint16_t second[32] = {
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    };
    __m512i low = _mm512_loadu_si512(block), high = _mm512_loadu_si512(block + 32);
    __m512i zig_low = _mm512_permutex2var_epi16(low, _mm512_loadu_si512(first), high);
    __m512i zig_high = _mm512_permutex2var_epi16(low, _mm512_loadu_si512(second), high);
    return (uint64_t)_mm512_test_epi16_mask(zig_high, zig_high) << 32 | _mm512_test_epi16_mask(zig_low, zig_low);
}
#endif

/// Correction bits (T.81 G.1.2.3) for the non-zero coefficients at the zigzag positions set in
/// `passed`, in order, one bit each: when the bit is set and the coefficient does not have it yet,
/// its magnitude grows by one step of 2^Al (`p1`).
static inline void correct(vc_reader *r, JCOEF *block, uint64_t passed, int p1) {
    while (passed) {
        if (r->bits < 32) refill(r);
        int count = __builtin_popcountll(passed);
        if (count > 32) count = 32;
        unsigned bits = take_bits(r, count);
        for (int i = count - 1; i >= 0; i--) {
            JCOEF *coef = block + natural_order[__builtin_ctzll(passed)];
            passed &= passed - 1;
            int c = *coef, grow = (int)(bits >> i) & 1 & ((c & p1) == 0);
            *coef = (JCOEF)(c + (grow ? (c >= 0 ? p1 : -p1) : 0));
        }
    }
}

/// Zigzag positions k...63 (k ≤ 64).
static inline uint64_t from(int k) { return k >= 64 ? 0 : ~0ull << k; }

/// The next symbol of a refinement scan: 1 with the zero coefficients to pass (`run`) and the new
/// coefficient's `value` (0 for a run of 16 zeros); 0 at an end of band (`eob_run` set).
static inline int refine_symbol(vc_entropy *e, j_decompress_ptr cinfo, vc_reader *r, const vc_table *ac, int p1,
                                int *run, int *value) {
    refill(r);
    int symbol = decode_symbol(r, ac);
    if (symbol < 0) e->bail(cinfo);
    int size = symbol & 15;
    *run = symbol >> 4;
    *value = 0;
    if (size) {
        if (size != 1) e->bail(cinfo);  // libjpeg warns: bad Huffman code
        *value = take_bit(r) ? p1 : -p1;
    } else if (*run != 15) {
        e->eob_run = 1u << *run;
        if (*run) e->eob_run += take_bits(r, *run);
        return 0;
    }
    return 1;
}

/// One block of an AC refinement scan (T.81 G.1.2.3).
static inline void ac_refine_block(vc_entropy *e, j_decompress_ptr cinfo, vc_reader *r, JCOEF *block,
                                   const vc_table *ac, int Ss, int Se, int p1, uint64_t band) {
#if defined(__x86_64__)
    uint64_t nonzero = (e->avx512 ? nonzero_mask_avx512(block) : nonzero_mask_portable(block)) & band;
#else
    uint64_t nonzero = nonzero_mask_portable(block) & band;
#endif
    // Corrections never make a coefficient zero, and new coefficients go only where the decoder
    // has already passed, so `nonzero` stays right for the positions still ahead.
    int k = Ss;
    if (e->eob_run == 0) {
        int run, value;
        while (k <= Se && refine_symbol(e, cinfo, r, ac, p1, &run, &value)) {
            // Pass over `run` zero coefficients (and the non-zero ones among them) to the next
            // zero one, where the new coefficient goes; Se + 1 when the band ends first.
            uint64_t ahead = band & from(k), zeros = ahead & ~nonzero;
            int target = Se + 1;
            if (__builtin_popcountll(zeros) > run) {
                for (int i = 0; i < run; i++) zeros &= zeros - 1;
                target = __builtin_ctzll(zeros);
            }
            correct(r, block, nonzero & ahead & ~from(target), p1);
            if (value) {
                if (target > Se) e->bail(cinfo);
                block[natural_order[target]] = (JCOEF)value;
            }
            k = target + 1;
        }
    }
    if (e->eob_run > 0) {
        // The rest of the band is in an end-of-band run: only corrections for non-zero coefficients.
        correct(r, block, nonzero & from(k), p1);
        e->eob_run--;
    }
}

typedef void refine_block_fn(vc_entropy *, j_decompress_ptr, vc_reader *, JCOEF *, const vc_table *, int, int, int,
                             uint64_t);

/// An AC refinement scan's call: the row loop around `block` (inlined into each caller, where the
/// portable or the AVX-512 block is then inlined in turn).
__attribute__((always_inline)) static inline boolean refine_rows(j_decompress_ptr cinfo, JBLOCKROW *MCU_data,
                                                                 refine_block_fn *block) {
    vc_entropy *e = state(cinfo);
    if (already_decoded(e, MCU_data)) return TRUE;
    const unsigned n = row_start(e, cinfo, MCU_data);
    vc_reader r = e->reader;
    const vc_table *ac = e->ac_of_block[0];
    const int Ss = e->Ss, Se = e->Se, p1 = 1 << e->Al;
    const uint64_t band = from(Ss) & ~from(Se + 1);
    for (unsigned i = 0; i < n; i++) {
        block(e, cinfo, &r, MCU_data[0][i], ac, Ss, Se, p1, band);
        check_reader(e, cinfo, &r);
    }
    return end_blocks(e, cinfo, &r, n);
}

static boolean decode_ac_refine(j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
    return refine_rows(cinfo, MCU_data, ac_refine_block);
}

#if defined(__x86_64__)
#define VC_REFINE_TARGET __attribute__((target("avx512f,avx512bw,avx512bitalg,bmi,bmi2,popcnt,gfni")))

/// The next `count` (0...63) bits, the first of them in bit 0 (refills as needed).
VC_REFINE_TARGET static inline uint64_t take_bits_reversed(vc_reader *r, int count) {
    uint64_t bits = 0;
    int done = 0;
    while (count > 0) {
        if (r->bits < 32) refill(r);
        int n = count < 32 ? count : 32;
        uint64_t chunk = r->acc >> (64 - n);
        skip_bits(r, n);
        bits |= (__builtin_bitreverse64(chunk) >> (64 - n)) << done;
        done += n;
        count -= n;
    }
    return bits;
}

/// decode_ac_refine with the correction bits gathered per block: each run of corrections is one
/// PDEP into a mask of the coefficients whose bit is set, applied to the block at its end in
/// two masked vector adds (the mask turned to natural order by one bit shuffle).
VC_REFINE_TARGET static inline void ac_refine_block_avx512(vc_entropy *e, j_decompress_ptr cinfo, vc_reader *r,
                                                           JCOEF *block, const vc_table *ac, int Ss, int Se, int p1,
                                                           uint64_t band) {
    const uint64_t nonzero = nonzero_mask_avx512(block) & band;
    uint64_t grow = 0;  // zigzag positions whose correction bit is 1
    int k = Ss;
    if (e->eob_run == 0) {
        int run, value;
        while (k <= Se && refine_symbol(e, cinfo, r, ac, p1, &run, &value)) {
            uint64_t ahead = band & from(k), zeros = ahead & ~nonzero;
            int target = Se + 1;
            if (__builtin_popcountll(zeros) > run) target = __builtin_ctzll(_pdep_u64(1ull << run, zeros));
            uint64_t passed = nonzero & ahead & ~from(target);
            grow |= _pdep_u64(take_bits_reversed(r, __builtin_popcountll(passed)), passed);
            if (value) {
                if (target > Se) e->bail(cinfo);
                block[natural_order[target]] = (JCOEF)value;
            }
            k = target + 1;
        }
    }
    if (e->eob_run > 0) {
        uint64_t passed = nonzero & from(k);
        grow |= _pdep_u64(take_bits_reversed(r, __builtin_popcountll(passed)), passed);
        e->eob_run--;
    }
    if (grow) {
        // Byte j: the zigzag position of natural position j, for the bit shuffle.
        static const uint8_t zigzag_of[64] = {
            0,  1,  5,  6,  14, 15, 27, 28, 2,  4,  7,  13, 16, 26, 29, 42, 3,  8,  12, 17, 25, 30,
            41, 43, 9,  11, 18, 24, 31, 40, 44, 53, 10, 19, 23, 32, 39, 45, 52, 54, 20, 22, 33, 38,
            46, 51, 55, 60, 21, 34, 37, 47, 50, 56, 59, 61, 35, 36, 48, 49, 57, 58, 62, 63,
        };
        __mmask64 natural = _mm512_bitshuffle_epi64_mask(_mm512_set1_epi64((long long)grow),
                                                          _mm512_loadu_si512(zigzag_of));
        const __m512i step = _mm512_set1_epi16((short)p1);
        for (int half = 0; half < 2; half++) {
            __m512i c = _mm512_loadu_si512(block + 32 * half);
            // Grow where the bit is set and the coefficient does not have it yet, away from zero.
            __mmask32 m = (__mmask32)(natural >> (32 * half)) & ~_mm512_test_epi16_mask(c, step);
            __m512i sign = _mm512_srai_epi16(c, 15);
            __m512i delta = _mm512_sub_epi16(_mm512_xor_si512(step, sign), sign);
            _mm512_storeu_si512(block + 32 * half, _mm512_mask_add_epi16(c, m, c, delta));
        }
    }
}

VC_REFINE_TARGET static boolean decode_ac_refine_avx512(j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
    return refine_rows(cinfo, MCU_data, ac_refine_block_avx512);
}
#endif

/// Sets up Visage's decoder for the scan libjpeg has just started (libjpeg's own start_pass has
/// validated it, built its tables and reset its state).
static void prepare_scan(vc_entropy *e, j_decompress_ptr cinfo) {
    e->Ss = cinfo->Ss;
    e->Se = cinfo->Se;
    e->Al = cinfo->Al;
    int kind;
    if (!cinfo->progressive_mode) kind = SCAN_SEQUENTIAL;
    else if (cinfo->Ss == 0) kind = cinfo->Ah == 0 ? SCAN_DC_FIRST : SCAN_DC_REFINE;
    else kind = cinfo->Ah == 0 ? SCAN_AC_FIRST : SCAN_AC_REFINE;
    if (cinfo->blocks_in_MCU > D_MAX_BLOCKS_IN_MCU || cinfo->comps_in_scan > MAX_COMPS_IN_SCAN) e->bail(cinfo);
    if (kind >= SCAN_AC_FIRST && (cinfo->comps_in_scan != 1 || cinfo->Se > 63 || cinfo->Ss > cinfo->Se))
        e->bail(cinfo);

    int built_dc = 0, built_ac = 0;
    e->blocks = cinfo->blocks_in_MCU;
    for (int b = 0; b < e->blocks; b++) {
        int ci = cinfo->MCU_membership[b];
        const jpeg_component_info *comp = cinfo->cur_comp_info[ci];
        e->component_of_block[b] = ci;
        e->dc_of_block[b] = e->ac_of_block[b] = NULL;
        int dc = comp->dc_tbl_no, ac = comp->ac_tbl_no;
        int needs_dc = kind == SCAN_SEQUENTIAL || kind == SCAN_DC_FIRST;
        int needs_ac = kind == SCAN_SEQUENTIAL || kind >= SCAN_AC_FIRST;
        if (needs_dc) {
            if (dc < 0 || dc >= NUM_HUFF_TBLS) e->bail(cinfo);
            if (!(built_dc & 1 << dc) && !build_table(&e->dc_tables[dc], cinfo->dc_huff_tbl_ptrs[dc], 0)) e->bail(cinfo);
            built_dc |= 1 << dc;
            e->dc_of_block[b] = &e->dc_tables[dc];
        }
        if (needs_ac) {
            if (ac < 0 || ac >= NUM_HUFF_TBLS) e->bail(cinfo);
            if (!(built_ac & 1 << ac) && !build_table(&e->ac_tables[ac], cinfo->ac_huff_tbl_ptrs[ac], 1)) e->bail(cinfo);
            built_ac |= 1 << ac;
            e->ac_of_block[b] = &e->ac_tables[ac];
        }
    }
    memset(e->last_dc, 0, sizeof e->last_dc);
    e->eob_run = 0;
    e->restart_interval = cinfo->restart_interval;
    e->restarts_to_go = cinfo->restart_interval;
    e->mcus_left = (unsigned long)cinfo->MCUs_per_row * cinfo->MCU_rows_in_scan;
    if (e->mcus_left == 0) e->bail(cinfo);
    e->row_length = (unsigned)cinfo->MCUs_per_row;
    e->row_next = e->row_end = NULL;
    copy_scan_data(e, cinfo);

    static boolean (*const decoders[])(j_decompress_ptr, JBLOCKROW *) = {
        decode_sequential, decode_dc_first, decode_dc_refine, decode_ac_first, decode_ac_refine,
    };
    cinfo->entropy->decode_mcu = decoders[kind];
#if defined(__x86_64__)
    if (kind == SCAN_AC_REFINE && e->avx512) cinfo->entropy->decode_mcu = decode_ac_refine_avx512;
#endif
    cinfo->entropy->insufficient_data = FALSE;
}

static void start_pass(j_decompress_ptr cinfo) {
    vc_entropy *e = state(cinfo);
    e->libjpeg_start_pass(cinfo);
    prepare_scan(e, cinfo);
}

void vc_entropy_input_done(vc_entropy *e, j_decompress_ptr cinfo) {
    if (e && e->installed && e->row_end) cinfo->MCUs_per_row = e->row_length;
}

int vc_entropy_install(vc_entropy *e, j_decompress_ptr cinfo, int simd, void (*bail)(j_decompress_ptr)) {
    if (!e || e->installed || cinfo->arith_code || cinfo->data_precision != 8 || !cinfo->entropy || !cinfo->src)
        return 0;
    e->bail = bail;
    e->installed = 1;
#if defined(__x86_64__)
    e->avx512 = simd && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512bitalg") &&
                __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("gfni");
#endif
    e->libjpeg_start_pass = cinfo->entropy->start_pass;
    cinfo->entropy->start_pass = start_pass;
    prepare_scan(e, cinfo);
    return 1;
}

#else

struct vc_entropy { int unused; };
vc_entropy *vc_entropy_create(void) { return calloc(1, sizeof(struct vc_entropy)); }
void vc_entropy_destroy(vc_entropy *e) { free(e); }
int vc_entropy_install(vc_entropy *e, j_decompress_ptr cinfo, int simd, void (*bail)(j_decompress_ptr)) {
    (void)e; (void)cinfo; (void)simd; (void)bail;
    return 0;
}
void vc_entropy_input_done(vc_entropy *e, j_decompress_ptr cinfo) { (void)e; (void)cinfo; }

#endif
