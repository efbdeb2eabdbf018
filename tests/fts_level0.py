#!/usr/bin/python3
"""The number of segments on the lowest level of an SQLite file's trigram
index, from FTS5's structure record (row 10 of cases_fts_data, as SQLite
3.40 writes it: a 4-byte cookie, then varints: levels, segments, writes,
and for each level the segments being merged and the segments).  A bulk
fill should leave none there, where a later command would have to merge
them all at once.

    fts_level0.py DB
"""
import sqlite3
import sys

block = sqlite3.connect(sys.argv[1]).execute(
    "SELECT block FROM cases_fts_data WHERE id = 10").fetchone()[0]
at = 4


def varint():
    global at
    v = 0
    for k in range(9):
        c = block[at]
        at += 1
        if k == 8:
            return (v << 8) | c
        v = (v << 7) | (c & 0x7f)
        if c < 0x80:
            return v
    return v


levels, segments, writes, merging, level0 = (varint() for _ in range(5))
print(level0 if levels > 0 else 0)
