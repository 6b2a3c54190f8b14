#!/bin/sh
# tests/dyadic/test_actor_partner.sh — actor and partner effects over time
# (SPEC 4.5, `analyze --actor-partner`, docs/actor-partner.md) through the
# command line:
#   - random transcripts: every session's 2x2x2 table and coefficients as
#     base R classifies the time units and fits glm() (tests/r/apim.R);
#   - planted studies, written here unit by unit from the logit model:
#     a partner effect and no actor effect is recovered as such, and the
#     reverse;
#   - --ap-delta 0 gives NA where a cell is empty, never Inf;
#   - the models' names, the defaults, what is refused; 1 and 2 threads
#     give the same file; compare and info read /actor_partner.
. tests/lib.sh
. tests/dyadic/export.sh

AP=/actor_partner/B:withdraw~A:pursue

# uniform random numbers without awk's rand(), so that every awk gives the
# same data: Park & Miller (1988) minimal standard, exact in doubles
LCG='function u() { seed = (16807 * seed) % 2147483647; return seed / 2147483647 }'

# ---------------------------------------------------------------------------
# Random transcripts against base R. Onsets are multiples of 0.25 s from 0
# (exact in binary), codes of both partners at random, 2-s units.
awk "$LCG"'
BEGIN {
    seed = 4242; split("pursue withdraw soften bid response", code, " ")
    print "couple,session,actor,code,time"
    for (c = 1; c <= 6; c++) for (s = 1; s <= 2; s++) {
        t = 0; n = 40 + int(u() * 120)
        for (e = 0; e < n; e++) {
            printf "c%d,%s,%s,%s,%.2f\n", c, s == 1 ? "pre" : "post",
                u() < 0.5 ? "A" : "B", code[1 + int(u() * 5)], t
            t += 0.25 * int(u() * 12)
        }
    }
}' >"$TMP/rand.csv"
check "analyze random transcripts with --actor-partner" "$DYADSEQ" analyze \
    -q -o "$TMP/rand.h5" --time-unit 2 --actor-partner B:withdraw~A:pursue \
    "$TMP/rand.csv"
ex "$TMP/rand.h5" "$AP/session" >"$TMP/rs"
ex "$TMP/rand.h5" "$AP/counts" >"$TMP/rc"
rows "one row per session" "$TMP/rs" 12
rows "eight cells per session" "$TMP/rc" 96
if have_r; then
    awk -F, 'NR > 1 { print $1 "/" $2 "," $5 "," $3 ":" $4 }' \
        "$TMP/rand.csv" | sed '1i session,onset,state' >"$TMP/rev.csv"
    Rscript --vanilla tests/r/apim.R tally "$TMP/rev.csv" B:withdraw \
        A:pursue 2 0.5 >"$TMP/rr" 2>"$TMP/rerr"
    if [ -s "$TMP/rr" ]; then
        # ours: couple/session, the eight cells, b0..b3, partner_only
        awk -F, 'NR == FNR { if (FNR > 1) n[$1] = n[$1] "," $7; next }
            FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            { k = $(col["session_index"])
              printf "%s/%s%s,%s,%s,%s,%s,%s\n", $(col["couple"]),
                  $(col["session"]), n[k], $(col["intercept"]),
                  $(col["partner"]), $(col["actor"]),
                  $(col["interaction"]), $(col["partner_only"]) }' \
            "$TMP/rc" "$TMP/rs" | sort >"$TMP/ours"
        sort "$TMP/rr" >"$TMP/theirs"
        bad=$(awk -F, 'NR == FNR { r[$1] = $0; next }
            !($1 in r) { print "no R row for " $1; next }
            { m = split(r[$1], x, ",")
              for (i = 2; i <= 9; i++) if ($i != x[i])
                  print $1 ": cell " i - 2 " " $i " vs R " x[i]
              for (i = 10; i <= m; i++) {
                  d = $i - x[i]; if (d < 0) d = -d
                  s = x[i] < 0 ? -x[i] : x[i]
                  if (d > 1e-7 * (s > 1 ? s : 1))
                      print $1 ": coefficient " i - 9 " " $i " vs R " x[i]
              } }' "$TMP/theirs" "$TMP/ours")
        if [ -z "$bad" ] && [ "$(wc -l <"$TMP/ours")" = 12 ]; then
            ok "tables and coefficients equal base R's unit classification and glm()"
        else
            not_ok "tables and coefficients equal base R's"
            echo "$bad" | head -10 | sed 's/^/    # /'
        fi
    else
        not_ok "tests/r/apim.R tally ran"; sed 's/^/    # /' "$TMP/rerr" | head
    fi
else
    skip "tables and coefficients equal base R's" "no R"
fi

# 1 and 2 threads: the same bytes
# (the output's name is in the file's command line: the same in both)
mkdir "$TMP/t1" "$TMP/t2"
for t in 1 2; do
    check "analyze with -t $t" sh -c "cd '$TMP/t$t' && '$DYADSEQ' analyze -q \
        -t $t -o r.h5 --time-unit 2 --actor-partner default ../rand.csv"
done
check "1 and 2 threads give byte-identical files" cmp "$TMP/t1/r.h5" \
    "$TMP/t2/r.h5"

# ---------------------------------------------------------------------------
# Planted studies: 30 couples, pre and post, 400 one-second units each. X
# (A:pursue) is present in a unit with probability 0.35, independently; Y
# (B:withdraw) with the logit b0 + b1 x + b2 y of X and Y in the unit
# before (coded +1/-1): the data of the model itself. Every event of unit t
# has its onset at t + 0.25 s, so that the grid, which starts at the first
# onset, puts it in unit t whatever comes first.
# plant NAME B0 B1 B2 SEED
plant() {
    awk -v b0="$2" -v b1="$3" -v b2="$4" -v seed="$5" "$LCG"'
    BEGIN {
        print "couple,session,actor,code,time"
        for (c = 1; c <= 30; c++) for (s = 1; s <= 2; s++) {
            x = 0; y = 0
            for (t = 0; t < 400; t++) {
                l = b0 + b1 * (x ? 1 : -1) + b2 * (y ? 1 : -1)
                ny = u() < 1 / (1 + exp(-l)); nx = u() < 0.35
                if (t == 0) { ny = 0; nx = 1 }
                x = nx; y = ny
                lab = sprintf("c%02d,%s", c, s == 1 ? "pre" : "post")
                if (x) printf "%s,A,pursue,%d.25\n", lab, t
                if (y) printf "%s,B,withdraw,%d.25\n", lab, t
            }
        }
    }' >"$TMP/$1.csv"
    check "analyze the planted study $1" "$DYADSEQ" analyze -q \
        -o "$TMP/$1.h5" --actor-partner B:withdraw~A:pursue "$TMP/$1.csv"
    ex "$TMP/$1.h5" "$AP/couple_summary" >"$TMP/$1.sum"
}
# mean NAME COEF: the mean over all sessions; p NAME COEF: its t-test p
mean() {
    awk -F, -v c="$2" 'NR > 1 && $2 == "all" && $4 == c { print $5 }' \
        "$TMP/$1.sum"
}
pval() {
    awk -F, -v c="$2" 'NR > 1 && $2 == "all" && $4 == c { print $9 }' \
        "$TMP/$1.sum"
}
# within X LO HI: LO <= X <= HI
within() { awk -v x="$1" -v a="$2" -v b="$3" 'BEGIN { exit !(x >= a && x <= b) }'; }

# a partner effect of 1 (her pursuit raises the logit of his withdrawal
# by 2 from the unit before), no actor effect
plant partner -1 1 0 11
m=$(mean partner partner); p=$(pval partner partner)
if within "$m" 0.8 1.2 && within "$p" 0 0.001; then
    ok "planted partner effect 1 recovered: mean $m, p $p"
else not_ok "planted partner effect 1: mean $m, p $p (want 0.8..1.2, p < .001)"; fi
m=$(mean partner actor)
if within "$m" -0.12 0.12; then ok "no actor effect planted, none found: mean $m"
else not_ok "no actor effect planted: mean $m (want |mean| <= 0.12)"; fi
m=$(mean partner interaction)
if within "$m" -0.12 0.12; then ok "no interaction planted, none found: mean $m"
else not_ok "no interaction planted: mean $m"; fi
# without the actor term the partner effect is the same here: Y's own past
# does not matter
m=$(mean partner partner_only)
if within "$m" 0.8 1.2; then ok "partner_only close to the partner effect: $m"
else not_ok "partner_only: $m (want 0.8..1.2)"; fi

# the reverse: he keeps withdrawing (actor 1), her pursuit does not matter
plant actor -1 0 1 12
m=$(mean actor actor); p=$(pval actor actor)
if within "$m" 0.8 1.2 && within "$p" 0 0.001; then
    ok "planted actor effect 1 recovered: mean $m, p $p"
else not_ok "planted actor effect 1: mean $m, p $p (want 0.8..1.2, p < .001)"; fi
m=$(mean actor partner)
if within "$m" -0.12 0.12; then ok "no partner effect planted, none found: mean $m"
else not_ok "no partner effect planted: mean $m (want |mean| <= 0.12)"; fi

# both, where his stability makes her effect look larger without the
# actor term: partner 0.5, actor 1.5, and X depends on Y (she pursues when
# he withdrew: logit -1 + 2 y), so X at t-1 stands in for Y at t-1 when Y
# is left out of the model
awk "$LCG"' BEGIN { seed = 13; print "couple,session,actor,code,time"
    for (c = 1; c <= 30; c++) { x = 0; y = 0
        for (t = 0; t < 400; t++) {
            ly = -1.5 + 0.5 * (x ? 1 : -1) + 1.5 * (y ? 1 : -1)
            lx = -1 + 2 * (y ? 1 : -1)
            ny = u() < 1 / (1 + exp(-ly)); nx = u() < 1 / (1 + exp(-lx))
            x = nx; y = ny
            if (x) printf "c%02d,s,A,pursue,%d.25\n", c, t
            if (y) printf "c%02d,s,B,withdraw,%d.25\n", c, t } } }' \
    >"$TMP/conf.csv"
check "analyze the confounded study" "$DYADSEQ" analyze -q \
    -o "$TMP/conf.h5" --actor-partner B:withdraw~A:pursue "$TMP/conf.csv"
ex "$TMP/conf.h5" "$AP/couple_summary" >"$TMP/conf.sum"
mp=$(mean conf partner); mo=$(mean conf partner_only)
if within "$mp" 0.35 0.65 && awk -v a="$mo" -v b="$mp" 'BEGIN { exit !(a > b + 0.2) }'
then ok "the actor term takes out what her pursuit only seemed to do: partner $mp, partner_only $mo"
else not_ok "confounded: partner $mp (want 0.35..0.65), partner_only $mo (want > partner + 0.2)"; fi

# ---------------------------------------------------------------------------
# --ap-delta 0: a session where B never withdraws has empty cells, NA, not
# Inf; a session with every cell filled is finite and equals the
# closed-form logits of its table.
cat >"$TMP/zero.csv" <<'EOF'
couple,session,actor,code,time
z1,s,A,pursue,0
z1,s,A,bid,1
z1,s,A,pursue,2
z1,s,B,soften,3
z2,s,A,pursue,0
z2,s,B,withdraw,1
z2,s,B,withdraw,2
z2,s,A,pursue,3
z2,s,A,pursue,4
z2,s,B,withdraw,4
z2,s,B,withdraw,5
z2,s,A,bid,6
z2,s,B,withdraw,7
z2,s,A,pursue,7
z2,s,A,bid,8
z2,s,B,bid,9
z2,s,A,pursue,10
z2,s,A,pursue,11
z2,s,B,withdraw,11
z2,s,B,withdraw,12
EOF
check "analyze --ap-delta 0" "$DYADSEQ" analyze -q -o "$TMP/zero.h5" \
    --ap-delta 0 --actor-partner B:withdraw~A:pursue "$TMP/zero.csv"
ex "$TMP/zero.h5" "$AP/session" >"$TMP/zs"
row_is "delta 0, Y never present: NA" "$TMP/zs" "couple=z1" \
    "n_unit_pairs=3 intercept=NA partner=NA actor=NA interaction=NA partner_only=NA se=NA"
if grep -qi inf "$TMP/zs"; then not_ok "no Inf with --ap-delta 0"
else ok "no Inf with --ap-delta 0"; fi
# z2: units 0..12, X {0,3,4,7,10,11}, Y {1,2,4,5,7,11,12}; pairs t = 1..12
# as (x, y, z): 101 011 010 101 111 010 001 110 000 000 101 111:
# n000 = 2, n001 = 1, n010 = 2, n011 = 1, n100 = 0, n101 = 3, n110 = 1,
# n111 = 2: cell 100 empty, so NA with delta 0; partner_only from the
# collapsed table x0: z1 = 2, z0 = 4; x1: z1 = 5, z0 = 1:
# (ln(5/1) - ln(2/4)) / 2 = ln(10) / 2
row_is "delta 0, one empty cell: b NA, partner_only defined" "$TMP/zs" \
    "couple=z2" "n_units=13 n_unit_pairs=12 partner=NA actor=NA partner_only=$(calc 'log(10)/2')"
ex "$TMP/zero.h5" "$AP/counts" >"$TMP/zc"
got=$(awk -F, 'NR > 1 && $2 == "z2" { printf "%s ", $7 }' "$TMP/zc")
check_eq "z2's table, cells 000 to 111" "$got" "2 1 2 1 0 3 1 2 "
# with the default delta 0.5: L_xy = ln((n_xy1 + .5)/(n_xy0 + .5))
check "analyze with the default delta" "$DYADSEQ" analyze -q \
    -o "$TMP/half.h5" --actor-partner B:withdraw~A:pursue "$TMP/zero.csv"
ex "$TMP/half.h5" "$AP/session" >"$TMP/hs"
L00='log(1.5/2.5)'; L01='log(1.5/2.5)'; L10='log(3.5/0.5)'; L11='log(2.5/1.5)'
row_is "delta 0.5: the closed form" "$TMP/hs" "couple=z2" \
    "intercept=$(calc "($L11 + $L10 + $L01 + $L00)/4") partner=$(calc "($L11 + $L10 - $L01 - $L00)/4") actor=$(calc "($L11 - $L10 + $L01 - $L00)/4") interaction=$(calc "($L11 - $L10 - $L01 + $L00)/4") se=$(calc 'sqrt(2/2.5+2/1.5+1/2.5+1/1.5+1/0.5+1/3.5)/4')"

# The worked example of docs/actor-partner.md: 20 one-second intervals
awk 'BEGIN { split("1 1 0 1 0 0 1 1 0 0 1 0 1 1 0 0 0 1 0 0", x, " ")
    split("0 1 1 0 1 0 0 1 1 0 0 1 0 1 1 1 0 0 1 0", y, " ")
    print "couple,session,actor,code,time"
    for (t = 1; t <= 20; t++) {
        if (x[t]) printf "w,s,A,pursue,%d\n", t - 1
        if (y[t]) printf "w,s,B,withdraw,%d\n", t - 1 }
    print "w,s,A,bid,19" }' >"$TMP/we.csv"
check "analyze the worked example" "$DYADSEQ" analyze -q -o "$TMP/we.h5" \
    --actor-partner B:withdraw~A:pursue "$TMP/we.csv"
ex "$TMP/we.h5" "$AP/counts" >"$TMP/wc"
check_eq "the worked example's table, 000 to 111" \
    "$(awk -F, 'NR > 1 { printf "%s ", $7 }' "$TMP/wc")" "3 0 6 1 0 6 0 3 "
ex "$TMP/we.h5" "$AP/session" >"$TMP/ws"
L11='log(3.5/0.5)'; L10='log(6.5/0.5)'; L01='log(1.5/6.5)'; L00='log(0.5/3.5)'
row_is "the worked example's coefficients" "$TMP/ws" "couple=w" \
    "n_units=20 n_unit_pairs=19 intercept=$(calc "($L11 + $L10 + $L01 + $L00)/4") partner=$(calc "($L11 + $L10 - $L01 - $L00)/4") actor=$(calc "($L11 - $L10 + $L01 - $L00)/4") interaction=$(calc "($L11 - $L10 - $L01 + $L00)/4") partner_only=$(calc '(log(10) - log(0.2))/2')"
check_eq "... printed as the docs show them" "$("$DYADSEQ" analyze -o \
    "$TMP/we2.h5" --actor-partner B:withdraw~A:pursue "$TMP/we.csv" |
    awk '$1 == "w" && $2 == "s" { print $4, $5, $6, $7, $8 }')" \
    "0.275 1.981 -0.035 -0.275 1.956"

# ---------------------------------------------------------------------------
# Interval data (convert --from intervals): the wide sheet of
# datasets/intervals, 48 intervals of 5 s per session. Every session's
# table is counted here from the sheet itself, interval by interval.
check "convert the interval sheet" "$DYADSEQ" convert -q --from intervals \
    --interval 5 --code A:pursue=A_pursue --code B:withdraw=B_withdraw \
    datasets/intervals/sheet.csv -o "$TMP/iv.csv"
check "analyze it with --actor-partner" "$DYADSEQ" analyze -q \
    -o "$TMP/iv.h5" --time-unit 5 --actor-partner B:withdraw~A:pursue \
    "$TMP/iv.csv"
ex "$TMP/iv.h5" "$AP/counts" | awk -F, 'NR > 1 {
    k = $2 "/" $3; n[k] = n[k] " " $7 } END { for (k in n) print k n[k] }' |
    sort >"$TMP/ivours"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { for (t = 2; t <= 48; t++) {
          x = $(col[sprintf("A_pursue%02d", t - 1)])
          y = $(col[sprintf("B_withdraw%02d", t - 1)])
          z = $(col[sprintf("B_withdraw%02d", t)])
          c[4 * x + 2 * y + z]++ }
      printf "%s/%s", $1, $2
      for (k = 0; k < 8; k++) { printf " %d", c[k]; c[k] = 0 }
      printf "\n" }' datasets/intervals/sheet.csv | sort >"$TMP/ivsheet"
check_eq "40 sessions" "$(wc -l <"$TMP/ivours")" 40
check "each session's table: the 47 pairs of consecutive intervals of the sheet" \
    cmp "$TMP/ivours" "$TMP/ivsheet"
check_eq "... and the mean coefficients printed" "$("$DYADSEQ" analyze \
    -o "$TMP/iv2.h5" --time-unit 5 --actor-partner B:withdraw~A:pursue \
    "$TMP/iv.csv" | grep -c '^  partner      all')" 1

# an interval not coded (NA) is a hole: no pair spans it. 8 intervals,
# the fourth not coded: pairs (1,2) (2,3) (5,6) (6,7) (7,8)
printf '%s\n' 'couple,session,P1,P2,P3,P4,P5,P6,P7,P8,W1,W2,W3,W4,W5,W6,W7,W8' \
    'h,s,1,0,1,NA,1,1,0,0,0,1,0,0,0,1,1,0' >"$TMP/hole.csv"
check "convert a sheet with an interval not coded" "$DYADSEQ" convert -q \
    --from intervals --interval 10 --code A:pursue=P --code B:withdraw=W \
    "$TMP/hole.csv" -o "$TMP/hole_t.csv"
check "analyze it" "$DYADSEQ" analyze -q -o "$TMP/hole.h5" --time-unit 10 \
    --actor-partner B:withdraw~A:pursue "$TMP/hole_t.csv"
# (x, y, z): (1,2) 101, (2,3) 010, (5,6) 101, (6,7) 111, (7,8) 010
ex "$TMP/hole.h5" "$AP/counts" >"$TMP/hc"
check_eq "the hole's pairs are left out" \
    "$(awk -F, 'NR > 1 { printf "%s ", $7 }' "$TMP/hc")" "0 0 2 0 0 2 0 1 "
ex "$TMP/hole.h5" "$AP/session" >"$TMP/hs2"
row_is "8 units, 5 pairs" "$TMP/hs2" "couple=h" "n_units=8 n_unit_pairs=5"

# ---------------------------------------------------------------------------
# What is refused, and what is not computed
check_status "an unknown state: usage error" 2 "$DYADSEQ" analyze -q \
    -o "$TMP/x.h5" --actor-partner B:withdrw~A:pursue "$TMP/zero.csv"
check_eq "... with a suggestion" \
    "$(grep -c "did you mean 'B:withdraw'" "$TMP/.err")" 1
check "... and no file" test ! -e "$TMP/x.h5"
check_status "no '~': usage error" 2 "$DYADSEQ" analyze -q -o "$TMP/x.h5" \
    --actor-partner B:withdraw "$TMP/zero.csv"
check_status "a model twice: usage error" 2 "$DYADSEQ" analyze -q \
    -o "$TMP/x.h5" --actor-partner default \
    --actor-partner 'B:withdraw ~ A:pursue' "$TMP/zero.csv"
check_status "Y and X the same: usage error" 2 "$DYADSEQ" analyze -q \
    -o "$TMP/x.h5" --actor-partner A:bid~A:bid "$TMP/zero.csv"
check_status "a negative delta: usage error" 2 "$DYADSEQ" analyze -q \
    -o "$TMP/x.h5" --ap-delta -1 --actor-partner default "$TMP/zero.csv"
printf 'couple,session,code,time\nn,s,withdraw,0\nn,s,pursue,1\n' >"$TMP/noact.csv"
check_status "default models without actors: usage error" 2 "$DYADSEQ" \
    analyze -q -o "$TMP/x.h5" --actor-partner default "$TMP/noact.csv"
check "without actors, codes name a model" "$DYADSEQ" analyze -q \
    -o "$TMP/noact.h5" --actor-partner withdraw~pursue "$TMP/noact.csv"
printf 'couple,session,actor,code\nn,s,A,pursue\nn,s,B,withdraw\n' >"$TMP/notime.csv"
"$DYADSEQ" analyze -o "$TMP/notime.h5" --actor-partner default \
    "$TMP/notime.csv" >/dev/null 2>"$TMP/nt.err"
check_eq "no time column: a warning" \
    "$(grep -c 'actor-partner effects not computed: the input has no time column' "$TMP/nt.err")" 1
check_eq "... and no /actor_partner" \
    "$("$DYADSEQ" export -q "$TMP/notime.h5" /actor_partner 2>/dev/null | wc -l)" 0

# the default models, by role, with a study codebook of several codes per
# role: W's two withdraw codes are one Y
cat >"$TMP/cb.csv" <<'EOF'
code,role,description
criticism,pursue,
stonewalling,withdraw,
defensiveness,withdraw,
validation,response,
EOF
cat >"$TMP/study.csv" <<'EOF'
couple,session,actor,code,time
k,s,H,criticism,0
k,s,W,stonewalling,1
k,s,H,criticism,2
k,s,W,defensiveness,3
k,s,H,validation,4
EOF
check "analyze a study codebook with the default models" "$DYADSEQ" \
    analyze -q -o "$TMP/study.h5" --codebook "$TMP/cb.csv" --actors H,W \
    --actor-partner default "$TMP/study.csv"
got=$("$DYADSEQ" info "$TMP/study.h5" | awk '/^Actor-partner/ { on = 1 }
    on && /~/ { printf "%s ", $1 }')
check_eq "default models: withdraw~pursue both ways" "$got" \
    "W:withdraw~H:pursue H:withdraw~W:pursue "
# W withdraws in units 1 and 3 (stonewalling, defensiveness), H criticizes
# in 0 and 2: pairs 101 010 101 010
ex "$TMP/study.h5" "/actor_partner/W:withdraw~H:pursue/counts" >"$TMP/sc"
got=$(awk -F, 'NR > 1 { printf "%s ", $7 }' "$TMP/sc")
check_eq "both withdraw codes are Y" "$got" "0 0 2 0 0 2 0 0 "

# ---------------------------------------------------------------------------
# compare: the change of every coefficient per couple, from the file and
# from the transcripts alike
check "compare the planted study's file" "$DYADSEQ" compare -q --pre pre \
    --post post -o "$TMP/cmp.h5" "$TMP/partner.h5"
ex "$TMP/cmp.h5" /comparison/values >"$TMP/cv"
ex "$TMP/partner.h5" "$AP/session" >"$TMP/ps"
want=$(awk -F, 'NR > 1 && $2 == "c07" { printf "%s=%s ", $3, $7 }' "$TMP/ps")
got=$(awk -F, 'NR > 1 && $2 == "ap_partner[B:withdraw~A:pursue]" &&
    $3 == "c07" { printf "post=%s pre=%s ", $5, $4 }' "$TMP/cv")
check_eq "compare's values are the sessions' partner effects" "$got" "$want"
check "compare the planted study's transcripts" "$DYADSEQ" compare -q \
    --pre pre --post post -o "$TMP/cmp2.h5" \
    --actor-partner B:withdraw~A:pursue "$TMP/partner.csv"
ex "$TMP/cmp.h5" /comparison | grep '^[0-9]*,ap_' | sed 's/^[0-9]*,//' \
    >"$TMP/c1"
ex "$TMP/cmp2.h5" /comparison | grep '^[0-9]*,ap_' | sed 's/^[0-9]*,//' \
    >"$TMP/c2"
check_eq "five ap_ metrics per model" "$(wc -l <"$TMP/c1")" 5
check "the same from the file and from the transcripts" cmp "$TMP/c1" \
    "$TMP/c2"
check_status "compare: --actor-partner with a results file: usage error" 2 \
    "$DYADSEQ" compare -q --pre pre --post post -o "$TMP/x.h5" \
    --actor-partner default "$TMP/partner.h5"
check_status "power: an unknown model: usage error" 2 "$DYADSEQ" power \
    --metric 'ap_partner[B:withdraw~A:pursu]' --couples 4 --events 50 \
    --replications 2

# info: the section and its numbers
"$DYADSEQ" info "$TMP/partner.h5" >"$TMP/info"
got=$(awk '/^Actor-partner/ { on = 1 } on && /B:withdraw~A:pursue/ { print $4 }' "$TMP/info")
want=$(awk -v m="$(mean partner partner)" 'BEGIN { printf "%.3f", m }')
check_eq "info shows the mean partner effect" "$got" "$want"
finish
