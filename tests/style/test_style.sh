#!/bin/sh
# tests/style/test_style.sh — the size limits of the style (HELPERS.md,
# shared/STYLE.md): no source file over 1,000 lines and no function over
# 120 in src/, include/, tests/unit/ and scripts/, checked by
# scripts/check_style.py so that they cannot come back unseen. The checker
# itself is tested first on made-up files at and just over each limit, with
# braces in comments, strings and macros that must not count.
. tests/lib.sh

if ! PY=$(python_with re argparse); then
    skip "style limits" "no Python 3"
    finish
fi
CS=scripts/check_style.py
F=$TMP/fix

# cfunc NAME N: a C function of N lines in all (signature to closing brace)
cfunc() {
    printf 'static int %s(int x)\n{\n' "$1"
    _i=3
    while [ "$_i" -lt "$2" ]; do echo "    x += $_i; /* { */"; _i=$((_i + 1)); done
    printf '}\n'
}
# lines N: N lines of comment
lines() { seq "$1" | sed 's,^,// ,'; }

mkdir -p "$F"
{ cfunc at_limit 120; cfunc over_limit 121; } >"$F/a.c"
"$PY" $CS "$F/a.c" >"$TMP/out" 2>&1; s=$?
check_eq "a 121-line function is reported, a 120-line one is not" \
    "$s $(cat "$TMP/out")" "1 $F/a.c:121: function over_limit is 121 lines (limit 120)"

# braces in strings, character literals, comments and preprocessor lines,
# a function whose return type is a struct pointer and one with an
# attribute: measured from the return type to the closing brace
cat >"$F/b.c" <<'C'
#define OPEN {
#define LONG_MACRO(x) \
    { (x) }
struct thing { int a; };
static const char *s = "}}}";
static struct thing *
returns_struct(const struct thing *t, int n)
{
    const char *q = "{{{";
    char c = '{';
    /* } } } */
    (void)q; (void)c; (void)n;
    return (struct thing *)t;
}
static int attr(void) __attribute__((unused));
__attribute__((unused)) static int
with_attribute(void)
{
    return 0;
}
C
"$PY" $CS --max-function 8 "$F/b.c" >"$TMP/out" 2>&1; s=$?
check_eq "braces in strings, comments and macros do not count" \
    "$s $(cat "$TMP/out")" "1 $F/b.c:6: function returns_struct is 9 lines (limit 8)"
"$PY" $CS --max-function 4 "$F/b.c" >"$TMP/out" 2>&1
check_eq "a function with an attribute is measured from its return type" \
    "$(grep -c with_attribute "$TMP/out") $(grep with_attribute "$TMP/out")" \
    "1 $F/b.c:16: function with_attribute is 5 lines (limit 4)"

# a long initializer and a long struct are not functions
{ echo "static const int table[] = {"; seq 200 | sed 's/$/,/'; echo "};"
  echo "struct big {"; seq 200 | sed 's/.*/    int f&;/'; echo "};"; } >"$F/d.c"
check "a 200-line initializer or struct is not a function" "$PY" $CS "$F/d.c"

lines 1000 >"$F/e.h"; lines 1001 >"$F/f.h"
"$PY" $CS "$F/e.h" "$F/f.h" >"$TMP/out" 2>&1; s=$?
check_eq "a 1,001-line file is reported, a 1,000-line one is not" \
    "$s $(cat "$TMP/out")" "1 $F/f.h: 1001 lines (limit 1000)"

# Python: a def to its last indented line, methods on their own
{ echo "class K:"; echo "    def short(self):"; echo "        return 1"; echo
  echo "def long_one(a,"; echo "             b):"
  seq 119 | sed 's/.*/    a += &/'; echo; echo "x = 1"; } >"$F/g.py"
"$PY" $CS "$F/g.py" >"$TMP/out" 2>&1; s=$?
check_eq "a 121-line Python function is reported" \
    "$s $(cat "$TMP/out")" "1 $F/g.py:5: function long_one is 121 lines (limit 120)"

check_status "an unreadable file is exit status 2" 2 "$PY" $CS "$F/none.c"

# the tree
"$PY" $CS src include tests/unit scripts >"$TMP/out" 2>&1; s=$?
if [ "$s" -eq 0 ] && [ ! -s "$TMP/out" ]; then
    ok "no file over 1,000 lines, no function over 120 (src include tests/unit scripts)"
else
    not_ok "no file over 1,000 lines, no function over 120 (src include tests/unit scripts)"
    sed 's/^/    # /' "$TMP/out" | head -30
fi
finish
