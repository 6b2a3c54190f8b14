"""power.py — power against the number of couples from `dyadseq power`
(power_curve).
"""
from .common import LABEL_STYLES, footnote, plt, save, skip


# ------------------------------------------------------------- power figure
def fig_power(r, a, name):
    """Power against couples (dyadseq power): one panel per metric and test,
    one line per number of events per session, the 95% Clopper-Pearson
    intervals as bars, the target power as a dashed line."""
    g = "power"
    need = ("couples", "events", "metric", "test", "power", "ci_low", "ci_high")
    if not all(r.has(f"{g}/{k}") for k in need):
        if a.only and "power" in a.only:  # asked for; else not a power file
            skip(name, f"no /power in {r.path} (run dyadseq power -o FILE.h5)")
        return None
    couples = r.get(f"{g}/couples").astype(int)
    events = r.get(f"{g}/events").astype(int)
    metric = r.strings(f"{g}/metric")
    test = r.strings(f"{g}/test")
    power = r.get(f"{g}/power").astype(float)
    lo = r.get(f"{g}/ci_low").astype(float)
    hi = r.get(f"{g}/ci_high").astype(float)
    target = float(r.attr("target_power", "/power") or 0.8)
    alpha = float(r.attr("alpha", "/power") or 0.05)
    reps = int(r.attr("replications", "/power") or 0)
    bh = r.attr("multiplicity", "/power") == "bh"
    panels = []
    for m, t in zip(metric, test):
        if (m, t) not in panels:
            panels.append((m, t))
    if not panels:
        return skip(name, "/power has no rows")
    ev_values = sorted(set(events.tolist()))
    ncol = min(3, len(panels))
    nrow = (len(panels) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.3 * ncol + 0.4, 2.8 * nrow + 0.3),
                             sharey=True, squeeze=False)
    test_name = {"t": "t-test", "wilcoxon": "Wilcoxon"}
    for k, (m, t) in enumerate(panels):
        ax = axes[k // ncol][k % ncol]
        rows = [i for i in range(len(metric)) if metric[i] == m and test[i] == t]
        xs_all = sorted(set(int(couples[i]) for i in rows))
        for j, ev in enumerate(ev_values):
            sel = sorted((i for i in rows if events[i] == ev), key=lambda i: couples[i])
            if not sel:
                continue
            st = LABEL_STYLES[j % len(LABEL_STYLES)]
            x = couples[sel]
            ax.errorbar(x, power[sel], yerr=[power[sel] - lo[sel], hi[sel] - power[sel]],
                        color=st["color"], ls=st["ls"], marker=st["marker"], ms=4,
                        lw=1.2, capsize=2, label=f"{ev} events")
        ax.axhline(target, color="0.35", lw=0.8, ls="--")
        ax.text(xs_all[0], target, f" target {target:g}", fontsize=7, color="0.35",
                va="bottom", ha="left")
        if len(xs_all) > 1 and xs_all[-1] / max(xs_all[0], 1) >= 4:
            ax.set_xscale("log")
        ax.set_xticks(xs_all, [str(x) for x in xs_all])
        ax.minorticks_off()
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("couples")
        if k % ncol == 0:
            ax.set_ylabel("power")
        title = "every metric" if m == "all" else m
        ax.set_title(f"{title}\n{test_name.get(t, t)}", fontsize=8.5, loc="left")
        ax.grid(axis="y", color="0.9", lw=0.5)
        ax.set_axisbelow(True)
        if k == 0:
            ax.legend(title="per session", fontsize=7, title_fontsize=7, frameon=False,
                      loc="lower right")
    for k in range(len(panels), nrow * ncol):
        axes[k // ncol][k % ncol].axis("off")
    mult = " after Benjamini\u2013Hochberg over the metrics" if bh else ""
    footnote(fig, f"Power: share of {reps} simulated studies per design point whose test "
             f"rejects at \u03b1 = {alpha:g} (two-sided){mult}; bars: 95% Clopper\u2013Pearson "
             "intervals; dashed: the target power. 'every metric': all tests reject in the "
             "same study.")
    return save(fig, a.outdir, name, a)
