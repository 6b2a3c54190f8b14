"""transcript_events.py — one session's events from the transcript CSVs, for
the timeline of scripts/plot_results.py.

A results file holds every statistic of a session, its pursue–withdraw
cycles included (/cycles/runs), but not its events. The timeline draws the
events, so it reads them from the transcript that was analyzed, and only
for drawing: nothing is computed from them. They must therefore be the
events the results file was made from, and this module checks that rather
than validating the transcript again (that is `dyadseq validate`):

- the header: the columns dyadseq needs, found by name as dyadseq finds
  them (case-insensitive, any order), none twice; `actor` when the states
  of the file have actors;
- every row: as many fields as the header; its couple and session label
  not empty and a session of the results file (a row of another study, or
  of a session the analysis did not see, stops the figure);
- the session drawn: every state (actor:code) one of /states/label, every
  time and duration readable as dyadseq reads them (seconds such as 83.4,
  or [hh:]mm:ss[.fff]; durations in seconds, not negative), onsets not
  going backwards unless the analysis sorted them (`sort` in `parameters`,
  then sorted stably as dyadseq sorts), the session in one file unless the
  analysis merged files (`merge`), and exactly /sessions/n_events events.

Problems are reported as dyadseq reports them, `FILE:LINE: column 'NAME':
message`, through the caller's `die`. Files of a directory are read in
byte order of their names, rows in file order, as dyadseq reads them.
Fields are stripped of surrounding spaces and tabs, as libcsv strips
unquoted fields.
"""
import csv
import glob
import math
import os
import re

# digits with an optional point, at least one digit, an optional exponent
# (src/text.c ds_parse_seconds)
_SECONDS = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CLOCK_SECONDS = re.compile(r"[0-9]{2}(?:\.[0-9]*)?")
_CLOCK_UNIT = re.compile(r"[0-9]{1,9}")


class BadNumber(ValueError):
    """A time or duration dyadseq would not read; str() is the reason."""


def parse_seconds(s):
    """Seconds as dyadseq reads a duration or a time without colons: an
    optional sign, digits with an optional point and exponent; "-0" is 0,
    any other negative value, NaN and infinity are errors."""
    if s[:1] in ("-", "+"):
        body = s[1:]
        if not (body[:1].isdigit() or body[:1] == "." or body[:3].lower() == "inf"):
            raise BadNumber("syntax")
        if s[0] == "-":
            try:
                v = parse_seconds(body)
            except BadNumber as e:
                raise BadNumber("syntax" if str(e) == "syntax" else "negative") from None
            if v == 0:
                return 0.0
            raise BadNumber("negative")
        s = body
    if s.lower() in ("nan", "inf", "infinity"):
        raise BadNumber("nonfinite")
    if not _SECONDS.fullmatch(s):
        raise BadNumber("syntax")
    v = float(s)
    if not math.isfinite(v):
        raise BadNumber("nonfinite")
    return v


def parse_time(s):
    """An onset as dyadseq reads it (src/text.c ds_parse_time): seconds,
    or [hh:]mm:ss[.fff] with two-digit seconds below 60 (and two-digit
    minutes below 60 after hours)."""
    if ":" not in s:
        return parse_seconds(s)
    if s.startswith("-"):
        raise BadNumber("negative")
    parts = s.split(":")
    if len(parts) > 3:
        raise BadNumber("syntax")
    *units, sec = parts
    if not all(_CLOCK_UNIT.fullmatch(u) for u in units) or not _CLOCK_SECONDS.fullmatch(sec):
        raise BadNumber("syntax")
    if len(units) == 2 and len(units[1]) != 2:
        raise BadNumber("syntax")
    h, m = (float(units[0]), float(units[1])) if len(units) == 2 else (0.0, float(units[0]))
    secs = float(sec)
    if secs >= 60 or (len(units) == 2 and m >= 60):
        raise BadNumber("syntax")
    return h * 3600 + m * 60 + secs


def _number_message(what, text, why):
    if why == "negative":
        return f"negative {what} '{text}'"
    if why == "nonfinite":
        return f"{what} '{text}' is not a finite number"
    if what == "time":
        return (f"cannot read time '{text}' (expected seconds such as 83.4 "
                "or [hh:]mm:ss[.fff] such as 1:02:03.5)")
    return f"cannot read duration '{text}' (expected seconds such as 2.5)"


COLUMNS = ("couple", "session", "actor", "code", "time", "duration")


def _header(fn, header, need_actor, die):
    """{column: field index} of the columns dyadseq reads."""
    col = {}
    for i, h in enumerate(header):
        name = h.strip(" \t").lower()
        if name in COLUMNS:
            if name in col:
                die(f"{fn}:1: column '{name}': duplicate column (fields {col[name] + 1} and {i + 1})")
            col[name] = i
    need = ["couple", "session", "code"] + (["actor"] if need_actor else [])
    missing = [c for c in need if c not in col]
    if missing:
        found = ", ".join(f"'{h}'" for h in header)
        die(f"{fn}:1: required column{'s' if len(missing) > 1 else ''} missing: "
            f"{', '.join(missing)} (columns found: {found})")
    return col


def _rows(fn, die):
    """(line, fields) of every non-blank row after the header, and the
    header; line is where the row starts."""
    try:
        fh = open(fn, newline="", encoding="utf-8-sig")
    except OSError as e:
        die(f"{fn}: cannot read ({e.strerror})")
    with fh:
        try:
            rd = csv.reader(fh, strict=True)
            header, start, rows = None, 1, []
            for fields in rd:
                line, start = start, rd.line_num + 1
                fields = [f.strip(" \t") for f in fields]
                if not any(fields) and len(fields) <= 1:
                    continue  # a blank line is no row
                if header is None:
                    header = fields
                else:
                    rows.append((line, fields))
        except UnicodeDecodeError as e:
            die(f"{fn}: not UTF-8 text (byte {e.start + 1} of a block)")
        except csv.Error as e:
            die(f"{fn}:{rd.line_num}: not CSV ({e})")
    if header is None:
        die(f"{fn}: empty file, no header row")
    return header, rows


def session_events(r, path, s, die):
    """(onset, duration, state) arrays of session s of results r, read from
    the transcript file or directory `path` and checked against r (see the
    module's docstring). onset is NaN throughout without a time column;
    duration is NaN where not coded."""
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(glob.escape(path), "*.csv")),
                       key=lambda p: os.path.basename(p).encode("utf-8", "surrogateescape"))
        if not files:
            die(f"{path}: no *.csv files")
    elif os.path.exists(path):
        files = [path]
    else:
        die(f"{path}: no such file or directory")
    actors, _, _ = r.structure()
    index = {lab: k for k, lab in enumerate(r.states)}
    known = set(zip(r.couples, r.labels))
    couple, label = r.couples[s], r.labels[s]
    merge, sort = bool(r.param("merge", default=False)), bool(r.param("sort", default=False))
    events, has_time, seen_in = [], True, None
    for fn in files:
        header, rows = _rows(fn, die)
        col = _header(fn, header, bool(actors), die)
        has_time = has_time and "time" in col
        for line, row in rows:
            where = f"{fn}:{line}"
            if len(row) != len(header):
                die(f"{where}: row has {len(row)} field{'s' if len(row) != 1 else ''}, "
                    f"header has {len(header)}")
            key = (row[col["couple"]], row[col["session"]])
            for name, v in zip(("couple", "session"), key):
                if not v:
                    die(f"{where}: column '{name}': empty value")
            if key not in known:
                die(f"{where}: session '{key[0]}'/'{key[1]}' is not in {r.path}: "
                    "give the transcript that was analyzed")
            if key != (couple, label):
                continue
            if seen_in is None:
                seen_in = (fn, line)
            elif seen_in[0] != fn and not merge:
                die(f"{where}: session '{couple}'/'{label}' also appears in {seen_in[0]} "
                    f"(line {seen_in[1]}), and the analysis did not merge files")
            events.append(_event(where, row, col, actors, index, die))
    n_file = int(r.get("sessions/n_events")[s]) if r.has("sessions/n_events") else None
    if n_file is not None and len(events) != n_file:
        die(f"{path}: {len(events)} events of session {couple}/{label}, {r.path} counts "
            f"{n_file}: give the transcript that was analyzed")
    onset = [e[0] for e in events]
    if has_time:
        if sort:
            events.sort(key=lambda e: e[0])  # stable, as dyadseq's --sort
        else:
            for k in range(1, len(events)):
                if onset[k] < onset[k - 1]:
                    die(f"{events[k][3]}: column 'time': time goes backwards within session "
                        f"'{couple}'/'{label}' ({onset[k]:g} after {onset[k - 1]:g})")
    nan = math.nan
    return ([e[0] if has_time else nan for e in events], [e[1] for e in events],
            [e[2] for e in events])


def _event(where, row, col, actors, index, die):
    """(onset, duration, state, where) of one row of the session drawn."""
    for name in ("code", "actor", "time"):
        if name in col and not row[col[name]]:
            die(f"{where}: column '{name}': empty value")
    code = row[col["code"]]
    key = f"{row[col['actor']]}:{code}" if actors else code
    if key not in index:
        if actors and row[col["actor"]] not in actors:
            die(f"{where}: column 'actor': unknown actor '{row[col['actor']]}' "
                f"(the results file's actors are {','.join(actors)})")
        die(f"{where}: column 'code': unknown code '{code}' (not in the results file's codebook)")
    t, d = math.nan, math.nan
    if "time" in col:
        try:
            t = parse_time(row[col["time"]])
        except BadNumber as e:
            die(f"{where}: column 'time': {_number_message('time', row[col['time']], str(e))}")
    if "duration" in col:
        text = row[col["duration"]]
        if not text:
            die(f"{where}: column 'duration': empty value")
        try:
            d = parse_seconds(text)
        except BadNumber as e:
            die(f"{where}: column 'duration': {_number_message('duration', text, str(e))}")
    return t, d, index[key], where
