# __case_d TEXT: the description TEXT of a completion in the language of
# the locale (issue 16): under zh_CN (LC_ALL, else LC_MESSAGES, else LANG)
# its Chinese, looked up by the lower-case English, else TEXT itself.  The
# words completed stay as they are.
function __case_d --description 'A case completion description, in the locale\'s language'
    set -l lang $LC_ALL
    test -n "$lang"; or set lang $LC_MESSAGES
    test -n "$lang"; or set lang $LANG
    if not string match -q 'zh_CN*' -- "$lang"
        echo $argv[1]
        return
    end
    set -l en \
        'a map with coordinates rounded to about 100 m' \
        'a unit of the member (member add)' \
        'a unit of the member (unit, supervisor)' \
        'add a supporting unit' \
        'add a unit' \
        'add another return visit' \
        'add or replace units from csv' \
        'add, list or import units' \
        'add, list or remove the members of a server database' \
        'also the cases past their deadline' \
        'an html briefing with charts' \
        'author of the journal entries' \
        'backup file' \
        'cancel a case' \
        'category' \
        'category, such as noise or gas' \
        'change the cases that can be changed even when some fail' \
        'change what can be changed even when some ids fail' \
        'check everything, write nothing' \
        'check the integrity of the database' \
        'copy everything into a new file or a server database' \
        'copy the database consistently' \
        'create the database or upgrade it' \
        'csv file (- for stdin)' \
        'deadline' \
        'deadline of a high-priority case (3d)' \
        'deadline of a low-priority case (15d)' \
        'deadline of a normal case (7d)' \
        'deadline of an urgent case (1d)' \
        'draw a bar chart of a figure' \
        'draw a bar chart of the counts' \
        'escalation level' \
        'exit 1 when nothing is due' \
        'exit 1 when nothing was listed' \
        'external reference' \
        'external reference, such as a ticket number' \
        'first return visit after resolution (7d)' \
        'first return visit after this duration' \
        'head of the unit (unit add)' \
        'how the case came in' \
        'how the visit was made' \
        'how to reach the reporter' \
        'how to reach the supervisor' \
        'how to reach the unit or supervisor' \
        'import cases from a csv file' \
        'import cases from a csv file (- for stdin)' \
        'import the good rows even when some are bad' \
        'journal a note on each case' \
        'journal a progress note' \
        'kind of case' \
        'latitude, in decimal degrees' \
        'leave out the header line' \
        'list the members' \
        'list the supervisors' \
        'list the units' \
        'longer description' \
        'longitude, in decimal degrees' \
        'make a login a member with a role' \
        'make a unit the lead unit' \
        'match fields to columns' \
        'match fields to columns: field=column,...' \
        'name of the reporter' \
        'name the supervisor of a level' \
        'neutralise cells that a spreadsheet would run as formulas' \
        'new file or postgresql:// uri' \
        'next attempt after an unreachable visit (2d)' \
        'one case with its units, visits and timeline' \
        'one row of figures per group' \
        'one row of figures per group (one or two fields)' \
        'one row per case' \
        'only cases opened at or after' \
        'only cases opened before' \
        'only cases whose text holds this' \
        'only places under this prefix' \
        'only the cases of this unit' \
        'only the cases past their deadline' \
        'only the events after this event id' \
        'only these kinds' \
        'only these priorities' \
        'only these statuses' \
        'only this category' \
        'only this escalation level' \
        'only what is due within this duration' \
        'opening time' \
        'outcome of the visit' \
        'output format' \
        'place path' \
        'place path, such as district/street/community/grid' \
        'place prefix the unit covers (unit add)' \
        'print no notes on standard error' \
        'print the usage' \
        'print the version' \
        'priority' \
        'put reporter names and contacts in the calendar' \
        'raise overdue cases to their supervisors' \
        'record a return visit or call' \
        'record that the handling is done' \
        'remove a login from the members' \
        'role of the member' \
        'role of the member (member add)' \
        'route every open case without a lead unit by its place' \
        'set or list the escalation supervisors' \
        'set the deadline' \
        'share the sqlite file with a unix group' \
        'share the sqlite file with a unix group (init)' \
        'show or set the policy durations' \
        'show reporter names and contacts' \
        'show reporter names, contacts and coordinates' \
        'street address' \
        'take a unit off each case' \
        'the agenda of visits due' \
        'the columns of the list' \
        'the columns of the list, or the figures' \
        'the figure of the bars or the chart' \
        'the figures of the statistics' \
        'the journal as a stream' \
        'the scheduled visits as an icalendar feed' \
        'the segments of the places of the briefing' \
        'the text to journal' \
        'the unit above (unit add)' \
        'time of the visit' \
        'time past due before level 2 (3d)' \
        'time past due before level 3 (7d)' \
        'translate a value of a field on import' \
        'translate a value on import: field:from=to' \
        'unit type (unit add)' \
        'unreachable attempts before closing (3)' \
        'use this database file' \
        'with --escalate, exit 1 when no case rose' \
        'with --escalate: exit 1 when no case rose'
    set -l zh \
        '坐标取整到约 100 米的地图' \
        '成员所在的单位(member add)' \
        '成员所在的单位(unit、supervisor)' \
        '添加协办单位' \
        '添加单位' \
        '再安排一次回访' \
        '从 CSV 添加或替换单位' \
        '添加、列出或导入单位' \
        '添加、列出或移除服务器数据库的成员' \
        '也包括超期事件' \
        '带图表的 HTML 工作简报' \
        '办理记录的操作人' \
        '备份文件' \
        '撤销事件' \
        '类别' \
        '类别,例如噪音或燃气' \
        '即使有的失败,也更改能更改的事件' \
        '即使有的编号失败,也更改能更改的事件' \
        '全部检查,不写入' \
        '检查数据库的完整性' \
        '全部复制到新文件或服务器数据库' \
        '一致地复制数据库' \
        '创建或升级数据库' \
        'CSV 文件(- 为标准输入)' \
        '办理时限' \
        '紧急事件的办理时限(3d)' \
        '缓办事件的办理时限(15d)' \
        '一般事件的办理时限(7d)' \
        '特急事件的办理时限(1d)' \
        '画一项指标的条形图' \
        '画出数量的条形图' \
        '督办级别' \
        '没有到期事项时以 1 退出' \
        '什么也没列出时以 1 退出' \
        '工单号' \
        '外部编号,例如热线工单号' \
        '处置后首次回访的时间(7d)' \
        '经过这段时长后首次回访' \
        '单位负责人(unit add)' \
        '事件来源' \
        '回访方式' \
        '反映人的联系方式' \
        '督办人的联系方式' \
        '单位或督办人的联系方式' \
        '从 CSV 文件导入事件' \
        '从 CSV 文件导入事件(- 为标准输入)' \
        '即使有的行有误,也导入无误的行' \
        '在每个事件上记录进展' \
        '记录进展' \
        '事件类型' \
        '纬度,十进制度数' \
        '不输出表头行' \
        '列出成员' \
        '列出督办人' \
        '列出单位' \
        '详情' \
        '经度,十进制度数' \
        '让登录名以某个角色成为成员' \
        '指定主办单位' \
        '把字段对应到列' \
        '把字段对应到列:字段=列,...' \
        '反映人姓名' \
        '指定某一级的督办人' \
        '让电子表格不把单元格当公式执行' \
        '新文件或 postgresql:// URI' \
        '未联系上后再次回访的时间(2d)' \
        '一个事件及其单位、回访和流转记录' \
        '每组一行指标' \
        '每组一行指标(一个或两个字段)' \
        '每个事件一行' \
        '只含此时或之后受理的事件' \
        '只含此时之前受理的事件' \
        '只含文字包含此内容的事件' \
        '只含此网格位置之下的' \
        '只含此单位的事件' \
        '只含超期事件' \
        '只含此记录编号之后的记录' \
        '只含这些事件类型' \
        '只含这些紧急程度' \
        '只含这些状态' \
        '只含此类别' \
        '只含此督办级别' \
        '只含在此时长内到期的' \
        '受理时间' \
        '回访结果' \
        '输出格式' \
        '网格位置' \
        '网格位置,如 区/街道/社区/网格' \
        '单位负责的网格位置前缀(unit add)' \
        '不在标准错误上输出提示' \
        '显示用法' \
        '显示版本' \
        '紧急程度' \
        '在日历中包含反映人姓名和联系方式' \
        '把超期事件升级给督办人' \
        '记录一次回访或电话' \
        '记录处置完毕' \
        '从成员中移除登录名' \
        '成员的角色' \
        '成员的角色(member add)' \
        '按网格自动分派所有没有主办单位的事件' \
        '设置或列出督办人' \
        '设置办理时限' \
        '与 Unix 用户组共享 SQLite 文件' \
        '与 Unix 用户组共享 SQLite 文件(init)' \
        '显示或设置时限配置' \
        '显示反映人姓名和联系方式' \
        '显示反映人姓名、联系方式和坐标' \
        '地址' \
        '从每个事件上解除一个单位' \
        '待回访清单' \
        '清单的列' \
        '清单的列,或统计的指标' \
        '条形图或图表的指标' \
        '统计的指标' \
        '以流的形式输出办理记录' \
        '以 iCalendar 订阅输出已安排的回访' \
        '工作简报中网格位置的层级数' \
        '要记录的文字' \
        '上级单位(unit add)' \
        '回访时间' \
        '超期多久升为二级督办(3d)' \
        '超期多久升为三级督办(7d)' \
        '导入时转换某个字段的值' \
        '导入时转换一个值:field:from=to' \
        '单位类型(unit add)' \
        '未联系上几次后结案(3)' \
        '使用此数据库文件' \
        '与 --escalate 同用:没有事件升级时以 1 退出' \
        '与 --escalate 同用:没有事件升级时以 1 退出'
    set -l i (contains -i -- (string lower -- $argv[1]) $en)
    and echo $zh[$i]
    or echo $argv[1]
end
