#!/bin/sh
# tests/robust/test_signals.sh — SIGINT and SIGTERM during a write remove
# the temporary file and exit 130 and 143 with a message; an existing
# output is left as it was; a signal ignored at start stays ignored; the
# next successful write removes stale temporaries of dyadseq's naming
# that are older than it and not locked by a running writer, and nothing
# else (issue 18 #2).
. tests/lib.sh

temps() { ls -a "$1" | grep -c '\.tmp\.' ; }

# (python_with: /usr/bin/python3 first, as the other tests; a python3 on
# PATH may be a version manager's shim that costs half a second a start)
if ! PY=$(python_with); then
    ok "signals # SKIP no python3 to send them"
    finish
fi

# a study large enough that analyze writes for a second or two
"$DYADSEQ" simulate --couples 60 --events 2000 -o "$TMP/study/" || not_ok "simulate"
"$DYADSEQ" simulate --couples 2 --events 20 -o "$TMP/small.csv"
"$DYADSEQ" analyze -q -o "$TMP/previous" "$TMP/small.csv"

# interrupt CMD... once its temporary exists; prints "STATUS" then stderr
interrupt() {
    "$PY" - "$@" <<'PY'
import glob, os, signal, subprocess, sys, time
sig, pattern, ignore = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "ignore"
cmd = sys.argv[4:]
def child():
    signal.signal(signal.SIGINT, signal.SIG_IGN if ignore else signal.SIG_DFL)
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                     preexec_fn=child)
for _ in range(2000):
    if glob.glob(pattern) or p.poll() is not None:
        break
    time.sleep(0.005)
seen = bool(glob.glob(pattern))
if seen:
    p.send_signal(sig)
err = p.communicate()[1].decode()
print(p.returncode if seen else "never saw the temporary")
sys.stdout.write(err)
PY
}

cp "$TMP/previous" "$TMP/a.h5"
interrupt 2 "$TMP/.a.h5.tmp.*" default "$DYADSEQ" analyze -q -t 2 \
    --permutations 40 -o "$TMP/a.h5" "$TMP/study" >"$TMP/res"
check_eq "SIGINT during analyze's write: exit 130" "$(head -1 "$TMP/res")" 130
check "... with a message" grep -q "^dyadseq: error: interrupted by SIGINT; the incomplete output was removed" "$TMP/res"
check_eq "... and no temporary left" "$(temps "$TMP")" 0
check "... and the existing file as it was" cmp -s "$TMP/a.h5" "$TMP/previous"

interrupt 15 "$TMP/.b.h5.tmp.*" default "$DYADSEQ" analyze -q -t 2 \
    --permutations 40 -o "$TMP/b.h5" "$TMP/study" >"$TMP/res"
check_eq "SIGTERM during analyze's write: exit 143" "$(head -1 "$TMP/res")" 143
check "... with a message" grep -q "terminated by SIGTERM; the incomplete output was removed" "$TMP/res"
check "... no output" test ! -e "$TMP/b.h5"
check_eq "... and no temporary left" "$(temps "$TMP")" 0

interrupt 15 "$TMP/.c.csv.tmp.*" default "$DYADSEQ" simulate --couples 300 \
    --events 3000 -o "$TMP/c.csv" >"$TMP/res"
check_eq "SIGTERM during simulate's write: exit 143" "$(head -1 "$TMP/res")" 143
check "... no output" test ! -e "$TMP/c.csv"
check_eq "... and no temporary left" "$(temps "$TMP")" 0

interrupt 2 "$TMP/.d.h5.tmp.*" ignore "$DYADSEQ" analyze -q -t 2 \
    --permutations 5 -o "$TMP/d.h5" "$TMP/study" >"$TMP/res"
check_eq "SIGINT ignored at start (a background job) stays ignored" "$(head -1 "$TMP/res")" 0
check "... and the run completes" test -s "$TMP/d.h5"

# stale temporaries: what a run killed with SIGKILL leaves
mkdir "$TMP/dir"
for name in .x.h5.tmp.AbC123 .y.csv.tmp.zzzzzz .locked.h5.tmp.Lck001 \
            .future.h5.tmp.Fut001 .short.tmp.abc .long.tmp.1234567 \
            x.h5.tmp.AbC123 .bad.h5.tmp.ab_c12; do
    echo debris >"$TMP/dir/$name"
    touch -d '1 hour ago' "$TMP/dir/$name"
done
touch -d 'now + 1 hour' "$TMP/dir/.future.h5.tmp.Fut001"
mkdir "$TMP/dir/.sub.h5.tmp.Dir001"
touch -d '1 hour ago' "$TMP/dir/.sub.h5.tmp.Dir001"
ln -s /nonexistent "$TMP/dir/.link.h5.tmp.Lnk001"
# a running writer's temporary is locked: the sweep leaves it
"$PY" - "$TMP/dir/.locked.h5.tmp.Lck001" "$TMP/locked" <<'PY' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(30)
PY
lock_pid=$!
i=0
while [ ! -e "$TMP/locked" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
"$DYADSEQ" simulate --couples 2 --events 10 -o "$TMP/dir/out.csv"
check "a successful write" test -s "$TMP/dir/out.csv"
check "... removes a stale .NAME.h5.tmp.XXXXXX" test ! -e "$TMP/dir/.x.h5.tmp.AbC123"
check "... and .NAME.csv.tmp.XXXXXX" test ! -e "$TMP/dir/.y.csv.tmp.zzzzzz"
check "... not one a running writer has locked" test -e "$TMP/dir/.locked.h5.tmp.Lck001"
check "... not one modified after the run started" test -e "$TMP/dir/.future.h5.tmp.Fut001"
check "... not names of another shape" test -e "$TMP/dir/.short.tmp.abc"
check "... (seven letters)" test -e "$TMP/dir/.long.tmp.1234567"
check "... (no leading dot)" test -e "$TMP/dir/x.h5.tmp.AbC123"
check "... (a character mkstemp never uses)" test -e "$TMP/dir/.bad.h5.tmp.ab_c12"
check "... not a directory" test -d "$TMP/dir/.sub.h5.tmp.Dir001"
check "... not a symbolic link" test -L "$TMP/dir/.link.h5.tmp.Lnk001"
kill "$lock_pid" 2>/dev/null
wait "$lock_pid" 2>/dev/null
"$DYADSEQ" analyze -q -o "$TMP/dir/r.h5" "$TMP/small.csv"
check "analyze's write sweeps too, once the lock is gone" test ! -e "$TMP/dir/.locked.h5.tmp.Lck001"
check "... in the directory it wrote to only" test -e "$TMP/dir/.future.h5.tmp.Fut001"
finish
