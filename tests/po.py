#!/usr/bin/env python3
"""The message catalogue (issue 16), in TAP.

  po.py SRC XGETTEXT MSGFMT

1. msgfmt -c --statistics: po/zh_CN.po is well-formed, its formats
   match their msgids, and every message is translated (no fuzzy, no
   untranslated).
2. xgettext over po/POTFILES, with the keywords of po/meson.build: every
   msgid it finds is translated in zh_CN.po (each form of a plural), and the test names each one
   that is not, with where it is; an entry no source uses any more is
   named too.
3. po/POTFILES lists every .c file of cmd/ and lib/.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

src, xgettext, msgfmt = sys.argv[1:4]
po = os.path.join(src, 'po', 'zh_CN.po')
n = 0
failed = False


def result(good, name, diag=()):
    global n, failed
    n += 1
    print(('ok' if good else 'not ok') + ' %d - %s' % (n, name))
    for d in diag:
        print('#   ' + d)
    failed |= not good


def parse(path):
    """msgid -> (msgstr, fuzzy, references, plural) of a .po or .pot
    file, plural the msgid_plural or None."""
    entries = {}
    text = open(path, encoding='utf-8').read()
    for block in text.split('\n\n'):
        lines = block.strip('\n').split('\n')
        if any(l.startswith('#~') for l in lines):
            continue
        fuzzy = any(l.startswith('#,') and 'fuzzy' in l for l in lines)
        refs = ' '.join(l[3:] for l in lines if l.startswith('#: '))
        cur, parts = None, {'msgid': ''}
        for l in lines:
            m = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$',
                         l)
            if m:
                cur = m.group(1)
                parts[cur] = eval(m.group(2))
            elif l.startswith('"') and cur:
                parts[cur] += eval(l)
        # A plural entry is translated when each of its forms is.
        forms = [v for k, v in parts.items() if k.startswith('msgstr')]
        msgstr = forms[0] if forms and all(forms) else ''
        if cur is not None and parts['msgid']:
            entries[parts['msgid']] = (msgstr, fuzzy, refs,
                                       parts.get('msgid_plural'))
    return entries


# 1. msgfmt's own statistics.
r = subprocess.run([msgfmt, '-c', '--statistics', '-o', os.devnull, po],
                   capture_output=True, text=True)
stats = (r.stdout + r.stderr).strip()
result(r.returncode == 0 and re.fullmatch(r'\d+ translated messages?\.', stats)
       is not None,
       'msgfmt -c --statistics: every message translated, none fuzzy',
       stats.splitlines())

# 2. What the sources hold against what the catalogue translates.
with open(os.path.join(src, 'po', 'POTFILES')) as f:
    files = [l.strip() for l in f if l.strip() and not l.startswith('#')]
# xgettext's arguments are po/meson.build's, where the build takes them.
with open(os.path.join(src, 'po', 'meson.build')) as f:
    args = re.findall(r"'(--[a-z-]+=[^']*)'", f.read())
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'case.pot')
    r = subprocess.run([xgettext] + args + ['-D', src, '-o', pot] + files,
                       capture_output=True, text=True)
    result(r.returncode == 0, 'xgettext reads the files of po/POTFILES',
           r.stderr.splitlines())
    want = parse(pot) if r.returncode == 0 else {}
have = parse(po)
missing = ['%s: %r' % (refs, msgid) for msgid, (_, _, refs, _) in want.items()
           if msgid not in have or not have[msgid][0] or have[msgid][1]]
result(not missing, 'every string in _() or N_() is translated in zh_CN.po',
       ['not translated: ' + m for m in missing])
unused = [repr(m) for m in have if m not in want]
result(not unused, 'zh_CN.po holds no message the sources no longer use',
       ['unused: ' + m for m in unused])
# A message that counts (P_, NP_) is a plural entry, with the same plural.
forms = ['%s: %r' % (refs, msgid)
         for msgid, (_, _, refs, plural) in want.items()
         if msgid in have and have[msgid][3] != plural]
result(not forms, 'each message that counts is a plural entry in zh_CN.po, '
       'and no other is', ['not the same forms: ' + m for m in forms])

# 4. A message that names its case begins as the translation of "case %lld "
# does (lib/err.c case_err_case prefixes "case %lld: " to any other), so
# that a refusal such as "case %lld is not assigned to your units (%s)"
# does not name its case twice in Chinese.
head = have.get('case %lld ', ('', False, ''))[0]
doubled = [repr(m) for m, (t, _, _, _) in have.items()
           if m.startswith('case %lld ') and m != 'case %lld '
           and not (head and t.startswith(head))]
result(head != '' and not doubled,
       'messages that begin "case %lld " begin with its translation',
       ['does not begin with %r: %s' % (head, m) for m in doubled])

# 3. Every source file is read.
sources = sorted(os.path.relpath(p, src) for d in ('cmd', 'lib')
                 for p in glob.glob(os.path.join(src, d, '*.c')))
absent = [p for p in sources if p not in files]
result(not absent, 'po/POTFILES lists every .c file of cmd/ and lib/',
       ['not listed: ' + p for p in absent])

print('1..%d' % n)
sys.exit(1 if failed else 0)
