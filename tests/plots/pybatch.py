#!/usr/bin/python3
"""pybatch.py — run many Python scripts in one interpreter, for the tests.

    pybatch.py DIR < JOBS

Starting Python with h5py, numpy and matplotlib costs about a second, and
matplotlib's first figure loads its fonts; the plot tests run some twenty
scripts, so they run them here, one after the other, in one process.

Each line of JOBS is `NAME SCRIPT ARG...`, split like a shell line (shlex;
blank lines and lines starting with # are skipped). SCRIPT runs as
`__main__` (runpy) with sys.argv = [SCRIPT, ARG...] and SCRIPT's directory
first on sys.path, as `python3 SCRIPT ARG...` would run it; its standard output goes to DIR/NAME.out, its
standard error to DIR/NAME.err and its exit status to DIR/NAME.status: 0
when it returns or calls sys.exit() or sys.exit(0), the code of
sys.exit(N), 1 for sys.exit("message") (printed to .err, as Python does)
and for an uncaught exception (its traceback in .err). Jobs run in order,
so a job may read what an earlier one wrote. Open matplotlib figures are
closed after each job, so one that dies half-way leaves nothing behind.
"""
import contextlib
import os
import runpy
import shlex
import sys
import traceback


def run_job(outdir, name, script, args):
    status = 0
    with open(os.path.join(outdir, name + ".out"), "w") as out, \
            open(os.path.join(outdir, name + ".err"), "w") as err, \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        saved_argv, saved_path = sys.argv, sys.path[:]
        sys.argv = [script] + args
        sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit as e:
            if e.code is None:
                status = 0
            elif isinstance(e.code, int):
                status = e.code
            else:
                print(e.code, file=sys.stderr)
                status = 1
        except Exception:  # noqa: BLE001 — reported like an uncaught error
            traceback.print_exc()
            status = 1
        finally:
            sys.argv, sys.path[:] = saved_argv, saved_path
            plt = sys.modules.get("matplotlib.pyplot")
            if plt is not None:
                plt.close("all")
    with open(os.path.join(outdir, name + ".status"), "w") as f:
        f.write(f"{status}\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pybatch.py DIR < JOBS")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for line in sys.stdin:
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if len(words) < 2:
            sys.exit(f"pybatch.py: a job needs NAME and SCRIPT: {line.strip()}")
        run_job(outdir, words[0], words[1], words[2:])


if __name__ == "__main__":
    main()
