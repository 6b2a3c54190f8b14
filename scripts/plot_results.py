#!/usr/bin/python3
"""plot_results.py — figures for a paper from one dyadseq results file.

Reads the HDF5 layout of SPEC section 5 (schemas/results.md) with h5py and
draws, with matplotlib only, five figures, each as PNG (150 dpi, or
--dpi) and PDF (--format):

  lag1_heatmap      pooled lag-k adjusted residuals (colour), Yule's Q in
                    every cell, significant cells framed after a stated
                    multiple-comparison correction (Holm by default)
  lag1_diagram      the significant transitions as a diagram: states as
                    nodes, arrow width proportional to Yule's Q
  response_km       Kaplan-Meier time to response after a bid, one panel
                    per direction, one line style per session label
  timeline          one session's events by actor over time, its pursue-
                    withdraw cycles (/cycles/runs) shaded; the events come
                    from the transcript that was analyzed (--transcript,
                    checked against the file: scripts/transcript_events.py)
  comparison_forest pre/post effect sizes (Cohen's d_z with its exact
                    confidence interval), when /comparison exists
  actor_partner     actor and partner effects over time (analyze
                    --actor-partner): mean coefficients with 95% CI per
                    session label, one panel per model (scripts/plot_apim.py)

A figure whose data are absent (no time column, no /comparison, ...) is
skipped with a one-line message on standard error. Every figure uses line
styles, hatching, value labels and grey levels, so it survives printing in
black and white. docs/plots.md explains each figure and the options.

The figures are drawn by the package scripts/dyadseq_plots/, one module per
figure family (lag: heat map and diagram; km; timeline; forest; agreement;
power; apim), on what common.py shares (reading the file, the house style,
saving) and what stats.py computes; this file is the command line.

Usage: plot_results.py RESULTS.h5 -o DIR [options]   (--help lists them)
Exit status: 0 success (skipped figures included), 1 unreadable input,
2 usage error. Run through scripts/plot_results, which finds a Python that
has h5py and matplotlib.
"""
import argparse
import os
import sys

# common first: it says what to install when numpy, h5py or matplotlib is
# missing, before a figure module needs them
from dyadseq_plots.common import DPI, PROG, Results, die, note
from dyadseq_plots import agreement, apim, forest, km, lag, power, timeline


# ------------------------------------------------------------------- main
FIGURES = [("heatmap", lag.fig_heatmap), ("diagram", lag.fig_diagram), ("km", km.fig_km),
           ("timeline", timeline.fig_timeline), ("forest", forest.fig_forest),
           ("agreement", agreement.fig_agreement), ("power", power.fig_power),
           ("actor_partner", apim.fig_actor_partner)]
FILE_NAMES = {"heatmap": "lag{lag}_heatmap", "diagram": "lag{lag}_diagram", "km": "response_km",
              "timeline": "timeline", "forest": "comparison_forest",
              "agreement": "agreement_matrix", "power": "power_curve",
              "actor_partner": "actor_partner"}


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog=PROG, description="Draw the figures of a dyadseq results file (PNG and PDF).",
        epilog="Figures: " + ", ".join(FILE_NAMES[k].format(lag=1) for k, _ in FIGURES)
               + ". See docs/plots.md.")
    ap.add_argument("results", metavar="RESULTS.h5")
    ap.add_argument("-o", "--outdir", metavar="DIR", required=True, help="where the figures go (created)")
    ap.add_argument("--session", metavar="COUPLE/LABEL",
                    help="session of the timeline [the first with the most cycles]")
    ap.add_argument("--transcript", metavar="FILE_OR_DIR",
                    help="the transcript CSV(s) that were analyzed: the events the timeline draws "
                         "(the results file holds none) [no timeline]")
    ap.add_argument("--pre", metavar="LABEL", help="first session label of the curves [pre]")
    ap.add_argument("--post", metavar="LABEL", help="second session label [post]")
    ap.add_argument("--comparison", metavar="FILE.h5", help="take /comparison from this file [RESULTS.h5]")
    ap.add_argument("--lag", type=int, default=1, help="lag of the heat map and diagram [1]")
    ap.add_argument("--alpha", type=float, default=0.05, help="significance level [0.05]")
    ap.add_argument("--correction", choices=("holm", "bonferroni", "bh"), default="holm",
                    help="multiple-comparison correction over the K\u00d7K cells [holm]")
    ap.add_argument("--permutation-p", action="store_true",
                    help="test the cells with permutation_p (analyze --permutations) [p_value]")
    ap.add_argument("--negative", action="store_true",
                    help="also draw significant negative (inhibited) transitions, in grey")
    ap.add_argument("--only", metavar="LIST",
                    help="comma-separated subset of: " + ",".join(k for k, _ in FIGURES))
    ap.add_argument("--format", metavar="LIST", default="png,pdf",
                    help="comma-separated formats of every figure: png, pdf [png,pdf]")
    ap.add_argument("--dpi", type=int, default=DPI,
                    help=f"resolution of the PNG files, dots per inch (print: 300 or more) [{DPI}]")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not list the files written")
    a = ap.parse_args(argv)
    a.formats = list(dict.fromkeys(x.strip() for x in a.format.split(",") if x.strip()))
    bad = [x for x in a.formats if x not in ("png", "pdf")]
    if bad or not a.formats:
        ap.error(f"--format: unknown format '{bad[0]}' (png, pdf)" if bad else "--format: no format")
    if not (20 <= a.dpi <= 1200):
        ap.error("--dpi must lie in 20 .. 1200")
    if not (0 < a.alpha < 1):
        ap.error("--alpha must lie in (0, 1)")
    if a.lag < 1:
        ap.error("--lag must be >= 1")
    only = [k for k, _ in FIGURES]
    if a.only:
        only = [x.strip() for x in a.only.split(",") if x.strip()]
        bad = [x for x in only if x not in FILE_NAMES]
        if bad:
            ap.error(f"--only: unknown figure '{bad[0]}'")
    r = Results(a.results)
    if not a.only and r.has("power") and not r.couples:
        only = ["power"]  # a file of dyadseq power holds nothing else to draw
    try:
        os.makedirs(a.outdir, exist_ok=True)
    except OSError as e:
        die(f"{a.outdir}: cannot create ({e.strerror})")
    written = 0
    for key, fn in FIGURES:
        if key in only:
            if fn(r, a, FILE_NAMES[key].format(lag=a.lag)):
                written += 1
    if not a.quiet:
        note(f"{written} figure{'s' if written != 1 else ''} in {a.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
