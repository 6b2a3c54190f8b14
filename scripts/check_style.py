#!/usr/bin/env python3
"""check_style.py — the size limits of the project's style (HELPERS.md,
shared/STYLE.md: "a function longer than a screen or two is several
functions"): no source file over 1,000 lines and no function over 120.

    scripts/check_style.py [--max-file N] [--max-function N] [PATH...]

PATHs are files or directories (searched for *.c, *.h and *.py); the
default is the tree's src/, include/, tests/unit/ and scripts/ (with their
subdirectories). Each file over the file limit and each function over the
function limit is printed as

    FILE:LINE: function NAME is N lines (limit 120)
    FILE: N lines (limit 1000)

and the exit status is 1 when there is any, 0 when there is none, 2 on a
usage error or an unreadable file.

A C function is a top-level definition: at brace depth 0, a `{` whose
text since the previous `;`, `}` or preprocessor line ends in `)` (after
attributes such as __attribute__((...))) and has no `=` (not an
initializer). Comments, string and character literals and
preprocessor lines (with their continuations) are set aside first, so
braces in them do not count. Its length runs from the first line of its
declaration (the return type) to its closing brace, both included. A
Python function is a `def` (at any depth; methods and nested functions
count on their own, and a nested function's lines count for its parent
too) from its `def` line to its last non-blank line.
"""
import argparse
import os
import re
import sys

MAX_FILE = 1000
MAX_FUNCTION = 120
DEFAULT_PATHS = ("src", "include", "tests/unit", "scripts")
C_EXT = (".c", ".h")
PY_EXT = (".py",)


def c_blank(text):
    """text with comments, string and character literals and preprocessor
    lines replaced by spaces, newlines kept (so line numbers hold)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        ch = text[i]
        if line_start and ch in " \t":
            out.append(ch)
            i += 1
            continue
        if line_start and ch == "#":
            # a preprocessor line, with its backslash continuations
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        line_start = False
        if ch == "\n":
            out.append(ch)
            line_start = True
            i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


ATTRIBUTE = re.compile(r"__attribute__\s*\(\(.*?\)\)\s*$", re.S)
NAME = re.compile(r"([A-Za-z_]\w*)\s*\($")


def c_functions(text):
    """[(name, first line, last line)] of the top-level function
    definitions of C source text (lines from 1)."""
    code = c_blank(text)
    found = []
    depth = 0
    head_start = 0   # offset where the text before a depth-0 `{` starts
    open_at = None   # (name, first line) of the function being read
    for i, ch in enumerate(code):
        if ch == "{":
            if depth == 0:
                head = code[head_start:i]
                stripped = head.rstrip()
                while ATTRIBUTE.search(stripped):
                    stripped = ATTRIBUTE.sub("", stripped).rstrip()
                if stripped.endswith(")") and "=" not in head:
                    name = function_name(stripped)
                    first = head_start + (len(head) - len(head.lstrip()))
                    open_at = (name, code.count("\n", 0, first) + 1)
                else:
                    open_at = None
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                if open_at:
                    found.append((open_at[0], open_at[1],
                                  code.count("\n", 0, i) + 1))
                open_at = None
                head_start = i + 1
            depth = max(depth, 0)
        elif ch == ";" and depth == 0:
            head_start = i + 1
    return found


def function_name(head):
    """The name before the parameter list of a declaration ending in `)`."""
    level = 0
    for k in range(len(head) - 1, -1, -1):
        if head[k] == ")":
            level += 1
        elif head[k] == "(":
            level -= 1
            if level == 0:
                m = NAME.search(head[:k + 1])
                if m:
                    return m.group(1)
                # a parenthesized declarator: int (*f(void))(int)
    return "?"


PY_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)")


def py_functions(text):
    """[(name, first line, last line)] of the def's of Python source."""
    lines = text.split("\n")
    found = []
    for k, line in enumerate(lines):
        m = PY_DEF.match(line)
        if not m:
            continue
        indent = len(m.group(1).expandtabs())
        last = k
        # the signature may continue on more lines; the body is every
        # later line indented deeper (or blank / a continued string)
        j = k + 1
        in_head = not line.rstrip().endswith(":")
        while j < len(lines):
            s = lines[j]
            if s.strip() == "":
                j += 1
                continue
            ind = len(s) - len(s.lstrip())
            if in_head:
                last = j
                if s.rstrip().endswith(":"):
                    in_head = False
                j += 1
                continue
            if ind <= indent:
                break
            last = j
            j += 1
        found.append((m.group(2), k + 1, last + 1))
    return found


def sources(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs
                                 if not d.startswith(".") and
                                 d != "__pycache__")
                for f in sorted(files):
                    if f.endswith(C_EXT + PY_EXT):
                        yield os.path.join(root, f)
        else:
            yield p


def check(path, max_file, max_function):
    """The problems of one file, as lines to print."""
    with open(path, encoding="utf-8", errors="replace") as fp:
        text = fp.read()
    problems = []
    n_lines = text.count("\n") + (0 if text.endswith("\n") or not text
                                  else 1)
    if n_lines > max_file:
        problems.append("%s: %d lines (limit %d)" % (path, n_lines, max_file))
    funcs = py_functions(text) if path.endswith(PY_EXT) else c_functions(text)
    for name, first, last in funcs:
        length = last - first + 1
        if length > max_function:
            problems.append("%s:%d: function %s is %d lines (limit %d)"
                            % (path, first, name, length, max_function))
    return problems


def main(argv):
    ap = argparse.ArgumentParser(
        description="no file over --max-file lines, no function over "
                    "--max-function lines")
    ap.add_argument("--max-file", type=int, default=MAX_FILE)
    ap.add_argument("--max-function", type=int, default=MAX_FUNCTION)
    ap.add_argument("--list", action="store_true",
                    help="print every function with its length instead")
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args(argv)
    paths = a.paths or [p for p in DEFAULT_PATHS if os.path.isdir(p)]
    problems = []
    for path in sources(paths):
        try:
            if a.list:
                with open(path, encoding="utf-8", errors="replace") as fp:
                    text = fp.read()
                funcs = (py_functions(text) if path.endswith(PY_EXT)
                         else c_functions(text))
                for name, first, last in funcs:
                    print("%d %s:%d %s" % (last - first + 1, path, first,
                                           name))
                continue
            problems += check(path, a.max_file, a.max_function)
        except OSError as e:
            print("check_style.py: %s: %s" % (path, e.strerror),
                  file=sys.stderr)
            return 2
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
