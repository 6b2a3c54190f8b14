"""common.py — what every figure of plot_results.py shares: the modules
(numpy, h5py, matplotlib, with a message naming what to install when one is
missing), the house style (rcParams, one line style per session label),
messages, the read-only view of a results file, number formats, and saving
a figure with its caption.
"""
import json
import math
import os
import sys
import textwrap

PROG = "plot_results"


def note(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)


def die(msg, status=1):
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(status)


try:
    import numpy  # noqa: F401  (checked here; the figure modules use it)
    import h5py
    import matplotlib
except ImportError as e:  # the wrapper normally prevents this
    die(f"{sys.executable} has no module '{e.name}': install python3-h5py and "
        "python3-matplotlib (Debian/Ubuntu), or 'pip install h5py matplotlib', "
        "or run scripts/plot_results, which looks for a Python that has them")

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

SUPPORTED_FORMAT_VERSION = 1
DPI = 150
MINUS = "\u2212"
ARROW = "\u2192"

plt.rcParams.update({
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8,
    "pdf.fonttype": 42, "ps.fonttype": 42,  # editable text in the PDF
    "axes.spines.top": False, "axes.spines.right": False,
    "savefig.bbox": "tight", "savefig.pad_inches": 0.05,
})

# One style per session label, distinguishable without colour.
LABEL_STYLES = [dict(color="0.0", ls="-", marker="o"),
                dict(color="0.45", ls="--", marker="s"),
                dict(color="0.25", ls=":", marker="^"),
                dict(color="0.6", ls="-.", marker="D")]


# ------------------------------------------------------------------ reading


class Results:
    """Thin read-only view of a results file: strings decoded, paths
    checked. Arrays come back as numpy arrays in h5py's (C) order, so a
    [K, K] table is indexed [antecedent, target]."""

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            die(f"{path}: no such file")
        if os.path.isdir(path):
            die(f"{path}: is a directory, not a results file")
        try:
            self.f = h5py.File(path, "r")
        except (OSError, ValueError) as e:
            why = str(e).split("(")[-1].rstrip(")") if "(" in str(e) else str(e)
            die(f"{path}: not a readable HDF5 file ({why})")
        fmt = self.f.attrs.get("format")
        if isinstance(fmt, bytes):
            fmt = fmt.decode("utf-8", "replace")
        if fmt != "dyadseq-results":
            die(f"{path}: not a dyadseq results file (root attribute format is "
                f"{fmt!r}, want 'dyadseq-results')")
        ver = self.f.attrs.get("format_version")
        if ver is not None and int(ver) > SUPPORTED_FORMAT_VERSION:
            note(f"warning: {path} has format_version {int(ver)}; this script "
                 f"knows version {SUPPORTED_FORMAT_VERSION} and may misread it")
        try:
            self.params = json.loads(self.attr("parameters") or "{}")
        except ValueError:
            self.params = {}
        # a file of `dyadseq power` has no sessions (nothing is kept of them)
        has_sessions = "sessions/couple" in self.f
        if "states/label" not in self.f or not (has_sessions or "power" in self.f):
            die(f"{path}: no /states/label or /sessions: not a complete results file")
        self.states = self.strings("states/label")
        self.couples = self.strings("sessions/couple") if has_sessions else []
        self.labels = self.strings("sessions/session") if has_sessions else []
        self.S, self.K = len(self.couples), len(self.states)

    def has(self, p):
        return p in self.f

    def attr(self, name, obj="/"):
        v = self.f[obj].attrs.get(name)
        return v.decode("utf-8", "replace") if isinstance(v, bytes) else v

    def get(self, p):
        return self.f[p][()]

    def strings(self, p):
        return [str(s) for s in self.f[p].asstr()[()]]

    def param(self, *names, default=None):
        """An option from the `parameters` JSON (a flat object keyed by
        the long option name, spelt with '_' or '-')."""
        for n in names:
            for key in (n, n.replace("_", "-"), n.replace("-", "_")):
                if key in self.params:
                    return self.params[key]
        return default

    def session_name(self, s):
        return f"{self.couples[s]}/{self.labels[s]}"

    def structure(self):
        """(actors, codes, roles) from /states/label and /codebook, or
        (None, codes, roles) when states are codes alone (no actor column).
        States are actor-major (SPEC 4): state s = actor s // C, code s % C."""
        codes = self.strings("codebook/code") if self.has("codebook/code") else []
        roles = self.strings("codebook/role") if self.has("codebook/role") else []
        C = len(codes)
        if C == 0 or len(roles) != C:
            return None, self.states, ["other"] * self.K
        if self.K == C and self.states == codes:
            return None, codes, roles
        if self.K % C == 0:
            actors = []
            for a in range(self.K // C):
                lab, suffix = self.states[a * C], ":" + codes[0]
                if not lab.endswith(suffix):
                    break
                actors.append(lab[: -len(suffix)])
            if len(actors) == self.K // C and all(
                    self.states[a * C + c] == f"{actors[a]}:{codes[c]}"
                    for a in range(len(actors)) for c in range(C)):
                return actors, codes, roles
        return None, self.states, ["other"] * self.K


# ------------------------------------------------------------- formats
def fmt_q(v):
    """Yule's Q as in APA tables: no leading zero, a real minus sign."""
    if not math.isfinite(v):
        return ""
    s = f"{abs(v):.2f}"
    s = s[1:] if s.startswith("0") else s
    return (MINUS if v < 0 and s not in (".00",) else "") + s


def fmt_num(v, digits=3):
    if not math.isfinite(v):
        return "NaN"
    s = f"{v:.{digits}g}"
    if "e" not in s and abs(v) >= 10 ** digits:
        s = f"{v:.0f}"
    return s.replace("-", MINUS)


# ----------------------------------------------------------------- output
def save(fig, outdir, name, a):
    """Write the figure in each format of --format (PNG at --dpi, PDF),
    cropped to what is drawn, caption included, plus a margin. The crop
    box is found once, not once per format by savefig's "tight" (each
    lays the whole figure out again)."""
    box = _place_caption(fig)
    paths = []
    for ext in a.formats:
        p = os.path.join(outdir, f"{name}.{ext}")
        meta = {"CreationDate": None} if ext == "pdf" else {"Software": None}
        fig.savefig(p, dpi=getattr(a, "dpi", DPI), metadata=meta, bbox_inches=box)
        paths.append(p)
    plt.close(fig)
    if not a.quiet:
        note(f"wrote {paths[0]}" + "".join(f" and .{e}" for e in a.formats[1:]))
    return paths


def skip(name, why):
    note(f"skipped {name}: {why}")


def footnote(fig, text):
    """A caption under the figure; save() places it below everything else
    and wraps it to the drawn width."""
    fig._dyadseq_caption = text


def _place_caption(fig):
    """Place the caption (footnote) under what is drawn; return the box
    (inches) of everything, caption included, with savefig's margin."""
    renderer = fig.canvas.get_renderer()
    bb = fig.get_tightbbox(renderer)  # inches
    text = getattr(fig, "_dyadseq_caption", None)
    if text:
        W, H = fig.get_figwidth(), fig.get_figheight()
        width_in = max(bb.x1 - bb.x0, 4.0)
        chars = int(width_in * 72 / (7.5 * 0.47))
        t = fig.text(bb.x0 / W, (bb.y0 - 0.08) / H, textwrap.fill(text, chars), ha="left",
                     va="top", fontsize=7.5, color="0.2", transform=fig.transFigure)
        ext = t.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
        bb = Bbox.union([bb, ext])
    pad = plt.rcParams["savefig.pad_inches"]
    return Bbox.from_extents(bb.x0 - pad, bb.y0 - pad, bb.x1 + pad, bb.y1 + pad)
