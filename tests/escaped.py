#!/usr/bin/env python3
"""User-visible strings that escaped gettext (issue 16), in TAP.

  escaped.py FILE.c...

Every string literal given as the message of the error setters
(case_err_set, case_err_prefix, case_db_fail), of the binaries' message
printers (cli_warn, cli_usage_error), of the import's notes (note, bad),
of fprintf(stderr, ...) and fputs(..., stderr), and every usage text
(fputs("usage: ...")), must be inside _() or N_().  A literal that holds
no word (a format such as "%s: %s", "%s:%ld: ", an option name such as
"--place: ") is not a message and passes; what is deliberately left
English otherwise is in ALLOWED below, each with its reason.  The test
names the file and line of each string that escaped.
"""
import re
import sys

# The message argument's position, from 0, in each function.
FUNCS = {'case_err_set': 2, 'case_err_prefix': 1, 'case_db_fail': 2,
         'cli_warn': 0, 'cli_usage_error': 1, 'note': 2, 'bad': 1,
         'fprintf': 1, 'fputs': 0}

# (file, literal) left untranslated on purpose.
ALLOWED = {
    # None yet: a literal with words here must say why it stays English
    # (SQL, a CSV format, a protocol word).
}


def skip_quoted(s, i, q):
    i += 1
    while s[i] != q:
        i += 2 if s[i] == '\\' else 1
    return i + 1


def skip_comment(s, i):
    if s.startswith('/*', i):
        return s.index('*/', i) + 2
    return s.index('\n', i)


def call_args(s, i):
    """The arguments (start, end) of a call whose '(' is just before i."""
    args, depth, start = [], 0, i
    while True:
        c = s[i]
        if c in '"\'':
            i = skip_quoted(s, i, c)
            continue
        if s.startswith('/*', i) or s.startswith('//', i):
            i = skip_comment(s, i)
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            if depth == 0:
                args.append((start, i))
                return args
            depth -= 1
        elif c == ',' and depth == 0:
            args.append((start, i))
            start = i + 1
        i += 1


LITERAL = re.compile(r'\s*("(?:[^"\\]|\\.)*"\s*)+', re.S)


def words(text):
    """Whether the literal holds a word, less formats, options and
    environment names."""
    body = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', text))
    body = re.sub(r'%[-#0-9.*$]*(?:hh|h|ll|l|z|j|t)?[a-zA-Z]', '', body)
    body = re.sub(r'--[a-z][a-z-]*', '', body)
    body = re.sub(r'\b[A-Z][A-Z0-9_]+\b', '', body)
    body = re.sub(r'\\[nrt]|\\033\[K', '', body)
    return re.search(r'[A-Za-z]{2,}', body) is not None


def escaped(path):
    s = open(path, encoding='utf-8').read()
    found = []
    for m in re.finditer(r'\b(%s)\s*\(' % '|'.join(FUNCS), s):
        line_start = s.rfind('\n', 0, m.start()) + 1
        if s[line_start:m.start()].lstrip().startswith(('*', '/*', '//')):
            continue
        name = m.group(1)
        args = call_args(s, m.end())
        first = s[args[0][0]:args[0][1]].strip()
        if first.startswith(('struct ', 'const ', 'enum ')):
            continue  # a definition or a prototype
        k = FUNCS[name]
        if name == 'fprintf' and first != 'stderr':
            continue
        if name == 'fputs':
            last = s[args[-1][0]:args[-1][1]].strip()
            text = s[args[0][0]:args[0][1]]
            if last != 'stderr' and not text.lstrip().startswith('"usage'):
                continue
        if k >= len(args):
            continue
        a, b = args[k]
        text = s[a:b]
        if not LITERAL.fullmatch(text) or not words(text):
            continue
        lit = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', text))
        if (path.split('/')[-2] + '/' + path.split('/')[-1], lit) in ALLOWED:
            continue
        line = s.count('\n', 0, a + len(text) - len(text.lstrip())) + 1
        found.append('%s:%d: %s("%s")' % (path, line, name, lit[:70]))
    return found


n = 0
failed = False
for path in sys.argv[1:]:
    n += 1
    found = escaped(path)
    print(('ok' if not found else 'not ok') +
          ' %d - %s: every message goes through _()' % (n, path))
    for f in found:
        print('#   escaped gettext: ' + f)
    failed |= bool(found)
print('1..%d' % n)
sys.exit(1 if failed else 0)
