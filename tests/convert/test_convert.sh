#!/bin/sh
# convert (issue 15): every sample of datasets/formats/ gives the study's
# hand-written transcript (datasets/formats/transcript.csv, written by
# make_samples.py with the samples); CSV -> SDIS -> CSV keeps every event;
# importing and analyzing gives the statistics of the transcript; the
# formats' own details (SDIS state and interval data, ELAN references,
# BORIS modifiers, sessions split over files).
. tests/lib.sh
F=datasets/formats
REF=$F/transcript.csv
cut -d, -f1-6 "$REF" >"$TMP/ref6.csv"  # without the observation period
set -- --id-pattern '^(.*)_(pre|post)$'
B="--subject-actor=Partner 1=A"
B2="--subject-actor=Partner 2=B"

# same FILE WANT DESCRIPTION
same() {
    if cmp -s "$1" "$2"; then ok "$3"; else
        not_ok "$3"; diff "$2" "$1" | head -5 | sed 's/^/    # /'; fi
}

# --- every sample gives the transcript --------------------------------
conv() { # conv OUT ARGS...: convert, quietly; fails the check if it fails
    _o=$1; shift
    "$DYADSEQ" convert -q "$@" -o "$_o" 2>"$TMP/err" || {
        echo "    # convert $*: $(head -3 "$TMP/err")"; rm -f "$_o"; }
}
conv "$TMP/b.csv" "$@" "$B" "$B2" $F/boris/study.boris
same "$TMP/b.csv" "$REF" "BORIS project (.boris) = transcript, observation periods included"
conv "$TMP/b9.csv" --from boris "$@" "$B" "$B2" $F/boris/aggregated_v9.csv
same "$TMP/b9.csv" "$REF" "BORIS aggregated events (v9 CSV, CRLF) = transcript"
conv "$TMP/b7.csv" --from boris "$@" "$B" "$B2" $F/boris/aggregated_v7.tsv
same "$TMP/b7.csv" "$REF" "BORIS aggregated events (v7 TSV) = transcript"
conv "$TMP/e7.csv" --from boris "$@" "$B" "$B2" $F/boris/events_v7
same "$TMP/e7.csv" "$REF" "BORIS events tables (v7 TSV with preamble, a directory) = transcript"
conv "$TMP/e9.csv" --from boris "$@" "$B" "$B2" $F/boris/events_v9
same "$TMP/e9.csv" "$REF" "BORIS events tables (v9 CSV) = transcript"
E="--tier-actor=Partner1=A --tier-actor=Partner2=B --tier-actor=Comments=-"
# shellcheck disable=SC2086
conv "$TMP/el.csv" "$@" $E $F/elan
same "$TMP/el.csv" "$TMP/ref6.csv" "ELAN .eaf (directory, told by extension) = transcript"
# shellcheck disable=SC2086
conv "$TMP/et.csv" --from elan "$@" $E $F/elan_txt
same "$TMP/et.csv" "$TMP/ref6.csv" "ELAN tab-delimited export = transcript"
conv "$TMP/s.csv" "$@" $F/sdis/study.sds
same "$TMP/s.csv" "$REF" "SDIS timed-event data = transcript, periods from ,START and ,END/"
conv "$TMP/c1.csv" --columns session=Observation,actor=Subject,code=Behavior,time=Time_Relative_sf,status=Event_Type \
    "$@" "$B" "$B2" $F/columns/observer_xt.csv
same "$TMP/c1.csv" "$TMP/ref6.csv" "Observer XT-style event log (state start/stop rows) = transcript"
conv "$TMP/c2.csv" --columns couple=Couple,session=Session,actor=Class,code=Code,time=Onset,offset=Offset \
    "$B" "$B2" $F/columns/interact.txt
same "$TMP/c2.csv" "$TMP/ref6.csv" "INTERACT-style onset/offset export (TSV, clock times) = transcript"
conv "$TMP/c3.csv" --columns session=file,actor=column,code=code,time=onset,offset=offset,unit=ms \
    --subject-actor partner1=A --subject-actor partner2=B --id-pattern '^(.*)_(pre|post)\.opf$' \
    $F/columns/datavyu.csv
same "$TMP/c3.csv" "$TMP/ref6.csv" "Datavyu-style cells in milliseconds = transcript"

# the summary names what was read; standard output without -o
"$DYADSEQ" convert "$@" "$B" "$B2" $F/boris/study.boris >"$TMP/so.csv" 2>"$TMP/se"
same "$TMP/so.csv" "$REF" "without -o the transcript goes to standard output"
grep -q '4 observations (sessions) of 2 couples, 2 subjects (actors A, B), 5 behaviours, 56 events; observation periods' "$TMP/se" \
    && ok "summary: observations, subjects, behaviours, events" \
    || not_ok "summary: $(cat "$TMP/se")"

# an existing output is kept without --force
echo keep >"$TMP/keep.csv"
check_status "an existing -o is refused without --force" 1 \
    "$DYADSEQ" convert "$@" $F/sdis/study.sds -o "$TMP/keep.csv"
check_eq "... and left as it was" "$(cat "$TMP/keep.csv")" "keep"
check_status "--force replaces it" 0 \
    "$DYADSEQ" convert "$@" $F/sdis/study.sds -o "$TMP/keep.csv" --force
check_status "-o one of the inputs is refused" 1 \
    "$DYADSEQ" convert --to sdis "$REF" -o "$REF" --force

# --- round trips ---------------------------------------------------------
"$DYADSEQ" convert -q --to sdis "$REF" -o "$TMP/r.sds" &&
    "$DYADSEQ" convert -q --id-pattern '^(.*)_([^_]*)$' "$TMP/r.sds" -o "$TMP/r.csv"
same "$TMP/r.csv" "$REF" "transcript -> SDIS -> transcript keeps every event and the observation periods"
"$DYADSEQ" convert -q --from transcript datasets/demo -o "$TMP/demo.csv" &&
    "$DYADSEQ" convert -q --to sdis datasets/demo -o "$TMP/demo.sds" &&
    "$DYADSEQ" convert -q --id-pattern '^(.*)_([^_]*)$' "$TMP/demo.sds" -o "$TMP/demo2.csv"
same "$TMP/demo2.csv" "$TMP/demo.csv" "the demo study (36,688 events) survives CSV -> SDIS -> CSV"
check_eq "... every event" "$(($(wc -l <"$TMP/demo2.csv") - 1))" \
    "$(cat datasets/demo/*.csv | grep -vc '^couple,')"
"$DYADSEQ" convert -q --to sdis "$@" "$B" "$B2" $F/boris/study.boris -o "$TMP/b.sds" &&
    "$DYADSEQ" convert -q --id-pattern '^(.*)_([^_]*)$' "$TMP/b.sds" -o "$TMP/b2.csv"
same "$TMP/b2.csv" "$REF" "BORIS -> SDIS -> transcript keeps events and observation periods"
grep -q '^Timed A_pursue A_withdraw A_soften A_bid A_response$' "$TMP/r.sds" \
    && ok "SDIS declares the actor x code states" || not_ok "SDIS declaration"
grep -q '^<c01_post>$' "$TMP/r.sds" && grep -q 'B_bid,3.7 ' "$TMP/r.sds" \
    && grep -q 'A_pursue,7.4-9.2' "$TMP/r.sds" \
    && ok "SDIS sessions <COUPLE_SESSION>, points CODE,ONSET, states CODE,ON-OFF" \
    || not_ok "SDIS event syntax"

# --- import then analyze = the transcript's statistics ---------------------
"$DYADSEQ" analyze -q "$REF" -o "$TMP/ref.h5"
"$DYADSEQ" analyze -q --format boris "$@" "$B" "$B2" $F/boris/study.boris -o "$TMP/b.h5"
"$DYADSEQ" analyze -q --format sdis "$@" $F/sdis/study.sds -o "$TMP/s.h5"
"$DYADSEQ" analyze -q "$TMP/el.csv" -o "$TMP/el.h5"
"$DYADSEQ" analyze -q "$TMP/ref6.csv" -o "$TMP/ref6.h5"
PATHS="/lag/1/pooled /lag/1/session /window/pooled /window/session /responsiveness
    /responsiveness/km /cycles /softening /sessions /lag/1/couple_summary"
# same_tables WHAT GOT.h5 WANT.h5: for every path of PATHS, "WHAT: PATH as
# the transcript's" when its datasets are equal in the two files: one
# h5diff of the files (differing, tests/lib.sh), or without h5diff
# (hdf5-tools) what `dyadseq export` prints of each path
same_tables() {
    if command -v h5diff >/dev/null 2>&1; then
        differing "$2" "$3" full >"$TMP/differ"
        for p in $PATHS; do
            d=$(awk -v p="$p" '$1 == "/" || $1 == p || index($1, p "/") == 1' "$TMP/differ")
            if [ -z "$d" ]; then ok "$1: $p as the transcript's"; else
                not_ok "$1: $p as the transcript's"; echo "$d" | head -5 | sed 's/^/    # differs: /'; fi
        done
        return
    fi
    for p in $PATHS; do
        "$DYADSEQ" export "$3" $p >"$TMP/want" 2>/dev/null
        "$DYADSEQ" export "$2" $p >"$TMP/got" 2>/dev/null
        same "$TMP/got" "$TMP/want" "$1: $p as the transcript's"
    done
}
same_tables "analyze --format boris" "$TMP/b.h5" "$TMP/ref.h5"
same_tables "analyze --format sdis" "$TMP/s.h5" "$TMP/ref.h5"
same_tables "ELAN converted, analyzed" "$TMP/el.h5" "$TMP/ref6.h5"
"$DYADSEQ" info "$TMP/b.h5" >"$TMP/info"
grep -q "study.boris  sha256 $(sha256sum $F/boris/study.boris | cut -c1-64)" "$TMP/info" \
    && ok "provenance: the input is the .boris file with its own SHA-256" \
    || not_ok "provenance of analyze --format"
grep -q '"format": "boris"' "$TMP/info" && ok "parameters record the format" \
    || not_ok "parameters record the format"
"$DYADSEQ" validate --format boris "$@" "$B" "$B2" $F/boris/study.boris >"$TMP/v" 2>&1
grep -q 'events     56' "$TMP/v" && grep -q 'sessions   4 (post 2, pre 2)' "$TMP/v" \
    && ok "validate --format boris summarizes the study" || not_ok "validate --format: $(cat "$TMP/v")"
"$DYADSEQ" validate "$@" $F/sdis/study.sds >"$TMP/v" 2>&1
grep -q 'events     56' "$TMP/v" && ok "validate study.sds: the format told by the extension" \
    || not_ok "validate by extension: $(cat "$TMP/v")"
# locations of later checks point into the source file
"$DYADSEQ" analyze -q --format sdis "$@" $F/sdis/study.sds --structural-zeros diagonal \
    -o "$TMP/z.h5" 2>"$TMP/z"
grep -q "^dyadseq: error: $F/sdis/study.sds:6: session 'c01'/'post': transition B:bid → B:bid (from line 6)" "$TMP/z" \
    && ok "a structural-zero error names the SDIS file and line" || not_ok "zeros location: $(head -2 "$TMP/z")"
check_eq "... and no results file" "$(ls "$TMP"/z.h5* 2>/dev/null)" ""

# --- the formats' details ----------------------------------------------------
printf 'State (A_pursue A_withdraw) (B_soften B_bid) ;\n<c01_pre> ,10 A_pursue=2 A_withdraw=3 & B_soften=1.5 B_bid=2.5 /\n' >"$TMP/state.sds"
conv "$TMP/state.csv" "$@" "$TMP/state.sds"
printf '%s\n' couple,session,actor,code,time,duration,start,end \
    c01,pre,A,pursue,10,2,10,15 c01,pre,B,soften,10,1.5,10,15 \
    c01,pre,B,bid,11.5,2.5,10,15 c01,pre,A,withdraw,12,3,10,15 >"$TMP/want"
same "$TMP/state.csv" "$TMP/want" "SDIS state data: streams from the start, period to the longest stream"
printf 'Interval A_pursue B_withdraw A_soften ;\n<c01_pre> A_pursue B_withdraw, , A_soften, A_pursue,/\n' >"$TMP/iv.sds"
conv "$TMP/iv.csv" "$@" --interval 5 "$TMP/iv.sds"
printf '%s\n' couple,session,actor,code,time,duration,start,end \
    c01,pre,A,pursue,0,5,0,20 c01,pre,B,withdraw,0,5,0,20 \
    c01,pre,A,soften,10,5,0,20 c01,pre,A,pursue,15,5,0,20 >"$TMP/want"
same "$TMP/iv.csv" "$TMP/want" "SDIS interval data: one event per code and interval, co-occurring"
printf 'Event bid response ;\n<1> bid response bid /\n<2> response bid /\n' >"$TMP/ev.sds"
conv "$TMP/ev.csv" "$TMP/ev.sds"
printf '%s\n' couple,session,code ev,1,bid ev,1,response ev,1,bid ev,2,response ev,2,bid >"$TMP/want"
same "$TMP/ev.csv" "$TMP/want" "SDIS event data without actors: no time, no actor column"

# an ELAN REF_ANNOTATION takes the times of the annotation it refers to
cat >"$TMP/ref.eaf" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT FORMAT="3.0" VERSION="3.0">
  <HEADER TIME_UNITS="milliseconds"/>
  <TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1500"/><TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2750"/></TIME_ORDER>
  <TIER TIER_ID="A" LINGUISTIC_TYPE_REF="t"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2"><ANNOTATION_VALUE>bid</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
  <TIER TIER_ID="B" LINGUISTIC_TYPE_REF="s" PARENT_REF="A"><ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a2" ANNOTATION_REF="a1"><ANNOTATION_VALUE>response</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>
</ANNOTATION_DOCUMENT>
EOF
conv "$TMP/refe.csv" "$TMP/ref.eaf"
printf '%s\n' couple,session,actor,code,time,duration ref,ref,A,bid,1.5,1.25 \
    ref,ref,B,response,1.5,1.25 >"$TMP/want"
same "$TMP/refe.csv" "$TMP/want" "ELAN: tiers named as actors; a REF_ANNOTATION has its parent's times"

# BORIS modifiers appended to the code, counted against the export
printf 'code,role\npursue,pursue\nwithdraw,withdraw\nsoften,soften\nbid,bid\nresponse|warm,response\nresponse|neutral,response\n' >"$TMP/mod.csv"
conv "$TMP/m.csv" --modifiers append --codebook "$TMP/mod.csv" "$@" "$B" "$B2" $F/boris/study.boris
check_eq "--modifiers append: response|warm events, as many as in the export" \
    "$(grep -c ',response|warm,' "$TMP/m.csv")" \
    "$(grep -c ',response,Not defined,warm,STATE,' $F/boris/aggregated_v9.csv)"
for f in aggregated_v9.csv aggregated_v7.tsv events_v7 events_v9; do
    conv "$TMP/m_$f.csv" --from boris --modifiers append --codebook "$TMP/mod.csv" \
        "$@" "$B" "$B2" "$F/boris/$f"
    same "$TMP/m_$f.csv" "$TMP/m.csv" "--modifiers append: BORIS $f gives the project's codes"
done
check_status "--modifiers append without those codes in the codebook fails" 1 \
    "$DYADSEQ" convert --modifiers append "$@" "$B" "$B2" $F/boris/study.boris -o "$TMP/m2.csv"

# a session split over two files: an error, or joined with --merge
head -30 $F/boris/aggregated_v9.csv >"$TMP/part1.csv"
{ head -1 $F/boris/aggregated_v9.csv; tail -n +31 $F/boris/aggregated_v9.csv; } >"$TMP/part2.csv"
check_status "a session in two inputs is an error without --merge" 1 \
    "$DYADSEQ" convert --from boris "$@" "$B" "$B2" "$TMP/part1.csv" "$TMP/part2.csv" -o "$TMP/p.csv"
grep -q "also comes from $TMP/part1.csv; give --merge" "$TMP/.err" \
    && ok "... naming the other file" || not_ok "... message: $(cat "$TMP/.err")"
conv "$TMP/p.csv" --merge --from boris "$@" "$B" "$B2" "$TMP/part1.csv" "$TMP/part2.csv"
same "$TMP/p.csv" "$REF" "... and with --merge the parts make the transcript"

# a subject mapped to '-' is left out; unmapped subjects in an SDIS file
conv "$TMP/only.csv" "$@" "$B" --subject-actor 'Partner 2=-' $F/boris/study.boris
check_eq "--subject-actor NAME=- leaves that subject's events out" \
    "$(cut -d, -f3 "$TMP/only.csv" | sort -u | tr '\n' ' ')" "A actor "
finish
