#!/bin/sh
# The Chinese interface (issue 16): under LC_ALL=zh_CN.UTF-8 messages,
# usage, did-you-mean and text listings are Chinese, with aligned Chinese
# titles and enum words; under C.UTF-8 they are byte for byte English;
# csv, tsv and json are the same under both; Chinese enum words are taken
# on input in any locale and stored as the English words.
. "$TESTS/cli/lib.sh"

# ./check makes the locale (tests/locale-zh): a machine without it fails
# here rather than skipping what the issue asks to be tested.
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
	not_ok "the zh_CN.UTF-8 locale is installed (run tests/locale-zh)"
	done_testing
fi
ok "the zh_CN.UTF-8 locale is installed"

# zh CMD...: run CMD under the Chinese locale.
zh() {
	LC_ALL=zh_CN.UTF-8 "$@"
}

# same_output NAME WORD CMD...: CMD's stdout is the same under C.UTF-8
# and zh_CN.UTF-8, and holds WORD (a grep pattern).
same_output() {
	_name=$1
	_word=$2
	shift 2
	"$@" >"$T/c.same" 2>/dev/null
	zh "$@" >"$T/z.same" 2>/dev/null
	if cmp -s "$T/c.same" "$T/z.same" && grep -q "$_word" "$T/z.same"; then
		ok "$_name"
	else
		not_ok "$_name"
		diff "$T/c.same" "$T/z.same" | sed 's/^/#   /'
	fi
}

# ---- input: Chinese words in options and CSV, stored as English -----------

run case-admin unit add pcs-qianjin 前进派出所 --type 派出所
expect "unit add --type takes the Chinese type" 0 "" ""
run case-admin unit add jud-qianjin 前进司法所 --type judicial
expect "unit add --type takes the English type" 0 "" ""
check_sql "the unit types are stored in English" "jud-qianjin|judicial
pcs-qianjin|police" "SELECT code, type FROM units ORDER BY code"

run case-open --kind 纠纷 --priority 特急 --source 热线 \
	--place chaoyang/qianjin 楼上噪音扰民
expect "case-open takes Chinese kind, priority and source" 0 "1" ""
run zh case-open --kind hazard --priority 缓办 --source walk-in \
	--place chaoyang/qianjin 井盖缺失
expect "case-open takes both languages under zh_CN" 0 "2" ""
cat >"$T/zh.csv" <<'EOF'
summary,kind,priority,source,place
路灯不亮,诉求,紧急,巡查,chaoyang/qianjin/g07
楼道堆物,隐患,,其他渠道,chaoyang/qianjin/g08
EOF
run case-open -f "$T/zh.csv"
expect "a CSV import takes Chinese words in its columns" 0 "3
4" ""
check_sql "the words are stored in English; a free source is kept" \
	"1|dispute|urgent|hotline
2|hazard|low|walk-in
3|request|high|patrol
4|hazard|normal|其他渠道" \
	"SELECT id, kind, priority, source FROM cases ORDER BY id"

run case-assign 1 3 -u pcs-qianjin
expect "assign" 0 "1
3" ""
run case-followup resolve 1 -m 已调解
expect "resolve" 0 "1" ""
run case-followup visit 1 --outcome 满意 --method 电话
expect "visit takes Chinese outcome and method" 0 "1" ""
check_sql "the visit is stored in English" "satisfied|phone" \
	"SELECT outcome, method FROM visits WHERE case_id = 1"

# ---- unknown words: the person's language -----------------------------------

snapshot
run zh case-open --kind 警情 x
check_rc 2 "an unknown kind under zh_CN exits 2"
check_err_has "case-open: --kind: 未知的事件类型“警情”(应为纠纷、隐患或诉求)" \
	"the message lists the Chinese words"
run case-open --kind 警情 x
check_err_has \
	"case-open: --kind: unknown kind '警情' (expected dispute, hazard or request)" \
	"under C.UTF-8 it lists the English words"
# Did-you-mean measures characters, not bytes: a Chinese word one
# character off is near, and is answered with the Chinese word in either
# locale; an English one with the word of the reader's language.
run zh case-open --kind 纠份 x
check_err_has "case-open: --kind: 未知的事件类型“纠份”(您是不是要找“纠纷”?)" \
	"a Chinese misspelling under zh_CN: did-you-mean the Chinese word"
run case-open --kind 纠份 x
check_err_has "case-open: --kind: unknown kind '纠份' (did you mean '纠纷'?)" \
	"a Chinese misspelling under C.UTF-8: did-you-mean the Chinese word"
run zh case-open --priority 特级 x
check_err_has "case-open: --priority: 未知的紧急程度“特级”(您是不是要找“特急”?)" \
	"a misspelt priority under zh_CN"
run zh case-open --kind disput x
check_err_has "case-open: --kind: 未知的事件类型“disput”(您是不是要找“纠纷”?)" \
	"an English misspelling under zh_CN: did-you-mean in Chinese"
run case-open --kind disput x
check_err_has "case-open: --kind: unknown kind 'disput' (did you mean 'dispute'?)" \
	"an English misspelling under C.UTF-8: did-you-mean in English"
run zh case-followup visit 1 --outcome good
check_err_has \
	"case-followup: --outcome: 未知的回访结果“good”(应为满意、不满意或未联系上)" \
	"an unknown outcome under zh_CN"
check_unchanged "unknown words change nothing"

# ---- text output: Chinese titles and words, aligned -------------------------

run zh case-report -l -c id,kind,priority,status,source,lead,summary
expect "a text listing under zh_CN: Chinese titles and words, aligned" 0 \
"编号  事件类型  紧急程度  状态    来源      主办单位     事由
   1  纠纷      特急      已办结  热线      pcs-qianjin  楼上噪音扰民
   2  隐患      缓办      待分派  来访      -            井盖缺失
   3  诉求      紧急      办理中  巡查      pcs-qianjin  路灯不亮
   4  隐患      一般      待分派  其他渠道  -            楼道堆物" ""
run case-report -l -c id,kind,priority,status,source,lead,summary
expect "the same listing under C.UTF-8 is English" 0 \
"id  kind     priority  status    source    lead         summary
 1  dispute  urgent    closed    hotline   pcs-qianjin  楼上噪音扰民
 2  hazard   low       open      walk-in   -            井盖缺失
 3  request  high      assigned  patrol    pcs-qianjin  路灯不亮
 4  hazard   normal    open      其他渠道  -            楼道堆物" ""
run zh case-admin unit list
expect "unit list under zh_CN" 0 \
"单位代码     名称        单位类型  上级单位  网格位置  负责人  联系方式
jud-qianjin  前进司法所  司法所    -         -         -       -
pcs-qianjin  前进派出所  派出所    -         -         -       -" ""

run case-report -l -c id -k 隐患,request -s 待分派
expect "case-report filters take Chinese words, alone or mixed" 0 \
"id
 2
 4" ""
run zh case-report -l -c id -k 隐患 -p urgent,紧急,缓办
expect "and under zh_CN" 0 \
"编号
   2" ""
run zh case-report -l -k 隐患,纠分
check_rc 2 "a bad filter word under zh_CN exits 2"
check_err_has "case-report: --kind:无效的值“隐患,纠分”(应为纠纷、隐患或诉求,或以逗号连接的多个)" "it lists the Chinese words"

run zh case-report --show 2
if sed -n 2,4p "$T/out" | tr '\n' '|' | grep -qx '字段 *值|编号 *2|工单号 *-|' &&
	grep -qx '事件类型 *隐患' "$T/out" && grep -qx '来源 *来访' "$T/out"; then
	ok "case-report --show under zh_CN: the fields' Chinese titles and words"
else
	not_ok "case-report --show under zh_CN: the fields' Chinese titles and words"
	_show
fi

# The tables of --show: unit roles, visit methods and outcomes, the
# journal's actions and statuses in Chinese; the journal's detail as it
# was written.
run zh case-report --show 1
if [ "$rc" -eq 0 ] && [ "$(sed -n '/^办理单位$/,$p' "$T/out")" = "办理单位
单位         名称        角色  分派时间          解除时间
pcs-qianjin  前进派出所  主办  2026-05-01 08:00  -

回访
到期时间          完成时间          回访次数  回访方式  回访结果  操作人  进展记录
2026-05-08 08:00  2026-05-01 08:00         1  电话      满意      tester  -

办理记录
记录  时间              事件  操作人  操作  状态    督办级别  说明
   1  2026-05-01 08:00     1  tester  受理  待分派         0  dispute, priority urgent
   5  2026-05-01 08:00     1  tester  分派  办理中         0  lead pcs-qianjin
   7  2026-05-01 08:00     1  tester  处置  已处置         0  已调解; first visit due 2026-05-08 08:00
   8  2026-05-01 08:00     1  tester  回访  已处置         0  satisfied by phone, attempt 1
   9  2026-05-01 08:00     1  tester  办结  已办结         0  satisfied" ]; then
	ok "case-report --show under zh_CN: its tables' words in Chinese, details as written"
else
	not_ok "case-report --show under zh_CN: its tables' words in Chinese, details as written"
	_show
fi
run case-report --show 1
if [ "$rc" -eq 0 ] && [ "$(sed -n '/^journal$/,$p' "$T/out")" = "journal
event  at                case  actor   action   status    level  detail
    1  2026-05-01 08:00     1  tester  open     open          0  dispute, priority urgent
    5  2026-05-01 08:00     1  tester  assign   assigned      0  lead pcs-qianjin
    7  2026-05-01 08:00     1  tester  resolve  resolved      0  已调解; first visit due 2026-05-08 08:00
    8  2026-05-01 08:00     1  tester  visit    resolved      0  satisfied by phone, attempt 1
    9  2026-05-01 08:00     1  tester  close    closed        0  satisfied" ]; then
	ok "case-report --show under C.UTF-8: the journal in English"
else
	not_ok "case-report --show under C.UTF-8: the journal in English"
	_show
fi
for f in json csv; do
	same_output "case-report --show -F $f is the same under both locales" \
		'"action": *"open"\|,open,' case-report --show 1 -F "$f"
done

run zh case-report --bars -g kind
if [ "$rc" -eq 0 ] && [ "$(cut -d' ' -f1 "$T/out" | tr '\n' ' ')" = "纠纷 隐患 诉求 " ]; then
	ok "case-report --bars under zh_CN labels the kinds in Chinese"
else
	not_ok "case-report --bars under zh_CN labels the kinds in Chinese"
	_show
fi
run zh case-report --bars
if [ "$rc" -eq 0 ] && [ "$(cut -d' ' -f1 "$T/out" | tr '\n' ' ')" = "受理数 在办数 超期 已处置数 已办结数 已撤销数 " ]; then
	ok "case-report --bars under zh_CN names the figures in Chinese"
else
	not_ok "case-report --bars under zh_CN names the figures in Chinese"
	_show
fi

run zh case-report -g month -c opened
expect "case-report -g month under zh_CN: the group's title and the total" 0 \
"月份     受理数
2026-05       4
合计          4" ""

# ---- messages and usage under zh_CN ----------------------------------------

# zh_error NAME FIRST CMD...: under zh_CN, CMD exits 2, prints nothing on
# stdout, and its stderr begins with the line FIRST, then the Chinese
# usage.
zh_error() {
	_name=$1
	_first=$2
	shift 2
	run zh "$@"
	check_rc 2 "$_name: exit 2"
	check_no_out "$_name: nothing on stdout"
	if [ "$(sed -n 1p "$T/err")" = "$_first" ] &&
		sed -n 2p "$T/err" | grep -q "^用法: $1 "; then
		ok "$_name: the Chinese message, then the Chinese usage"
	else
		not_ok "$_name: the Chinese message, then the Chinese usage"
		diag "expected first: $_first"
		_show
	fi
}

for b in case-open case-assign case-followup case-report case-admin; do
	run zh "$b" --help
	if [ "$rc" -eq 0 ] && sed -n 1p "$T/out" | grep -q "^用法: $b " &&
		! grep -q "usage\|All \|^ *$b" "$T/out"; then
		ok "$b --help under zh_CN is Chinese"
	else
		not_ok "$b --help under zh_CN is Chinese"
		_show
	fi
	run "$b" --help
	if sed -n 1p "$T/out" | grep -q "^usage: $b "; then
		ok "$b --help under C.UTF-8 is English"
	else
		not_ok "$b --help under C.UTF-8 is English"
		_show
	fi
done

# zh_fails NAME WANT CMD...: under zh_CN, CMD fails, and the first line
# of its stderr matches the grep pattern WANT and, past the program's
# name, holds no two English words in a row.
zh_fails() {
	_name=$1
	_want=$2
	shift 2
	run zh "$@"
	if [ "$rc" -ne 0 ] && grep -q "$_want" "$T/err" &&
		! sed -n '1s/^case-[a-z]*: //p' "$T/err" | grep -q '[a-z]\{4,\} [a-z]\{2,\}'; then
		ok "$_name"
	else
		not_ok "$_name"
		_show
	fi
}

# A control character in a one-line field, and one anywhere: two whole
# sentences, the first saying why, both Chinese.
zh_fails "a line break in a one-line field: one Chinese sentence, with why" \
	'^case-open: 事由 在第 3 字节处含有控制字符 0x0a(必须为单行)$' case-open -k request "$(printf 'ab\ncd')"
zh_fails "another control character: the Chinese sentence without the why" \
	'含有控制字符 0x01$' case-open -k request "$(printf 'ab\001cd')"
# A bad time says why in the reader's language, inside one sentence.
zh_fails "a day that does not exist: why, in Chinese" \
	'无效的时间“2026-02-30”:该月没有这一天(应为' \
	case-open -k request --at 2026-02-30 路灯不亮

snapshot
zh_error "case-open: two operands" \
	"case-open: 应有一个事由参数(由多个词组成的事由请加引号)" \
	case-open a b
zh_error "case-open: a bad --format" \
	"case-open: --format: 未知的格式“xml”(应为 text、csv、tsv、json 或 xlsx)" \
	case-open -F xml x
zh_error "case-assign: --auto with --escalate" \
	"case-assign: --auto 和 --escalate 不能同用" \
	case-assign --auto --escalate
zh_error "case-followup: an unknown command" \
	"case-followup: 未知的命令“vist”(应为 note、resolve、visit、schedule、cancel、due 或 ics)" \
	case-followup vist 1
zh_error "case-followup: schedule without --at" \
	"case-followup: schedule:必须给出 --at" \
	case-followup schedule 1
zh_error "case-report: a bad --level" \
	"case-report: --level:应为 0、1、2 或 3" \
	case-report -l --level 7
zh_error "case-report: ids without --show" \
	"case-report: 事件编号只能与 --show 同用" \
	case-report -l 3
zh_error "case-admin: an unknown command" \
	"case-admin: 未知的命令“unti”(应为 init、unit、supervisor、policy、check、backup、copy 或 member)" \
	case-admin unti list
zh_error "case-admin: a bad unit type" \
	"case-admin: --type:未知的单位类型“警察”(应为派出所、司法所、签约律师事务所、职能部门、网格、社区或其他)" \
	case-admin unit add x-1 某单位 --type 警察
zh_error "case-admin: a bad role" \
	"case-admin: member add: --role:未知的角色“警察”(应为管理员、综治中心、办理单位、督办人或分析员)" \
	case-admin member add ana --role 警察
zh_error "case-admin: a Chinese misspelt role: did-you-mean in Chinese" \
	"case-admin: member add: --role:未知的角色“分折员”(您是不是要找“分析员”?)" \
	case-admin member add ana --role 分折员
usage_error "case-admin: the same under C.UTF-8: did-you-mean the Chinese word" \
	"case-admin: member add: --role: unknown role '分折员' (did you mean '分析员'?)" \
	case-admin member add ana --role 分折员
zh_error "case-admin: a misspelt role: did-you-mean in Chinese" \
	"case-admin: member add: --role:未知的角色“analist”(您是不是要找“分析员”?)" \
	case-admin member add ana --role analist
run case-admin member add ana --role analist
expect "case-admin: the same under C.UTF-8 is English" 2 "" \
"case-admin: member add: --role: unknown role 'analist' (did you mean 'analyst'?)
$(sed -n 2,99p "$T/err")"

# --role takes the role's Chinese word, as every enum does: on a server
# the member is stored with the English role; on a file the role passes
# the options' check and the command stops where roles need a server.
run case-admin member add ana --role 分析员
if [ "$BACKEND" = pg ]; then
	check_rc 0 "member add --role takes the Chinese role"
	check_sql "the role is stored in English" "ana|analyst" \
		"SELECT login, role FROM members WHERE login = 'ana'"
else
	expect "member add --role takes the Chinese role" 1 "" \
"case-admin: roles need a PostgreSQL server: on an SQLite file, the file's permissions decide who may read and write it (see 'case-admin init --group')"
fi

run zh case-assign 2 -u pcs-qianjn
expect "case-assign: did-you-mean under zh_CN" 1 "" \
"case-assign: --unit: 未知的单位“pcs-qianjn”(您是不是要找“pcs-qianjin”?)"
run case-assign 2 -u pcs-qianjn
expect "case-assign: the same under C.UTF-8 is English" 1 "" \
"case-assign: --unit: unknown unit 'pcs-qianjn' (did you mean 'pcs-qianjin'?)"

# The FILE:LINE: prefix and the program name never change.
printf 'summary,kind\n甲,dispute\n乙,纠份\n' >"$T/bad.csv"
run zh case-open -f "$T/bad.csv"
expect "an import's errors under zh_CN keep the FILE:LINE: prefix" 1 "" \
"case-open: $T/bad.csv:3: 未知的事件类型“纠份”(应为纠纷、隐患或诉求;或用 --recode 'kind:纠份=...' 转换)
case-open: $T/bad.csv: 有 1 行的 kind 为“纠份”,不匹配任何值(可用 --recode 'kind:纠份=...' 转换)
case-open: $T/bad.csv: 有误 1 行;未导入任何内容(--skip-bad 可导入无误的行)"
check_unchanged "the failed commands under zh_CN change nothing"

# ---- plurals and whole sentences -------------------------------------------

# A message that counts goes through P_() (ngettext), each language with
# its own forms: no English suffix is pasted into a message, in C or in
# SQL, and the catalogue hides none with %.0s.
src=$TESTS/..
if ! grep -rn '? "" : "s"' "$src/lib" "$src/cmd" >/dev/null &&
	! grep -rn "ELSE 's'" "$src/lib" >/dev/null &&
	! grep -q '%[0-9]*\$*\.0s' "$src/po/zh_CN.po"; then
	ok "plurals go through ngettext, not a pasted suffix"
else
	not_ok "plurals go through ngettext, not a pasted suffix"
	grep -rn '? "" : "s"' "$src/lib" "$src/cmd" | sed 's/^/#   /'
	grep -rn "ELSE 's'" "$src/lib" | sed 's/^/#   /'
	grep -n '%[0-9]*\$*\.0s' "$src/po/zh_CN.po" | sed 's/^/#   /'
fi

# A refusal for the case's status is one sentence: the verb and the
# status in the reader's language.
snapshot
run zh case-assign 1 -u pcs-qianjin
expect "a status refusal under zh_CN: Chinese verb and status" 1 "" \
"case-assign: 事件 1:无法分派:事件状态为已办结
case-assign: 1 个事件中有 1 个失败;未做任何更改(--skip-bad 可处理其余事件)"
run case-assign 1 -u pcs-qianjin
expect "the same under C.UTF-8 is English, in the singular" 1 "" \
"case-assign: case 1: cannot assign: the case is closed
case-assign: 1 of 1 case failed; nothing changed (--skip-bad applies the rest)"
run zh case-followup visit 3 2 --outcome 满意
expect "a refusal with its reason under zh_CN" 1 "" \
"case-followup: 事件 3:无法登记回访:事件状态为办理中;只有已处置的事件才回访
case-followup: 事件 2:无法登记回访:事件状态为待分派;只有已处置的事件才回访
case-followup: 2 个事件中有 2 个失败;未做任何更改(--skip-bad 可处理其余事件)"
run case-followup visit 3 2 --outcome 满意
expect "the same under C.UTF-8 is English, in the plural" 1 "" \
"case-followup: case 3: cannot record a visit: the case is assigned; only resolved cases are visited
case-followup: case 2: cannot record a visit: the case is open; only resolved cases are visited
case-followup: 2 of 2 cases failed; nothing changed (--skip-bad applies the rest)"

zh_error "case-followup: cancel without its reason" \
	"case-followup: cancel:必须给出 --message(撤销原因)" \
	case-followup cancel 2
usage_error "case-followup: cancel without its reason, in English" \
	"case-followup: cancel: --message is required (the reason)" \
	case-followup cancel 2
zh_error "case-followup: note without its text" \
	"case-followup: note:必须给出 --message" case-followup note 2
zh_error "case-report: a misspelt column: did-you-mean in Chinese" \
	"case-report: --columns:未知的列“summry”(您是不是要找“summary”?)" \
	case-report -l -c id,summry
zh_error "case-report: an unknown column, nothing near" \
	"case-report: --columns:未知的列“zzz”" case-report -l -c id,zzz
usage_error "case-report: a misspelt column, in English" \
	"case-report: --columns: unknown column 'summry' (did you mean 'summary'?)" \
	case-report -l -c id,summry
usage_error "case-report: an unknown column, in English" \
	"case-report: --columns: unknown column 'zzz'" case-report -l -c id,zzz
printf 'a\nx\n' >"$T/map.csv"
zh_error "case-open: a misspelt --map field: did-you-mean in Chinese" \
	"case-open: --map:未知的字段“summry”(您是不是要找“summary”?)" \
	case-open -f "$T/map.csv" --map summry=a
zh_error "case-open: an unknown --map field, nothing near" \
	"case-open: --map:未知的字段“zzz”" case-open -f "$T/map.csv" --map zzz=a
usage_error "case-open: a misspelt --map field, in English" \
	"case-open: --map: unknown field 'summry' (did you mean 'summary'?)" \
	case-open -f "$T/map.csv" --map summry=a
check_unchanged "the refusals change nothing"

# ---- the briefing: Chinese labels and lang under zh_CN ---------------------

run zh case-report --brief
if [ "$rc" -eq 0 ] && grep -q '^<html lang="zh-CN">$' "$T/out" &&
	grep -q '^<h1>工作简报</h1>$' "$T/out" &&
	grep -q '^<h2>督办升级</h2>$' "$T/out" &&
	! grep -q 'Case briefing\|Headline figures' "$T/out"; then
	ok "case-report --brief under zh_CN: Chinese headings, lang zh-CN"
else
	not_ok "case-report --brief under zh_CN: Chinese headings, lang zh-CN"
	_show
fi
run case-report --brief
if [ "$rc" -eq 0 ] && grep -q '^<html lang="en">$' "$T/out" &&
	grep -q '^<h1>Case briefing</h1>$' "$T/out" &&
	grep -q '^<h2>The escalation ladder</h2>$' "$T/out" &&
	! grep -q '工作简报' "$T/out"; then
	ok "case-report --brief under C.UTF-8: English headings, lang en"
else
	not_ok "case-report --brief under C.UTF-8: English headings, lang en"
	_show
fi

# The filter line names the enum words as text does.
run zh case-report --brief --kind dispute,隐患 -s 已办结
if [ "$rc" -eq 0 ] && grep -qx '<p class="filters">仅限以下事件:事件类型 纠纷、隐患；状态 已办结。</p>' "$T/out"; then
	ok "case-report --brief under zh_CN: the filter line's words in Chinese"
else
	not_ok "case-report --brief under zh_CN: the filter line's words in Chinese"
	grep 'class="filters"' "$T/out" | sed 's/^/#   /'
fi
run case-report --brief --kind dispute,隐患 -s closed -p 一般
if [ "$rc" -eq 0 ] && grep -qx '<p class="filters">Only these cases: kind dispute,hazard; status closed; priority normal.</p>' "$T/out"; then
	ok "case-report --brief under C.UTF-8: the filter line's words in English"
else
	not_ok "case-report --brief under C.UTF-8: the filter line's words in English"
	grep 'class="filters"' "$T/out" | sed 's/^/#   /'
fi

# ---- machine formats never change with the locale --------------------------

for f in csv tsv json; do
	same_output "case-report -l -F $f is the same under both locales" \
		dispute case-report -l -F "$f"
	same_output "case-report -g kind -F $f is the same under both locales" \
		on_time_pct case-report -F "$f" -g kind
done

# ---- case-admin check: findings for people in their language ---------------

sql "UPDATE cases SET status = 'closed' WHERE id = 2" >/dev/null
run zh case-admin check
expect "case-admin check under zh_CN: Chinese titles, findings and status words" 1 \
"事件  问题
   2  状态为已办结,但办理记录最后为待分派
   2  状态为已办结,但没有主办单位
   2  状态为已办结,但没有 resolved_at
   2  状态为已办结,但缺少 closed_at
   2  状态为已办结,但缺少回访结果" \
"case-admin: 发现 5 个问题"
run case-admin check
expect "case-admin check under C.UTF-8 is English" 1 \
"case  finding
   2  status is closed but its journal ends in open
   2  is closed without a lead unit
   2  is closed without resolved_at
   2  is closed but closed_at is missing
   2  is closed but outcome is missing" \
"case-admin: 5 findings"
for f in csv json; do
	same_output "case-admin check -F $f: English findings under both locales" \
		"without a lead unit" case-admin check -F "$f"
done

# A case row gone from under its rows: each kind of row is its own
# sentence (a file only: a server's foreign keys forbid it).
if sqlite_only "case-admin check: a missing case, in whole sentences"; then
	sql "DELETE FROM cases WHERE id = 1" >/dev/null
	run zh case-admin check
	expect "a missing case under zh_CN: each kind of row in Chinese" 1 \
"事件  问题
   1  已不存在,但其分派记录仍在
   1  已不存在,但其办理记录仍在
   1  已不存在,但其回访记录仍在
   2  状态为已办结,但办理记录最后为待分派
   2  状态为已办结,但没有主办单位
   2  状态为已办结,但没有 resolved_at
   2  状态为已办结,但缺少 closed_at
   2  状态为已办结,但缺少回访结果" "case-admin: 发现 8 个问题"
	run case-admin check -F csv
	expect "the same in csv is English" 1 \
"case,finding
1,\"is missing, but its assignments remain\"
1,\"is missing, but its journal events remain\"
1,\"is missing, but its visits remain\"
2,status is closed but its journal ends in open
2,is closed without a lead unit
2,is closed without resolved_at
2,is closed but closed_at is missing
2,is closed but outcome is missing" "case-admin: 8 findings"
fi

done_testing
