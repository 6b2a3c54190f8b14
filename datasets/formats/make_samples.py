#!/usr/bin/env python3
"""make_samples.py — write the sample files of datasets/formats/.

One small study (2 couples x pre/post, actors A and B, the built-in codes)
is written by hand-coded rules below into transcript.csv (the dyadseq
transcript) and into each tool's format, laid out as that tool's
documentation and source describe (README.md says which version). The
converter is then tested against transcript.csv: this script is the
independent writer, dyadseq's importers the readers.

Run from the repository root: python3 datasets/formats/make_samples.py
(standard library only; the output is deterministic).
"""
import csv
import io
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SUBJECT = {"A": "Partner 1", "B": "Partner 2"}   # BORIS subjects
TIER = {"A": "Partner1", "B": "Partner2"}        # ELAN tiers
STATES = ["pursue", "withdraw", "soften", "response"]
LENGTH = 120.0                                   # media length, seconds
FPS = 25.0


def study():
    """Sessions: id -> list of (actor, code, onset, duration, modifier)."""
    rnd = random.Random(15)
    out = {}
    for couple in ("c01", "c02"):
        for label in ("pre", "post"):
            t, free, ev = 1.0, {"A": 0.0, "B": 0.0}, []
            actor = "A"
            for i in range(14):
                if rnd.random() < 0.8:
                    actor = "B" if actor == "A" else "A"
                code = "bid" if rnd.random() < 0.2 else rnd.choice(STATES)
                on = round(max(t, free[actor]), 1)
                dur = 0.0 if code == "bid" else round(rnd.uniform(0.5, 3.0), 1)
                mod = rnd.choice(["warm", "neutral"]) if code == "response" else ""
                ev.append((actor, code, on, dur, mod))
                free[actor] = round(on + dur, 1)
                t = round(on + rnd.uniform(0.6, 2.4), 1)
            out[f"{couple}_{label}"] = ev
    return out


def num(x):
    """Seconds as dyadseq writes them: the shortest exact decimal."""
    for d in range(10):
        s = f"{x:.{d}f}"
        if float(s) == x:
            return s
    return repr(x)


def write(path, text, newline="\n"):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)


def sorted_events(ev):
    return sorted(ev, key=lambda e: e[2])


def transcript(data):
    rows = ["couple,session,actor,code,time,duration,start,end"]
    for sid in sorted(data):
        couple, label = sid.split("_")
        for a, c, on, dur, _ in sorted_events(data[sid]):
            rows.append(f"{couple},{label},{a},{c},{num(on)},{num(dur)},0,{num(LENGTH)}")
    write("transcript.csv", "\n".join(rows) + "\n")


def boris_events(ev):
    """BORIS's stored events: a START and a STOP entry per state, time-sorted
    (as BORIS keeps them), [time, subject, code, modifier, comment, frame]."""
    out = []
    for a, c, on, dur, mod in ev:
        out.append([on, SUBJECT[a], c, mod, ""])
        if c != "bid":
            out.append([round(on + dur, 3), SUBJECT[a], c, mod, ""])
    out.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
    return [e + [int(e[0] * FPS)] for e in out]


def boris_project(data):
    beh = {}
    keys = {"pursue": "p", "withdraw": "w", "soften": "s", "bid": "b", "response": "r"}
    for i, code in enumerate(["pursue", "withdraw", "soften", "bid", "response"]):
        beh[str(i)] = {
            "type": "Point event" if code == "bid" else "State event",
            "key": keys[code], "code": code, "description": "", "color": "",
            "category": "",
            "modifiers": ({"0": {"name": "tone", "type": 0, "values": ["warm", "neutral"],
                                 "description": ""}} if code == "response" else {}),
            "excluded": "", "coding map": ""}
    obs = {}
    for sid in sorted(data):
        media = f"{sid}.mp4"
        obs[sid] = {
            "file": {"1": [media], "2": [], "3": [], "4": [], "5": [], "6": [], "7": [], "8": []},
            "type": "MEDIA", "date": "2024-05-02T10:00:00.000",
            "description": "", "time offset": 0.0,
            "events": boris_events(data[sid]),
            "observation time interval": [0, 0],
            "independent_variables": {"therapy": sid.split("_")[1]},
            "visualize_spectrogram": False, "visualize_waveform": False,
            "media_creation_date_as_offset": False, "media_scan_sampling_duration": 0,
            "image_display_duration": 1, "close_behaviors_between_videos": False,
            "media_info": {"length": {media: LENGTH}, "fps": {media: FPS},
                           "hasVideo": {media: True}, "hasAudio": {media: True},
                           "offset": {"1": 0.0}}}
    pj = {
        "time_format": "hh:mm:ss", "project_date": "2024-05-02T09:00:00",
        "project_name": "dyadseq sample", "project_description": "",
        "project_format_version": "7.0",
        "subjects_conf": {"0": {"key": "1", "name": "Partner 1", "description": ""},
                          "1": {"key": "2", "name": "Partner 2", "description": ""}},
        "behaviors_conf": beh, "observations": obs, "behavioral_categories": [],
        "independent_variables": {"0": {"label": "therapy", "description": "",
                                        "type": "text", "default value": "",
                                        "possible values": ""}},
        "coding_map": {}, "behaviors_coding_map": [], "converters": {}}
    write("boris/study.boris", json.dumps(pj, indent=1) + "\n")


def table(rows, delim, newline):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=newline)
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def by_subject_behavior(ev):
    """BORIS's aggregated order: subject, behaviour, modifiers, start."""
    return sorted(ev, key=lambda e: (SUBJECT[e[0]], e[1], e[4], e[2]))


def boris_aggregated_v9(data):
    head = ["Observation id", "Observation date", "Description", "Observation type",
            "Source", "Time offset (s)", "Coding duration", "Media duration (s)",
            "FPS (frame/s)", "therapy", "Subject",
            "Observation duration by subject by observation", "Behavior",
            "Behavioral category", "Modifier #1", "Behavior type", "Start (s)",
            "Stop (s)", "Duration (s)", "Media file name", "Image index start",
            "Image index stop", "Image file path start", "Image file path stop",
            "Comment start", "Comment stop"]
    rows = [head]
    for sid in sorted(data):
        ev = data[sid]
        first, last = min(e[2] for e in ev), max(e[2] + e[3] for e in ev)
        for a, c, on, dur, mod in by_subject_behavior(ev):
            by_subj = sum(e[3] for e in ev if e[0] == a)
            state = c != "bid"
            rows.append([sid, "2024-05-02 10:00:00.000", "", "Media file",
                         f"player #1:{sid}.mp4", "0.0", f"{last - first:.3f}",
                         f"{LENGTH:.3f}", f"{FPS:.3f}", sid.split("_")[1],
                         SUBJECT[a], f"{by_subj:.3f}", c, "Not defined", mod,
                         "STATE" if state else "POINT", f"{on:.3f}",
                         f"{on + dur:.3f}", f"{dur:.3f}" if state else "NA",
                         f"{sid}.mp4", "", "", "", "", "", ""])
    write("boris/aggregated_v9.csv", table(rows, ",", "\r\n"), newline="")


def boris_aggregated_v7(data):
    head = ["Observation id", "Observation date", "Description", "Media file",
            "Total length", "FPS", "therapy", "Subject", "Behavior",
            "Behavioral category", "Modifiers", "Behavior type", "Start (s)",
            "Stop (s)", "Duration (s)", "Comment start", "Comment stop"]
    rows = [head]
    for sid in sorted(data):
        for a, c, on, dur, mod in by_subject_behavior(data[sid]):
            state = c != "bid"
            rows.append([sid, "2024-05-02 10:00:00", "", f"{sid}.mp4",
                         f"{LENGTH:.3f}", FPS, sid.split("_")[1], SUBJECT[a], c,
                         "", mod, "STATE" if state else "POINT", f"{on:.3f}",
                         f"{on + dur:.3f}", f"{dur:.3f}" if state else "NA", "", ""])
    write("boris/aggregated_v7.tsv", table(rows, "\t", "\r\n"), newline="")


def status_rows(ev):
    """START/STOP/POINT rows in time order, as BORIS's events_start_stop."""
    out = []
    for a, c, on, dur, mod in ev:
        if c == "bid":
            out.append((on, a, c, mod, "POINT"))
        else:
            out.append((on, a, c, mod, "START"))
            out.append((round(on + dur, 3), a, c, mod, "STOP"))
    out.sort(key=lambda r: (r[0], SUBJECT[r[1]], r[2], r[3]))
    return out


def boris_events_v7(data):
    for sid in sorted(data):
        head = ["Time", "Media file path", "Total length", "FPS", "Subject",
                "Behavior", "Behavioral category", "Modifier 1", "Comment", "Status"]
        pre = [["Observation id", sid], [""], ["Media file(s)"], [""],
               ["Player #1", f"{sid}.mp4"], [""],
               ["Observation date", "2024-05-02 10:00:00"], [""],
               ["Description", ""], [""], ["Time offset (s)", "0.0"], [""],
               ["independent variables"], ["variable", "value"],
               ["therapy", sid.split("_")[1]], [""]]
        rows = [[f"{t:g}" if t != int(t) else f"{t:.1f}", f"{sid}.mp4",
                 f"{LENGTH:.3f}", FPS, SUBJECT[a], c, "", mod, "", st]
                for t, a, c, mod, st in status_rows(data[sid])]
        width = len(head)
        allr = [r + [""] * (width - len(r)) for r in pre + [head] + rows]
        write(f"boris/events_v7/{sid}.tsv", table(allr, "\t", "\r\n"), newline="")


def boris_events_v9(data):
    for sid in sorted(data):
        head = ["Observation id", "Observation date", "Description",
                "Observation duration", "Observation type", "Source",
                "Time offset (s)", "Media duration (s)", "FPS", "therapy", "Subject",
                "Behavior", "Behavioral category", "Modifier #1", "Behavior type",
                "Time", "Media file name", "Image index", "Image file path",
                "Comment"]
        rows = [head]
        for t, a, c, mod, st in status_rows(data[sid]):
            rows.append([sid, "2024-05-02 10:00:00.000", "", f"{LENGTH:.3f}",
                         "Media file(s)", f"player #1:{sid}.mp4", "0.0",
                         f"{LENGTH:.3f}", f"{FPS:.3f}", sid.split("_")[1],
                         SUBJECT[a], c, "", mod, st, f"{t:.3f}", f"{sid}.mp4",
                         int(t * FPS), "NA", ""])
        write(f"boris/events_v9/{sid}.csv", table(rows, ",", "\r\n"), newline="")


def elan(data):
    for sid in sorted(data):
        ev = sorted_events(data[sid])
        slots, tiers = [], {"Partner1": [], "Partner2": [], "Comments": []}
        n = 0
        for a, c, on, dur, mod in ev:
            s1, s2 = f"ts{len(slots) + 1}", f"ts{len(slots) + 2}"
            slots += [(s1, round(on * 1000)), (s2, round((on + dur) * 1000))]
            n += 1
            tiers[TIER[a]].append((f"a{n}", s1, s2, c))
        s1, s2 = f"ts{len(slots) + 1}", f"ts{len(slots) + 2}"
        slots += [(s1, 0), (s2, 4000)]
        n += 1
        tiers["Comments"].append((f"a{n}", s1, s2, "couple seated, camera 1"))
        x = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-05-02T10:00:00+02:00" '
             'FORMAT="3.0" VERSION="3.0" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">',
             '    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">',
             f'        <MEDIA_DESCRIPTOR MEDIA_URL="file:///data/{sid}.mp4" '
             f'MIME_TYPE="video/mp4" RELATIVE_MEDIA_URL="./{sid}.mp4"/>',
             f'        <PROPERTY NAME="lastUsedAnnotationId">{n}</PROPERTY>',
             '    </HEADER>', '    <TIME_ORDER>']
        x += [f'        <TIME_SLOT TIME_SLOT_ID="{i}" TIME_VALUE="{v}"/>' for i, v in slots]
        x.append('    </TIME_ORDER>')
        for name, anns in tiers.items():
            part = {"Partner1": "Partner 1", "Partner2": "Partner 2"}.get(name, "")
            x.append(f'    <TIER LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="{part}" '
                     f'TIER_ID="{name}">')
            for aid, s1, s2, val in anns:
                x += ['        <ANNOTATION>',
                      f'            <ALIGNABLE_ANNOTATION ANNOTATION_ID="{aid}" '
                      f'TIME_SLOT_REF1="{s1}" TIME_SLOT_REF2="{s2}">',
                      f'                <ANNOTATION_VALUE>{val}</ANNOTATION_VALUE>',
                      '            </ALIGNABLE_ANNOTATION>', '        </ANNOTATION>']
            x.append('    </TIER>')
        x += ['    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" '
              'LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>',
              '    <CONSTRAINT DESCRIPTION="Time subdivision of parent annotation\'s time '
              'interval, no time gaps allowed within this interval" '
              'STEREOTYPE="Time_Subdivision"/>',
              '</ANNOTATION_DOCUMENT>']
        write(f"elan/{sid}.eaf", "\n".join(x) + "\n")


def hms(ms):
    h, ms = divmod(ms, 3600000)
    m, ms = divmod(ms, 60000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def elan_txt(data):
    """ELAN's tab-delimited export, one annotation per row: tier,
    participant, begin/end/duration in hh:mm:ss.ms and ss.msec, value."""
    for sid in sorted(data):
        lines = [f'"#file:///data/{sid}.mp4 -- offset: 0"', ""]
        for name, a in (("Partner1", "A"), ("Partner2", "B")):
            for ea, c, on, dur, _ in sorted_events(data[sid]):
                if ea != a:
                    continue
                b, e = round(on * 1000), round((on + dur) * 1000)
                lines.append("\t".join([name, SUBJECT[a], hms(b), str(b / 1000),
                                        hms(e), str(e / 1000), hms(e - b),
                                        str((e - b) / 1000), c]))
        lines.append("\t".join(["Comments", "", hms(0), "0.0", hms(4000), "4.0",
                                hms(4000), "4.0", "couple seated, camera 1"]))
        write(f"elan_txt/{sid}.txt", "\n".join(lines) + "\n")


def sdis(data):
    codes = [f"{a}_{c}" for a in "AB"
             for c in ["pursue", "withdraw", "soften", "bid", "response"]]
    out = ["% SDIS timed-event data: the sample study of datasets/formats",
           "% actors as code prefixes A_ and B_; sessions <couple_session>",
           "Timed " + " ".join(codes) + " ;", ""]
    for sid in sorted(data):
        items = [",0"]
        for a, c, on, dur, _ in sorted_events(data[sid]):
            items.append(f"{a}_{c},{num(on)}" if c == "bid"
                         else f"{a}_{c},{num(on)}-{num(round(on + dur, 3))}")
        lines = [f"<{sid}>"]
        for i in range(0, len(items), 6):
            lines.append(" ".join(items[i:i + 6]))
        lines[-1] += f" ,{num(LENGTH)}/"
        out += lines + [""]
    write("sdis/study.sds", "\n".join(out))


def observer(data):
    """An event log with state start/stop rows, as Observer XT exports it
    (column names here are illustrative)."""
    head = ["Observation", "Time_Relative_sf", "Subject", "Behavior",
            "Modifier_1", "Event_Type", "Comment"]
    rows = [head]
    for sid in sorted(data):
        for t, a, c, mod, st in status_rows(data[sid]):
            kind = {"START": "State start", "STOP": "State stop",
                    "POINT": "State point"}[st]
            rows.append([sid, f"{t:.3f}", SUBJECT[a], c, mod, kind, ""])
    write("columns/observer_xt.csv", table(rows, ",", "\n"))


def interact(data):
    """One row per event with onset and offset as time codes, tab-separated
    (illustrative of INTERACT's text export)."""
    head = ["Couple", "Session", "Class", "Code", "Onset", "Offset"]
    rows = [head]
    for sid in sorted(data):
        couple, label = sid.split("_")
        for a, c, on, dur, _ in sorted_events(data[sid]):
            rows.append([couple, label, SUBJECT[a], c, hms(round(on * 1000)),
                         hms(round((on + dur) * 1000))])
    write("columns/interact.txt", table(rows, "\t", "\n"))


def datavyu(data):
    """Cells of a Datavyu column exported one per row: onset and offset in
    milliseconds (illustrative of a Datavyu script export)."""
    head = ["file", "column", "ordinal", "onset", "offset", "code"]
    rows = [head]
    for sid in sorted(data):
        k = 0
        for a, c, on, dur, _ in sorted_events(data[sid]):
            k += 1
            rows.append([f"{sid}.opf", {"A": "partner1", "B": "partner2"}[a], k,
                         round(on * 1000), round((on + dur) * 1000), c])
    write("columns/datavyu.csv", table(rows, ",", "\n"))


if __name__ == "__main__":
    d = study()
    transcript(d)
    boris_project(d)
    boris_aggregated_v9(d)
    boris_aggregated_v7(d)
    boris_events_v7(d)
    boris_events_v9(d)
    elan(d)
    elan_txt(d)
    sdis(d)
    observer(d)
    interact(d)
    datavyu(d)
