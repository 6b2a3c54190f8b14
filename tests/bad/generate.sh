#!/bin/sh
# generate.sh DIR — write the bad inputs too large or too odd to commit.
set -eu
dir=$1
# a 1 MB field in the code column: the message must stay one short line
{
    printf 'couple,session,actor,code,time\nc1,pre,A,pursue,0\nc1,pre,B,'
    head -c 1048576 /dev/zero | tr '\0' 'x'
    printf ',1\n'
} >"$dir/big_field.csv"
# fields longer than the reader takes (64 KiB, csvread.h): a located
# problem naming the column, and the file is read no further
long() { head -c "$1" /dev/zero | tr '\0' "$2"; }
{
    printf 'couple,session,actor,code,time,note\nc1,pre,A,pursue,0,ok\n'
    printf 'c1,pre,B,withdraw,1,"'
    i=0
    n99=$(long 99 n) # printf is built in: no process per line
    while [ $i -lt 700 ]; do printf '%s\n' "$n99"; i=$((i + 1)); done
    printf '"\nc1,pre,A,soften,2,ok\n'
} >"$dir/long_quoted_field.csv"
{
    printf 'couple,session,actor,code,time,'
    long 65537 h
    printf '\nc1,pre,A,pursue,0,ok\n'
} >"$dir/long_header_field.csv"
# the longest field taken: 65,536 bytes in a column that is ignored
{
    printf 'couple,session,actor,code,time,note\nc1,pre,A,pursue,0,'
    long 65536 k
    printf '\nc1,pre,B,withdraw,1,ok\n'
} >"$dir/longest_field.csv"
# labels and codes longer than 1,024 bytes (DS_LABEL_MAX); 1,024 is taken
L=$(long 1025 L)
{
    printf 'couple,session,actor,code,time\n'
    printf '%s,pre,A,pursue,0\nc1,%s,B,withdraw,1\n' "$L" "$L"
    printf 'c1,pre,%s,pursue,2\nc1,pre,B,%s,3\n' "$L" "$L"
    printf 'c1,%s,A,pursue,4\nc1,%s,B,withdraw,5\n' "$(long 1024 S)" "$(long 1024 S)"
} >"$dir/long_labels.csv"
printf 'code,role\npursue,pursue\n%s,withdraw\n' "$L" >"$dir/long_code.codebook.csv"
# the same through convert: a CSV export (columns) and a header-less ELAN
# text export, whose message counts fields
{
    printf 'dyad,visit,who,what,onset\nd1,pre,A,pursue,0\n'
    printf 'd1,pre,B,withdraw,%s\nd1,pre,A,pursue,2\n' "$(long 70000 9)"
} >"$dir/long_convert_field.csv"
{
    printf 'dyad,visit,who,what,onset\nd1,pre,A,pursue,0\n'
    printf '%s,pre,B,withdraw,1\nd1,%s,A,pursue,2\n' "$L" "$L"
} >"$dir/long_convert_label.csv"
printf 'Partner1\t\t00:00:01.000\t1.0\t00:00:02.000\t2.0\t00:00:01.000\t1.0\t%s\n' \
    "$(long 70000 b)" >"$dir/long_elan_field.txt"
