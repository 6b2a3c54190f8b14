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
