/*
 * test_decimal.c — ds_parse_double, the parser of every numeric option
 * value and of --model probabilities, takes decimal numbers only (issue
 * 18 #10: strtod alone took "0x10" as 16).
 */
#include "text.h"
#include "unit.h"

static void good(const char *s, double want)
{
    double v = -12345;
    int rc = ds_parse_double(s, &v);
    UNIT_REPORT(rc == 0 && v == want, "'%s' is %g (rc %d, got %g)", s, want,
                rc, v);
}

static void bad(const char *s)
{
    double v = -12345;
    int rc = ds_parse_double(s, &v);
    UNIT_REPORT(rc == -1 && v == -12345, "'%s' is refused and *out left "
                "alone (rc %d)", s, rc);
}

int main(void)
{
    good("2.5", 2.5);
    good("-1e3", -1000);
    good("+0.25", 0.25);
    good(".5", 0.5);
    good("5.", 5);
    good("1E-2", 0.01);
    good("0", 0);
    good("007", 7);
    bad("0x10");
    bad("0X1p3");
    bad("-0x8");
    bad("inf");
    bad("-Infinity");
    bad("nan");
    bad("NAN(1)");
    bad(" 1");
    bad("1 ");
    bad("\t2");
    bad("");
    bad("+");
    bad(".");
    bad("-.");
    bad("e5");
    bad("1e");
    bad("1e+");
    bad("1.2.3");
    bad("1e999");
    bad("--1");
    bad("1,5");
    return UNIT_DONE();
}
