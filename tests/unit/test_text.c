/* Unit tests of text.c, sha256.c, strmap.c and twobytwo.c. */
#include <stdlib.h>
#include <unistd.h>

#include "sha256.h"
#include "strmap.h"
#include "text.h"
#include "dyadseq/twobytwo.h"
#include "unit.h"

static void test_time(void)
{
    double v = -1;
    CHECK(ds_parse_time("62.5", &v) == DS_NUM_OK && v == 62.5, "62.5 s");
    CHECK(ds_parse_time("1:02:03.5", &v) == DS_NUM_OK && v == 3723.5,
          "1:02:03.5 = 3723.5 s");
    CHECK(ds_parse_time("01:05", &v) == DS_NUM_OK && v == 65, "mm:ss");
    CHECK(ds_parse_time("1e2", &v) == DS_NUM_OK && v == 100, "exponent");
    CHECK(ds_parse_time("-0", &v) == DS_NUM_OK && v == 0, "-0 is 0");
    CHECK_INT(ds_parse_time("-3", &v), DS_NUM_NEGATIVE, "negative time");
    CHECK_INT(ds_parse_time("inf", &v), DS_NUM_NONFINITE, "inf");
    CHECK_INT(ds_parse_time("NaN", &v), DS_NUM_NONFINITE, "nan");
    CHECK_INT(ds_parse_time("1e999", &v), DS_NUM_NONFINITE, "overflow");
    CHECK_INT(ds_parse_time("12abc", &v), DS_NUM_SYNTAX, "trailing junk");
    CHECK_INT(ds_parse_time("0x10", &v), DS_NUM_SYNTAX, "hex refused");
    CHECK_INT(ds_parse_time("1:61", &v), DS_NUM_SYNTAX, "seconds >= 60");
    CHECK_INT(ds_parse_time("1:60:00", &v), DS_NUM_SYNTAX, "minutes >= 60");
    CHECK_INT(ds_parse_time("1:2:3:4", &v), DS_NUM_SYNTAX, "too many colons");
    CHECK_INT(ds_parse_time("", &v), DS_NUM_SYNTAX, "empty");
    CHECK_INT(ds_parse_time(".", &v), DS_NUM_SYNTAX, "lone dot");
}

/* The fast path of plain decimals ("123.456", in text.c) returns exactly
 * what strtod returns, through both parsers that take it. */
static void test_fast_decimal(void)
{
    unsigned x = 987654321;
    int same = 1;
    char buf[64];
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        unsigned ip = x % 100000;
        x = x * 1103515245u + 12345u;
        int nf = (int)(x % 11);
        x = x * 1103515245u + 12345u;
        int n = snprintf(buf, sizeof buf, "%u.", ip);
        for (int k = 0; k < nf; k++) {
            x = x * 1103515245u + 12345u;
            buf[n++] = (char)('0' + (x >> 16) % 10);
        }
        buf[n] = '\0';
        double v, t;
        same &= ds_parse_seconds(buf, &v) == DS_NUM_OK &&
                v == strtod(buf, NULL) &&
                ds_parse_time(buf, &t) == DS_NUM_OK && t == v;
    }
    const char *edge[] = {"0", "0.1", "83.4", ".5", "5.", "999999999999999",
                          "0.000000000000001", "123456789012345.6",
                          "0.30000000000000004", "1e-3"};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        double v, t;
        same &= ds_parse_seconds(edge[i], &v) == DS_NUM_OK &&
                v == strtod(edge[i], NULL) &&
                ds_parse_time(edge[i], &t) == DS_NUM_OK && t == v;
    }
    CHECK(same, "200,000 random decimals and edge cases parse as strtod");
    /* what the fast path must leave to the general parser */
    double v;
    CHECK_INT(ds_parse_seconds("1.2.3", &v), DS_NUM_SYNTAX, "two points");
    CHECK_INT(ds_parse_time("1.2.3", &v), DS_NUM_SYNTAX, "two points (time)");
    CHECK_INT(ds_parse_seconds("1234567890123456", &v), DS_NUM_OK,
              "16 digits: through strtod");
    CHECK(v == 1234567890123456.0, "16 digits: value");
}

static void test_utf8(void)
{
    CHECK_INT(ds_utf8_invalid_at("abc", 3), 3, "ASCII valid");
    CHECK_INT(ds_utf8_invalid_at("h\xC3\xA9!", 4), 4, "é valid");
    CHECK_INT(ds_utf8_invalid_at("ab\xC3", 3), 2, "truncated sequence");
    CHECK_INT(ds_utf8_invalid_at("a\xC0\xAF", 3), 1, "overlong refused");
    CHECK_INT(ds_utf8_invalid_at("\xED\xA0\x80", 3), 0, "surrogate refused");
    CHECK_INT(ds_utf8_invalid_at("\xF0\x9F\x98\x80", 4), 4, "emoji valid");
    CHECK_INT(ds_utf8_invalid_at("x\xFF", 2), 1, "0xFF refused");
}

static void test_suggest(void)
{
    const char *codes[] = {"pursue", "withdraw", "soften", "bid", "response"};
    CHECK_STR(ds_suggest("pursure", codes, 5), "pursue", "pursure→pursue");
    CHECK_STR(ds_suggest("Withdraw", codes, 5), "withdraw", "case");
    CHECK(ds_suggest("zzzzzz", codes, 5) == NULL, "nothing near");
    const char *actors[] = {"A", "B"};
    CHECK(ds_suggest("C", actors, 2) == NULL, "'C' suggests no actor");
    CHECK_STR(ds_suggest("a", actors, 2), "A", "'a' suggests 'A'");
    CHECK_INT(ds_edit_distance("kitten", "sitting"), 3, "kitten/sitting");
}

static void test_aprintf(void)
{
    char *s = ds_aprintf("%s/%zu/%s", "/lag", (size_t)12, "pr\xC3\xA4");
    CHECK_STR(s, "/lag/12/pr\xC3\xA4", "ds_aprintf: formats into a new string");
    free(s);
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    s = ds_aprintf("<%s>", big);
    CHECK(s && strlen(s) == sizeof big + 1 && s[0] == '<' &&
              s[sizeof big] == '>',
          "ds_aprintf: as long as it needs to be");
    free(s);
    s = ds_aprintf("%s", "");
    CHECK_STR(s, "", "ds_aprintf: the empty string");
    free(s);
}

static void test_sha256(void)
{
    /* FIPS 180-4 / NIST example vectors */
    char hex[65];
    ds_sha256_t c;
    ds_sha256_init(&c);
    ds_sha256_update(&c, "abc", 3);
    ds_sha256_final_hex(&c, hex);
    CHECK_STR(hex,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
              "sha256(abc)");
    ds_sha256_init(&c);
    ds_sha256_final_hex(&c, hex);
    CHECK_STR(hex,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
              "sha256(empty)");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ds_sha256_init(&c);
    for (const char *p = m; *p; p++) /* byte by byte through the buffer */
        ds_sha256_update(&c, p, 1);
    ds_sha256_final_hex(&c, hex);
    CHECK_STR(hex,
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
              "sha256(448-bit message), fed byte by byte");
    ds_sha256_init(&c);
    char block[1000];
    memset(block, 'a', sizeof block);
    for (int i = 0; i < 1000; i++)
        ds_sha256_update(&c, block, sizeof block);
    ds_sha256_final_hex(&c, hex);
    CHECK_STR(hex,
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
              "sha256(one million 'a')");
}

/* The digest of a whole file: the FIPS "abc" vector from disk, a file
 * larger than the read buffer (as the in-memory digest), a missing file. */
static void test_sha256_file(void)
{
    char path[512], hex[65], want[65];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/dyadseq-sha.XXXXXX", tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!fp) {
        CHECK(0, "make a temporary file");
        return;
    }
    fputs("abc", fp);
    fclose(fp);
    ds_error_t err = {0};
    CHECK(ds_sha256_file(path, hex, &err) == 0 &&
              strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
                          "b410ff61f20015ad") == 0,
          "sha256 of a file holding abc");
    static unsigned char big[200000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)(i * 31 + 7);
    fp = fopen(path, "wb");
    if (fp) {
        fwrite(big, 1, sizeof big, fp);
        fclose(fp);
    }
    ds_sha256_t c;
    ds_sha256_init(&c);
    ds_sha256_update(&c, big, sizeof big);
    ds_sha256_final_hex(&c, want);
    CHECK(ds_sha256_file(path, hex, &err) == 0 && strcmp(hex, want) == 0,
          "a file of several read buffers: as the bytes in memory");
    unlink(path);
    CHECK(ds_sha256_file(path, hex, &err) == DS_EIO &&
              strstr(err.msg, path) && strstr(err.msg, "No such"),
          "a missing file: DS_EIO naming it");
}

/* The accelerated and the portable paths agree on every length from 0 to
 * 300 bytes and on a long message fed in odd pieces. */
static void test_sha256_paths(void)
{
    unsigned char msg[5000];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof msg; i++) {
        x = x * 1103515245u + 12345u;
        msg[i] = (unsigned char)(x >> 16);
    }
    int same = 1;
    for (size_t n = 0; n <= 300; n++) {
        char h1[65], h2[65];
        ds_sha256_t a, b;
        ds_sha256_init(&a);
        ds_sha256_init(&b);
        b.portable = 1;
        ds_sha256_update(&a, msg, n);
        ds_sha256_update(&b, msg, n);
        ds_sha256_final_hex(&a, h1);
        ds_sha256_final_hex(&b, h2);
        same &= strcmp(h1, h2) == 0;
    }
    char h1[65], h2[65];
    ds_sha256_t a, b;
    ds_sha256_init(&a);
    ds_sha256_init(&b);
    b.portable = 1;
    for (size_t off = 0, step = 1; off < sizeof msg; off += step, step += 7) {
        size_t n = off + step > sizeof msg ? sizeof msg - off : step;
        ds_sha256_update(&a, msg + off, n);
        ds_sha256_update(&b, msg + off, n);
    }
    ds_sha256_final_hex(&a, h1);
    ds_sha256_final_hex(&b, h2);
    same &= strcmp(h1, h2) == 0;
    UNIT_REPORT(same, "SHA-256: %s path equals the portable path",
                ds_sha256_accelerated() ? "SHA-extension" : "portable");
}

static void test_strmap(void)
{
    ds_strmap_t *m = ds_strmap_alloc();
    char key[32];
    int ok = 1;
    for (size_t i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "c%zu\x1fpre", i);
        ok &= ds_strmap_put(m, key, (size_t)n, i) == 0;
    }
    for (size_t i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "c%zu\x1fpre", i);
        ok &= ds_strmap_get(m, key, (size_t)n) == i;
    }
    CHECK(ok, "5000 keys stored and found");
    CHECK(ds_strmap_get(m, "nope", 4) == (size_t)-1, "absent key");
    CHECK_INT(ds_strmap_size(m), 5000, "size");
    ds_strmap_free(m);
}

static void test_2x2(void)
{
    ds_2x2_t s;
    /* a=10 b=20 c=5 d=65: ad=650, bc=100, Q=550/750 */
    ds_2x2_stats(10, 20, 5, 65, 0, &s);
    CHECK_NEAR(s.yules_q, 550.0 / 750.0, 1e-15, "Q");
    CHECK_NEAR(s.log_odds_ratio, log(6.5), 1e-15, "log odds ratio");
    double se = sqrt(1 / 10.0 + 1 / 20.0 + 1 / 5.0 + 1 / 65.0);
    CHECK_NEAR(s.log_odds_ratio_se, se, 1e-15, "SE of log odds ratio");
    CHECK_NEAR(s.yules_q_se, 0.5 * (1 - pow(550.0 / 750, 2)) * se, 1e-15,
               "SE of Q");
    /* e = 30*15/100 = 4.5; z = 5.5 / sqrt(4.5*0.7*0.85) */
    CHECK_NEAR(s.adjusted_residual, 5.5 / sqrt(4.5 * 0.7 * 0.85), 1e-13,
               "adjusted residual");
    ds_2x2_stats(0, 20, 5, 65, 0, &s);
    CHECK_NEAR(s.yules_q, -1, 0, "zero cell: Q = -1");
    CHECK(isnan(s.log_odds_ratio) && isnan(s.yules_q_se), "zero: SEs NaN");
    ds_2x2_stats(0, 20, 5, 65, 0.5, &s);
    CHECK_NEAR(s.log_odds_ratio, log(0.5 * 65.5 / (20.5 * 5.5)), 1e-14,
               "0.5 correction");
    ds_2x2_stats(0, 0, 5, 65, 0, &s);
    CHECK(isnan(s.yules_q) && isnan(s.adjusted_residual),
          "empty row: Q and residual NaN");
}

int main(void)
{
    test_time();
    test_fast_decimal();
    test_utf8();
    test_suggest();
    test_aprintf();
    test_sha256();
    test_sha256_paths();
    test_sha256_file();
    test_strmap();
    test_2x2();
    return UNIT_DONE();
}
