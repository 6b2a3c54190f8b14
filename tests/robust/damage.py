"""Damaged results files for tests/robust/test_damaged.sh (issue 18 #6, #10).

  damage.py remove DYADSEQ FILE WORKDIR SIZE
                                            every group and every dataset
                                            removed, SIZE unrelated ones per
                                            copy: info must name each missing
  damage.py attr DYADSEQ FILE WORKDIR      root attributes changed: format
                                            versions it cannot read, wrong
                                            types, missing
  damage.py flip DYADSEQ FILE WORKDIR N SEED
                                            N copies with seeded bit flips, in
                                            the string heap, the object headers
                                            and anywhere: never a signal

Prints one line per finding ("accepted PATH", "unnamed PATH", "signal ...")
and a summary line "checked N ..."; the shell test counts them.
"""
import os
import random
import shutil
import struct
import subprocess
import sys


def run(dyadseq, args, timeout=60):
    try:
        r = subprocess.run([dyadseq] + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
        return r.returncode, r.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", ""


def related(a, b):
    """One of the paths is the other or inside it."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def batches(paths, weight, limit):
    """The paths in groups of total weight at most LIMIT (one heavier alone),
    none inside another of its group; in order, each path in the first
    group it fits (deterministic)."""
    out = []
    for p in paths:
        for b in out:
            if sum(weight[q] for q in b) + weight[p] <= limit and \
                    not any(related(p, q) for q in b):
                b.append(p)
                break
        else:
            out.append([p])
    return out


# what gives the other tables their sizes (states, codes, sessions): one
# of these missing makes every table the wrong size, so they go alone
CORE = ("/states", "/codebook", "/sessions")


def named(p, missing):
    """P, or an object inside it, is among the MISSING paths."""
    return any(m == p or m.startswith(p + "/") for m in missing)


def removed(dyadseq, src, tmp, paths):
    """info's exit status and the objects it names as missing, on a copy
    of SRC without PATHS."""
    import h5py
    shutil.copy(src, tmp)
    with h5py.File(tmp, "r+") as f:
        for p in paths:
            del f[p]
    rc, err = run(dyadseq, ["info", tmp])
    missing = [line.rsplit(": ", 1)[-1][:-len(" is missing")]
               for line in err.splitlines() if line.endswith(" is missing")]
    return rc, err, missing


def remove(dyadseq, src, work, size):
    """Remove every group and every dataset: up to SIZE unrelated objects
    per copy (info reports every problem of a file, one line each), and
    info must exit 1 naming each: "PATH is missing", for a group PATH or
    an object inside it. The objects of CORE go alone; one not named
    among others is tried again alone (so one object's messages cannot
    crowd out another's), and must be named then."""
    import h5py
    paths = []
    with h5py.File(src, "r") as f:
        f.visit(lambda name: paths.append("/" + name))
        datasets = [p for p in paths if isinstance(f[p], h5py.Dataset)]
    tmp = os.path.join(work, "removed.h5")
    # a removed object's lines: one per dataset at or inside it
    weight = {p: sum(1 for d in datasets if d == p or d.startswith(p + "/"))
              for p in paths}
    core = [p for p in paths if any(related(p, c) for c in CORE)]
    copies = [[p] for p in core]
    copies += batches([p for p in paths if p not in core], weight, size)
    again = 0
    for b in copies:
        rc, err, missing = removed(dyadseq, src, tmp, b)
        for p in b:
            r, e, m = rc, err, missing
            others = [q for q in b if q != p]
            if r == 1 and not named(p, m) and others:
                again += 1
                others = []
                r, e, m = removed(dyadseq, src, tmp, [p])
            with_ = " (removed with %s)" % " ".join(others) if others else ""
            if r not in (0, 1):
                print("signal %s: info exit %s%s" % (p, r, with_))
            elif r != 1:
                print("accepted %s (info exit %s)%s" % (p, r, with_))
            elif not named(p, m):
                print("unnamed %s: %s" % (
                    p, e.strip().replace("\n", " | ")[:300]))
    print("checked %d in %d copies (%d again alone)" % (
        len(paths), len(copies), again))


def regions(data):
    """Where the metadata is: heap collections, object headers, the rest."""
    heap, hdr = [], []
    i = data.find(b"GCOL\x01\x00\x00\x00")
    while i >= 0:
        size = struct.unpack("<Q", data[i + 8:i + 16])[0]
        heap.append((i, min(size, len(data) - i)))
        i = data.find(b"GCOL\x01\x00\x00\x00", i + 1)
    for sig in (b"OHDR", b"OCHK", b"TREE", b"BTHD", b"BTLF", b"FRHP",
                b"FHDB", b"FHIB", b"FSHD", b"FSSE"):
        i = data.find(sig)
        while i >= 0:
            hdr.append((i, min(512, len(data) - i)))
            i = data.find(sig, i + 1)
    hdr.append((0, 96))  # the superblock
    return heap, hdr


def flip(dyadseq, src, work, n, seed):
    data = open(src, "rb").read()
    heap, hdr = regions(data)
    rng = random.Random(seed)
    tmp = os.path.join(work, "flipped.h5")
    commands = (["info", tmp], ["export", tmp, "/lag/1/session"],
                ["export", tmp, "/responsiveness"])
    for k in range(n):
        b = bytearray(data)
        where = (heap, heap, hdr, [(0, len(data))])[k % 4]
        for _ in range(rng.choice((1, 1, 2, 3, 8))):
            a, length = rng.choice(where)
            b[a + rng.randrange(length)] ^= 1 << rng.randrange(8)
        open(tmp, "wb").write(b)
        for cmd in commands:
            rc, err = run(dyadseq, cmd)
            if rc not in (0, 1):
                keep = os.path.join(work, "crash-%d.h5" % k)
                shutil.copy(tmp, keep)
                print("signal %s: %s %s (kept as %s)" % (rc, cmd[0], k, keep))
            elif rc == 1 and "dyadseq: error: " not in err:
                print("no message: %s %s" % (cmd[0], k))
            elif rc == 1 and "the HDF5 library crashed" in err:
                keep = os.path.join(work, "guarded-%d.h5" % k)
                shutil.copy(tmp, keep)
                print("guarded: %s %s (kept as %s): %s" % (
                    cmd[0], k, keep, err.strip().splitlines()[-1]))
    print("checked %d" % n)


def attrs(dyadseq, src, work):
    import h5py
    import numpy as np
    tmp = os.path.join(work, "attr.h5")
    cases = [("format_version 999", "format_version", np.int64(999)),
             ("format_version 0", "format_version", np.int64(0)),
             ("format_version a string", "format_version", "1"),
             ("format_version missing", "format_version", None),
             ("parameters missing", "parameters", None),
             ("seed missing", "seed", None),
             ("input_sha256 shorter", "input_sha256", ["0" * 64] * 0)]
    for what, name, value in cases:
        shutil.copy(src, tmp)
        with h5py.File(tmp, "r+") as f:
            del f.attrs[name]
            if value is not None:
                f.attrs[name] = value
        rc, err = run(dyadseq, ["info", tmp])
        ok = rc == 1 and name in err
        print("%s %s: exit %s %s" % ("ok" if ok else "bad", what, rc,
                                     err.strip().replace("\n", " | ")[:300]))


if __name__ == "__main__":
    what, dyadseq, src, work = sys.argv[1:5]
    if what == "remove":
        remove(dyadseq, src, work, int(sys.argv[5]))
    elif what == "attr":
        attrs(dyadseq, src, work)
    else:
        flip(dyadseq, src, work, int(sys.argv[5]), int(sys.argv[6]))
