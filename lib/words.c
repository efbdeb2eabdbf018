/*
 * The enum words in English and Chinese, and the titles of the columns
 * in Chinese.  The Chinese words are the district's own (GLOSSARY-zh.md);
 * where it is silent, the word a 12345 hotline or grid-governance
 * platform shows, as the comments below say.  They live here, not only
 * in the catalogue, because input takes them in every locale.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "case/cases.h"
#include "case/policy.h"
#include "case/report.h"
#include "case/text.h"
#include "case/units.h"
#include "case/words.h"
#include "i18n.h"

const char *const case_sources[] = {"hotline", "walk-in", "patrol", "online",
				    "referral", NULL};
const char *const case_roles[] = {"admin", "centre", "unit", "supervisor",
				  "analyst", NULL};
const char *const case_agenda_items[] = {"visit", "deadline", NULL};
/* The column whose values are the names of other columns (case-report
 * --show's "field"): shown as their titles. */
const char *const case_col_names[] = {NULL};
/* An assignment's role, in the journal and case-report show. */
static const char *const assign_roles[] = {"lead", "support", NULL};
/* The actions of the journal (the events' action column). */
static const char *const actions[] = {
	"open", "assign", "support", "release", "note", "resolve", "visit",
	"reopen", "close", "escalate", "cancel", "due", "schedule", "access",
	"correct", NULL,
};

static const char *const kinds_zh[] = {"纠纷", "隐患", "诉求", NULL};
/* open and assigned: the glossary is silent; hotlines show 待分派 for a
 * ticket no unit has yet and 办理中 for one a unit is handling. */
static const char *const statuses_zh[] = {"待分派", "办理中", "已处置",
					  "已办结", "已撤销", NULL};
static const char *const priorities_zh[] = {"特急", "紧急", "一般", "缓办",
					    NULL};
/* The ways of a return visit, as hotlines' 回访方式 lists them. */
static const char *const methods_zh[] = {"上门", "电话", "短信", "其他",
					 NULL};
static const char *const outcomes_zh[] = {"满意", "不满意", "未联系上", NULL};
/* referral: 转办, a matter handed on by another office. */
static const char *const sources_zh[] = {"热线", "来访", "巡查", "网上",
					 "转办", NULL};
/* unit, analyst: 办理单位 and 分析员, as grid platforms name a handling
 * unit's account and a read-only statistics account. */
static const char *const roles_zh[] = {"管理员", "综治中心", "办理单位",
				       "督办人", "分析员", NULL};
static const char *const unit_types_zh[] = {"派出所", "司法所",
					    "签约律师事务所", "职能部门",
					    "网格", "社区", "其他", NULL};
/* deadline: an item of the agenda whose 办理时限 falls due. */
static const char *const agenda_items_zh[] = {"回访", "办理时限", NULL};
static const char *const assign_roles_zh[] = {"主办", "协办", NULL};
/* The journal's actions, as a hotline's 流转记录 names its steps; the
 * glossary gives 受理, 分派, 协办, 进展记录, 处置, 回访, 重新办理, 办结,
 * 督办升级 and 撤销.  release: 解除, a unit let go; due: 调整时限, a new
 * 办理时限; schedule: 预约回访; access: 查阅个人信息, a reading of the
 * reporter and contact; correct: 更正, a correction the schema's upgrade
 * wrote. */
static const char *const actions_zh[] = {
	"受理", "分派", "协办", "解除", "进展记录", "处置", "回访",
	"重新办理", "办结", "督办升级", "撤销", "调整时限", "预约回访",
	"查阅个人信息", "更正", NULL,
};
/* The figures of case-report summary and stats, as a 工作简报 names
 * them; the glossary gives 按期办结率, 满意率 and the median. */
static const char *const figures_zh[] = {
	"受理数", "在办数", "超期数", "已处置数", "已办结数", "已撤销数",
	"按期办结率(%)", "办理时长中位数(小时)", "办理时长90分位(小时)",
	"已回访数", "待回访数", "满意率(%)", "满意办结数",
	"未联系上办结数", "重新办理数", "一级督办数", "二级督办数",
	"三级督办数", "全部", NULL,
};

static const struct {
	const char *const *en, *const *zh;
} lists[] = {
	{case_kinds, kinds_zh},
	{case_statuses, statuses_zh},
	{case_priorities, priorities_zh},
	{case_methods, methods_zh},
	{case_outcomes, outcomes_zh},
	{case_sources, sources_zh},
	{case_roles, roles_zh},
	{case_unit_types, unit_types_zh},
	{case_agenda_items, agenda_items_zh},
	{assign_roles, assign_roles_zh},
	{actions, actions_zh},
	{case_report_figures, figures_zh},
};

/* The columns whose values are the words of a list, and every column's
 * Chinese title. */
static const struct {
	const char *name, *zh;
	const char *const *words;
} cols[] = {
	{"action", "操作", actions},
	{"actor", "操作人", NULL},
	{"address", "地址", NULL},
	{"assigned", "分派时间", NULL},
	{"at", "时间", NULL},
	{"attempt", "回访次数", NULL},
	{"case", "事件", NULL},
	{"category", "类别", NULL},
	{"chief", "负责人", NULL},
	{"closed_at", "办结时间", NULL},
	{"code", "单位代码", NULL},
	{"contact", "联系方式", NULL},
	{"day", "日期", NULL},
	{"default", "默认值", NULL},
	{"description", "详情", NULL},
	{"detail", "说明", NULL},
	{"done", "完成时间", NULL},
	{"due", "到期时间", NULL},
	{"due_at", "办理时限", NULL},
	{"event", "记录", NULL},
	{"field", "字段", case_col_names},
	{"figure", "指标", case_report_figures},
	{"finding", "问题", NULL},
	{"id", "编号", NULL},
	{"item", "事项", case_agenda_items},
	{"key", "配置项", NULL},
	{"kind", "事件类型", case_kinds},
	{"lead", "主办单位", NULL},
	{"lead_name", "主办单位名称", NULL},
	{"level", "督办级别", NULL},
	{"method", "回访方式", case_methods},
	{"month", "月份", NULL},
	{"name", "名称", NULL},
	{"note", "进展记录", NULL},
	{"opened_at", "受理时间", NULL},
	{"outcome", "回访结果", case_outcomes},
	{"overdue", "超期", NULL},
	{"parent", "上级单位", NULL},
	{"place", "网格位置", NULL},
	{"priority", "紧急程度", case_priorities},
	{"ref", "工单号", NULL},
	{"released", "解除时间", NULL},
	{"reopened", "重新办理", NULL},
	{"reporter", "反映人", NULL},
	{"resolved_at", "处置时间", NULL},
	{"role", "角色", assign_roles},
	{"source", "来源", case_sources},
	{"status", "状态", case_statuses},
	{"summary", "事由", NULL},
	{"supervisor", "督办人", NULL},
	{"type", "单位类型", case_unit_types},
	{"unit", "单位", NULL},
	{"updated_at", "更新时间", NULL},
	{"value", "值", NULL},
	{"week", "周", NULL},
	{"year", "年份", NULL},
};

/* The Chinese words beside list, or NULL for a list of no enum. */
static const char *const *
zh_of(const char *const *list)
{
	size_t i;

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (lists[i].en == list)
			return lists[i].zh;
	return NULL;
}

int
case_word_index(const char *const *list, const char *s)
{
	const char *const *zh;
	/* Most values are written as the word is: an exact match first
	 * costs an import a tenth of what strcasecmp does. */
	int i = case_text_index(list, s);

	for (int j = 0; i < 0 && list[j] != NULL; j++)
		if (strcasecmp(list[j], s) == 0)
			i = j;
	if (i < 0 && (zh = zh_of(list)) != NULL)
		i = case_text_index(zh, s);
	return i;
}

const char *
case_word_english(const char *const *list, const char *s)
{
	int i;

	if (s == NULL || (i = case_word_index(list, s)) < 0)
		return s;
	return list[i];
}

const char *
case_word_suggest(const char *const *list, const char *s)
{
	const char *const *zh = zh_of(list);
	const char *cands[64], *near;
	size_t n = 0, i;

	for (i = 0; list[i] != NULL && n < 32; i++)
		cands[n++] = list[i];
	for (i = 0; zh != NULL && zh[i] != NULL && n < 64; i++)
		cands[n++] = zh[i];
	if ((near = case_suggest(s, cands, n)) == NULL)
		return NULL;
	/* A Chinese misspelling is answered with the Chinese word. */
	for (i = 0; list[i] != NULL; i++)
		if (near == list[i])
			return case_word_show(list, (int)i);
	return near;
}

int
case_word_check(const char *what, const char *s, const char *const *list,
		int *out, struct case_err *err)
{
	char q[CASE_QUOTE_MAX], alts[256];
	const char *near;
	int i = case_word_index(list, s);

	if (i >= 0) {
		*out = i;
		return 0;
	}
	case_word_alternatives(alts, sizeof alts, list);
	if (*s == '\0')
		return case_err_set(err, CASE_E_INPUT,
				    _("the %s is empty (expected %s)"), _(what),
				    alts);
	if ((near = case_word_suggest(list, s)) != NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("unknown %s '%s' (did you mean '%s'?)"),
				    _(what), case_quote(q, sizeof q, s), near);
	return case_err_set(err, CASE_E_INPUT,
			    _("unknown %s '%s' (expected %s)"), _(what),
			    case_quote(q, sizeof q, s), alts);
}

int
case_words_zh(void)
{
	/* TRANSLATORS: the language of the catalogue, as a locale name;
	 * with zh_CN, text output shows the Chinese enum words and column
	 * titles of lib/words.c. */
	return strncmp(_("en"), "zh", 2) == 0;
}

const char *
case_word_show(const char *const *list, int i)
{
	const char *const *zh;

	if (case_words_zh() && (zh = zh_of(list)) != NULL)
		return zh[i];
	return list[i];
}

const char *
case_words_show(char *buf, size_t n, const char *const *list, const char *s)
{
	/* Chinese lists take the enumeration comma. */
	const char *sep = case_words_zh() ? "、" : ",";
	char word[64];
	size_t o = 0;
	int i;

	buf[0] = '\0';
	while (*s != '\0' && o < n) {
		size_t len = strcspn(s, ",");

		snprintf(word, sizeof word, "%.*s", (int)len, s);
		i = case_word_index(list, word);
		o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? sep : "",
				      i >= 0 ? case_word_show(list, i) : word);
		s += len + (s[len] == ',');
	}
	return buf;
}

const char *
case_word_alternatives(char *buf, size_t n, const char *const *list)
{
	const char *const *zh;
	size_t count = 0;

	if (!case_words_zh() || (zh = zh_of(list)) == NULL)
		return case_text_alternatives(buf, n, list);
	while (zh[count] != NULL)
		count++;
	/* Chinese lists take the enumeration comma, and 或 before the last. */
	buf[0] = '\0';
	for (size_t i = 0, o = 0; i < count && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s",
				      i == 0 ? "" : i + 1 == count ? "或" : "、",
				      zh[i]);
	return buf;
}

/* The entry of cols for name, or -1. */
static int
col_index(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (strcmp(cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
case_col_title(const char *name)
{
	int i = col_index(name);

	if (!case_words_zh())
		return name;
	if (i >= 0)
		return cols[i].zh;
	/* The figures of case-report summary and stats head columns. */
	if ((i = case_text_index(case_report_figures, name)) >= 0)
		return figures_zh[i];
	return name;
}

const char *const *
case_col_words(const char *name)
{
	int i = col_index(name);

	return i >= 0 ? cols[i].words : NULL;
}

const char *
case_col_value(const char *name, const char *value)
{
	const char *const *list = case_col_words(name);
	int i;

	if (value == NULL || list == NULL || list == case_col_names ||
	    !case_words_zh() || (i = case_text_index(list, value)) < 0)
		return value;
	return case_word_show(list, i);
}
