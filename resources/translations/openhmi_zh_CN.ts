<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>Asset</source>
        <translation type="obsolete">设备</translation>
    </message>
    <message>
        <source>Click for the diagnostics of %1</source>
        <translation>点击查看 %1 的诊断</translation>
    </message>
    <message>
        <source>Above HI</source>
        <translation>已高于高限</translation>
    </message>
    <message>
        <source>HI in %1</source>
        <translation>%1 后达到高限</translation>
    </message>
    <message>
        <source>No diagnostics for %1</source>
        <translation>%1 没有诊断</translation>
    </message>
    <message>
        <source>No asset</source>
        <translation>没有设备</translation>
    </message>
    <message numerus="yes">
        <source>No finding; %n still learning</source>
        <translation>
            <numerusform>无发现；%n 项仍在学习</numerusform>
        </translation>
    </message>
    <message>
        <source>No finding</source>
        <translation>无发现</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <source>Ack shown</source>
        <translation>确认所示</translation>
    </message>
    <message>
        <source>Acknowledge the unacknowledged alarms in the banner</source>
        <translation>确认报警条中未确认的报警</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>消音</translation>
    </message>
    <message>
        <source>Alarms…</source>
        <translation>报警…</translation>
    </message>
</context>
<context>
    <name>AlarmDialog</name>
    <message>
        <source>Alarms of {0}</source>
        <translation>{0} 的报警</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Deadband</source>
        <translation>死区</translation>
    </message>
    <message>
        <source>HH  very high</source>
        <translation>HH  高高</translation>
    </message>
    <message>
        <source>H  high</source>
        <translation>H  高</translation>
    </message>
    <message>
        <source>L  low</source>
        <translation>L  低</translation>
    </message>
    <message>
        <source>LL  very low</source>
        <translation>LL  低低</translation>
    </message>
    <message>
        <source>Limits and deadbands in the tag&apos;s units{0}.</source>
        <translation>限值和死区使用该标签的单位{0}。</translation>
    </message>
    <message>
        <source>Also defined, kept as they are: {0}</source>
        <translation>另有定义，保持不变：{0}</translation>
    </message>
    <message>
        <source>{0}: limit and deadband must be numbers</source>
        <translation>{0}：限值和死区必须是数字</translation>
    </message>
</context>
<context>
    <name>AlarmHistory</name>
    <message>
        <source>Alarm history</source>
        <translation>报警历史</translation>
    </message>
    <message>
        <source>Alarm id or message</source>
        <translation>报警编号或信息</translation>
    </message>
    <message>
        <source>All priorities</source>
        <translation>全部优先级</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source> (the newest {0}; narrow the search to see older ones)</source>
        <translation>（仅显示最新 {0} 条；缩小查询范围以查看更早的记录）</translation>
    </message>
    <message numerus="yes">
        <source>%n transition(s)</source>
        <translation>
            <numerusform>%n 次状态变化</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlarmKpiView</name>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="vanished">最近 30 天</translation>
    </message>
    <message>
        <source>Last shift</source>
        <translation>上一班次</translation>
    </message>
    <message>
        <source>Alarm performance</source>
        <translation>报警绩效</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <source>Alarms raised</source>
        <translation>产生的报警</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>Most within a window</source>
        <translation>窗口内最多</translation>
    </message>
    <message>
        <source>Active since</source>
        <translation>激活自</translation>
    </message>
    <message>
        <source>Active for</source>
        <translation>已激活</translation>
    </message>
    <message>
        <source>acceptable</source>
        <translation>可接受</translation>
    </message>
    <message>
        <source>manageable</source>
        <translation>可管理</translation>
    </message>
    <message>
        <source>flood</source>
        <translation>报警泛滥</translation>
    </message>
    <message>
        <source>Floods</source>
        <translation>报警泛滥</translation>
    </message>
    <message>
        <source>Chattering</source>
        <translation>振荡报警</translation>
    </message>
    <message>
        <source>Standing and stale</source>
        <translation>常驻与陈旧报警</translation>
    </message>
    <message>
        <source>Priorities</source>
        <translation>优先级分布</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Alarm rate per 10 minutes</source>
        <translation>每 10 分钟报警率</translation>
    </message>
    <message>
        <source>The period must end after it starts.</source>
        <translation>结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>{0} in {1} s</source>
        <translation>{1} 秒内 {0} 个</translation>
    </message>
    <message>
        <source>Top {0} most frequent alarms</source>
        <translation>最频繁的前 {0} 个报警</translation>
    </message>
    <message>
        <source>Export alarm report</source>
        <translation>导出报警报告</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
</context>
<context>
    <name>AlarmSummary</name>
    <message>
        <source>Active and unacknowledged</source>
        <translation>活动及未确认</translation>
    </message>
    <message>
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>15 min</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>4 h</source>
        <translation>4 小时</translation>
    </message>
    <message>
        <source>8 h</source>
        <translation>8 小时</translation>
    </message>
    <message>
        <source>12 h</source>
        <translation>12 小时</translation>
    </message>
    <message>
        <source>Alarm summary</source>
        <translation>报警汇总</translation>
    </message>
    <message>
        <source>Filter by tag, area or message</source>
        <translation>按位号、区域或信息筛选</translation>
    </message>
    <message>
        <source>Comment for the journal (optional)</source>
        <translation>日志备注（可选）</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Acknowledge all shown</source>
        <translation>确认全部所示</translation>
    </message>
    <message>
        <source>Shelve for</source>
        <translation>搁置时长</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <source>Return to service</source>
        <translation>恢复投用</translation>
    </message>
    <message>
        <source>Alarm action refused</source>
        <translation>报警操作被拒绝</translation>
    </message>
</context>
<context>
    <name>Alarms</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重度</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>Pri</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Unack</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Cleared, unack</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>位号</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Chattering: raised repeatedly within a minute</source>
        <translation>振荡报警：一分钟内反复触发</translation>
    </message>
    <message>
        <source>chattering</source>
        <translation>振荡</translation>
    </message>
    <message>
        <source>({0} min left)</source>
        <translation>（剩余 {0} 分钟）</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>操作站</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>全名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改时间</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Audit trail</source>
        <translation>审计追踪</translation>
    </message>
    <message>
        <source>Tag, alarm, value or reason</source>
        <translation>位号、报警、数值或原因</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation>校验链</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>全部用户</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source> (the newest {0}; narrow the search to see older ones)</source>
        <translation>（仅显示最新 {0} 条；缩小查询范围以查看更早的记录）</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>(nobody)</source>
        <translation>（无人）</translation>
    </message>
    <message numerus="yes">
        <source>Chain intact: %n row(s) verified</source>
        <translation>
            <numerusform>审计链完整：已校验 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>CHAIN BROKEN: %s</source>
        <translation>审计链已损坏：%s</translation>
    </message>
    <message>
        <source>Export audit trail</source>
        <translation>导出审计追踪</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) exported to %1</source>
        <translation>
            <numerusform>已将 %n 行导出到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Autosave</name>
    <message>
        <source>Recover unsaved changes</source>
        <translation>恢复未保存的更改</translation>
    </message>
</context>
<context>
    <name>Callable.self</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
</context>
<context>
    <name>Canvas</name>
    <message>
        <source>Nudge</source>
        <translation>微移</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Resize</source>
        <translation>调整大小</translation>
    </message>
    <message>
        <source>Add {0}</source>
        <translation>添加 {0}</translation>
    </message>
    <message numerus="yes">
        <source>Add %n tag(s)</source>
        <translation>
            <numerusform>添加 %n 个位号</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CanvasCommands</name>
    <message>
        <source>Cut</source>
        <translation>剪切</translation>
    </message>
    <message>
        <source>Nothing to paste: {0}</source>
        <translation>没有可粘贴的内容：{0}</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制副本</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Align</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>Distribute</source>
        <translation>均匀分布</translation>
    </message>
    <message>
        <source>Change order</source>
        <translation>更改层次</translation>
    </message>
    <message>
        <source>Select two or more items of a screen to group them</source>
        <translation>请选择同一画面上的两个或更多图元以组合</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>组合</translation>
    </message>
    <message>
        <source>Select one template instance to ungroup it</source>
        <translation>请选择一个模板实例以取消组合</translation>
    </message>
    <message>
        <source>Ungroup</source>
        <translation>取消组合</translation>
    </message>
</context>
<context>
    <name>CertificateNotice</name>
    <message>
        <source>%s: server certificate CHANGED - Review...</source>
        <translation>%s：服务器证书已变更 - 查看…</translation>
    </message>
    <message>
        <source>%s: server certificate not trusted - Review...</source>
        <translation>%s：服务器证书不受信任 - 查看…</translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <source>Prediction: {0}</source>
        <translation>预测：{0}</translation>
    </message>
    <message>
        <source>No prediction</source>
        <translation>无预测</translation>
    </message>
    <message>
        <source>Learned: {0}</source>
        <translation>已学习：{0}</translation>
    </message>
    <message>
        <source>Nothing learned yet</source>
        <translation>尚未学习</translation>
    </message>
    <message>
        <source>Evidence: {0}</source>
        <translation>依据：{0}</translation>
    </message>
</context>
<context>
    <name>ConnectionForm</name>
    <message>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>User certificate</source>
        <translation>用户证书</translation>
    </message>
    <message>
        <source>only to try it or keep it in the keyring</source>
        <translation>仅用于测试或保存到密钥环</translation>
    </message>
    <message>
        <source>Keep the password in the OS keyring</source>
        <translation>将密码保存在系统密钥环中</translation>
    </message>
    <message>
        <source>This computer offers no keyring</source>
        <translation>本机没有可用的密钥环</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Security mode</source>
        <translation>安全模式</translation>
    </message>
    <message>
        <source>Security policy</source>
        <translation>安全策略</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Certificate file</source>
        <translation>证书文件</translation>
    </message>
    <message>
        <source>Private key file</source>
        <translation>私钥文件</translation>
    </message>
    <message>
        <source>Certificate and key files are looked up in the app&apos;s pki/user/ folder.</source>
        <translation>证书和密钥文件在应用的 pki/user/ 文件夹中查找。</translation>
    </message>
</context>
<context>
    <name>ConnectionsDialog</name>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>安全</translation>
    </message>
    <message>
        <source>Changes per second</source>
        <translation>每秒变化</translation>
    </message>
    <message>
        <source>Changes received</source>
        <translation>已收到变化</translation>
    </message>
    <message>
        <source>Publish latency</source>
        <translation>发布延迟</translation>
    </message>
    <message>
        <source>Queue overflows</source>
        <translation>队列溢出</translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation>重连次数</translation>
    </message>
    <message>
        <source>Stale after</source>
        <translation>判定停滞</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>backups: %s</source>
        <translation>备用服务器：%s</translation>
    </message>
    <message>
        <source>%.0f ms median, server stamp to arrival</source>
        <translation>中位数 %.0f 毫秒（服务器时间戳到到达）</translation>
    </message>
    <message>
        <source>%.1f s without data or keep-alive</source>
        <translation>%.1f 秒无数据或保活即判定</translation>
    </message>
    <message>
        <source>the first poll without an answer</source>
        <translation>首次轮询无应答</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Try connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>A connection&apos;s name is letters, digits and _ (e.g. plant)</source>
        <translation>连接名称由字母、数字和 _ 组成（例如 plant）</translation>
    </message>
    <message>
        <source>Another connection is called {0}</source>
        <translation>已有连接名为 {0}</translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s) use this connection: give them another one first</source>
        <translation>
            <numerusform>有 %n 个位号使用此连接：请先为它们指定其他连接</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>正在连接 {0}…</translation>
    </message>
    <message>
        <source>Connected to {0}</source>
        <translation>已连接到 {0}</translation>
    </message>
    <message>
        <source>Edit connections</source>
        <translation>编辑连接</translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <source>Thermal model</source>
        <translation>热模型</translation>
    </message>
    <message>
        <source>Torque signature</source>
        <translation>扭矩特征</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>Pump</source>
        <translation>泵</translation>
    </message>
    <message>
        <source>Learning normal operation</source>
        <translation>正在学习正常运行</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Residual (K)</source>
        <translation>残差 (K)</translation>
    </message>
    <message>
        <source>Peak torque of each cycle</source>
        <translation>每个周期的峰值扭矩</translation>
    </message>
    <message>
        <source>Learned peak</source>
        <translation>学习到的峰值</translation>
    </message>
    <message>
        <source>Drift from the signature (N·m)</source>
        <translation>相对特征的漂移 (N·m)</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>读数</translation>
    </message>
    <message>
        <source>Offset to the related tag</source>
        <translation>与相关位号的偏差</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>流量</translation>
    </message>
    <message>
        <source>Expected flow</source>
        <translation>预期流量</translation>
    </message>
    <message>
        <source>Flow loss (fraction)</source>
        <translation>流量损失（比例）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>time constant {0} s</source>
        <translation>时间常数 {0} 秒</translation>
    </message>
    <message>
        <source>rise at full load {0} K</source>
        <translation>满载温升 {0} K</translation>
    </message>
    <message>
        <source>ambient {0} °C</source>
        <translation>环境 {0} °C</translation>
    </message>
    <message>
        <source>noise {0} K</source>
        <translation>噪声 {0} K</translation>
    </message>
    <message>
        <source>peak torque {0} N·m</source>
        <translation>峰值扭矩 {0} N·m</translation>
    </message>
    <message>
        <source>noise {0} N·m</source>
        <translation>噪声 {0} N·m</translation>
    </message>
    <message>
        <source>{0} cycle phases</source>
        <translation>{0} 个周期阶段</translation>
    </message>
    <message>
        <source>cycle {0} s</source>
        <translation>周期 {0} 秒</translation>
    </message>
    <message>
        <source>stuck after {0} s unchanged</source>
        <translation>{0} 秒不变即判为卡滞</translation>
    </message>
    <message>
        <source>offset to the related tag {0}</source>
        <translation>与相关位号的偏差 {0}</translation>
    </message>
    <message>
        <source>its spread {0}</source>
        <translation>其离散度 {0}</translation>
    </message>
    <message>
        <source>flow at 0 % {0}</source>
        <translation>0 % 时流量 {0}</translation>
    </message>
    <message>
        <source>flow per % {0}</source>
        <translation>每 % 流量 {0}</translation>
    </message>
    <message>
        <source>noise {0}</source>
        <translation>噪声 {0}</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>已触发</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Cleared, unacknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Cooling loss (develops slowly)</source>
        <translation>冷却失效（缓慢发展）</translation>
    </message>
    <message>
        <source>Bearing wear (torque drifts over hours)</source>
        <translation>轴承磨损（扭矩数小时内漂移）</translation>
    </message>
    <message>
        <source>Collision (one torque spike)</source>
        <translation>碰撞（一次扭矩尖峰）</translation>
    </message>
    <message>
        <source>Stuck temperature sensor</source>
        <translation>温度传感器卡滞</translation>
    </message>
    <message>
        <source>Pump cavitation (noisy flow)</source>
        <translation>泵汽蚀（流量波动）</translation>
    </message>
    <message>
        <source>Overheat, at once</source>
        <translation>立即过热</translation>
    </message>
    <message>
        <source>Torque spike, at once</source>
        <translation>立即扭矩尖峰</translation>
    </message>
    <message>
        <source>No plant simulator runs inside this station: an outside one takes hmi sim --fault.</source>
        <translation>本操作站内没有运行装置仿真器：外部仿真器请用 hmi sim --fault。</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Simulator &amp;faults…</source>
        <translation>仿真器故障(&amp;F)…</translation>
    </message>
    <message>
        <source>Inject faults into the simulated plant and clear them (demos, training)</source>
        <translation>向仿真装置注入故障并清除（演示、培训）</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%2 上的%1</translation>
    </message>
    <message>
        <source>starts in %1 s</source>
        <translation>%1 秒后开始</translation>
    </message>
    <message>
        <source>%1 % developed</source>
        <translation>已发展 %1 %</translation>
    </message>
    <message>
        <source>severity %1</source>
        <translation>严重度 %1</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1：%2，%3</translation>
    </message>
</context>
<context>
    <name>DiagnosticsWindow</name>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>History of findings</source>
        <translation>发现记录</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) warning</source>
        <translation>
            <numerusform>%n 个模型告警</numerusform>
        </translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>健康</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
</context>
<context>
    <name>EditorWindow</name>
    <message>
        <source>Screens and symbols</source>
        <translation>画面与图元</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Server browser</source>
        <translation>服务器浏览器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Arrange</source>
        <translation>排列(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;New project from a server…</source>
        <translation>从服务器新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>C&amp;onnections…</source>
        <translation>连接(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;witch user…</source>
        <translation>切换用户(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>复制副本(&amp;D)</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>删除(&amp;L)</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Align &amp;left</source>
        <translation>左对齐(&amp;L)</translation>
    </message>
    <message>
        <source>Align &amp;centres horizontally</source>
        <translation>水平居中对齐(&amp;C)</translation>
    </message>
    <message>
        <source>Align &amp;right</source>
        <translation>右对齐(&amp;R)</translation>
    </message>
    <message>
        <source>Align &amp;top</source>
        <translation>顶端对齐(&amp;T)</translation>
    </message>
    <message>
        <source>Align centres &amp;vertically</source>
        <translation>垂直居中对齐(&amp;V)</translation>
    </message>
    <message>
        <source>Align &amp;bottom</source>
        <translation>底端对齐(&amp;B)</translation>
    </message>
    <message>
        <source>Distribute &amp;horizontally</source>
        <translation>水平均匀分布(&amp;H)</translation>
    </message>
    <message>
        <source>Distribute v&amp;ertically</source>
        <translation>垂直均匀分布(&amp;E)</translation>
    </message>
    <message>
        <source>Bring to &amp;front</source>
        <translation>置于顶层(&amp;F)</translation>
    </message>
    <message>
        <source>Bring &amp;forward</source>
        <translation>上移一层(&amp;F)</translation>
    </message>
    <message>
        <source>Send back&amp;ward</source>
        <translation>下移一层(&amp;W)</translation>
    </message>
    <message>
        <source>Send to bac&amp;k</source>
        <translation>置于底层(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Group (as a template)</source>
        <translation>组合为模板(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Ungroup</source>
        <translation>取消组合(&amp;U)</translation>
    </message>
    <message>
        <source>Show &amp;grid</source>
        <translation>显示网格(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Snap to grid</source>
        <translation>对齐网格(&amp;S)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit screen</source>
        <translation>适合画面(&amp;F)</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>编辑器</translation>
    </message>
    <message>
        <source>Grid size</source>
        <translation>网格大小</translation>
    </message>
    <message>
        <source>Screen: {0}</source>
        <translation>画面：{0}</translation>
    </message>
    <message>
        <source>Template: {0}</source>
        <translation>模板：{0}</translation>
    </message>
    <message>
        <source>{0}{1} - OpenHMI Editor</source>
        <translation>{0}{1} - OpenHMI 编辑器</translation>
    </message>
    <message>
        <source>Add {0}</source>
        <translation>添加 {0}</translation>
    </message>
    <message>
        <source>Not saved: log in as a user allowed to edit the project</source>
        <translation>未保存：请以有权编辑项目的用户登录</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>This station has no users: saving needs no login</source>
        <translation>本站没有用户：保存无需登录</translation>
    </message>
    <message>
        <source>Logged in as {0}</source>
        <translation>已登录为 {0}</translation>
    </message>
    <message>
        <source>Not allowed to save</source>
        <translation>无权保存</translation>
    </message>
    <message>
        <source>Switch to a user who may save, or discard the changes.</source>
        <translation>请切换到有权保存的用户，或放弃更改。</translation>
    </message>
    <message>
        <source>Switch user and save…</source>
        <translation>切换用户并保存…</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>Saved: {0}</source>
        <translation>已保存：{0}</translation>
    </message>
    <message>
        <source>No changes to save</source>
        <translation>没有需要保存的更改</translation>
    </message>
    <message>
        <source>(no users on this station: saved without a login)</source>
        <translation>（本站尚无用户：未登录即已保存）</translation>
    </message>
    <message>
        <source>Switch to a user who may save? Your changes stay in the editor.</source>
        <translation>切换到有权保存的用户？您的更改保留在编辑器中。</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>切换用户…</translation>
    </message>
    <message>
        <source>User: {0} ({1})</source>
        <translation>用户：{0}（{1}）</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>{0}: {1} tags, {2} screens, {3} trends</source>
        <translation>{0}：{1} 个位号，{2} 个画面，{3} 个趋势</translation>
    </message>
    <message numerus="yes">
        <source>(%n node(s) left out: see the log)</source>
        <translation>
            <numerusform>（略过 %n 个节点：见日志）</numerusform>
        </translation>
    </message>
    <message>
        <source>Preview running: close its window to return to the editor</source>
        <translation>预览运行中：关闭预览窗口即可返回编辑器</translation>
    </message>
    <message>
        <source>Recovered unsaved changes</source>
        <translation>已恢复未保存的更改</translation>
    </message>
    <message>
        <source>The editor closed with unsaved changes to this project (autosaved {0}). Recover them?</source>
        <translation>编辑器上次关闭时本项目有未保存的更改（自动保存于 {0}）。是否恢复？</translation>
    </message>
    <message>
        <source>Recover changes</source>
        <translation>恢复更改</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to {0} before closing?</source>
        <translation>关闭前是否保存对 {0} 的更改？</translation>
    </message>
    <message>
        <source>{0} problem(s) in the project: see Problems</source>
        <translation>项目中有 {0} 个问题：请查看“问题”</translation>
    </message>
</context>
<context>
    <name>EventList</name>
    <message>
        <source>Server events</source>
        <translation>服务器事件</translation>
    </message>
    <message>
        <source>Filter by source, message or event type</source>
        <translation>按来源、消息或事件类型筛选</translation>
    </message>
    <message>
        <source> (the newest {0}; `hmi alarms events` prints older ones)</source>
        <translation>（最新的 {0} 条；更早的用 `hmi alarms events` 打印）</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n 个事件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FaultsDialog</name>
    <message>
        <source>Simulator faults</source>
        <translation>仿真器故障</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>at a random time within 10 min</source>
        <translation>10 分钟内的随机时刻</translation>
    </message>
    <message>
        <source>How many times faster than a real fault it develops</source>
        <translation>比真实故障发展快多少倍</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Starts in</source>
        <translation>开始于</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重度</translation>
    </message>
    <message>
        <source>Develops faster</source>
        <translation>加速发展</translation>
    </message>
    <message>
        <source>Inject</source>
        <translation>注入</translation>
    </message>
    <message>
        <source>Clear all faults</source>
        <translation>清除所有故障</translation>
    </message>
    <message>
        <source>Faults in the plant</source>
        <translation>装置中的故障</translation>
    </message>
    <message>
        <source>Injected: %1</source>
        <translation>已注入：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n fault(s) cleared</source>
        <translation>
            <numerusform>已清除 %n 个故障</numerusform>
        </translation>
    </message>
    <message>
        <source>None: the plant is healthy</source>
        <translation>无：装置健康</translation>
    </message>
</context>
<context>
    <name>FirstRunNotice</name>
    <message>
        <source>No users yet: create an administrator. Until then this station is view-only.</source>
        <translation>尚无用户：请创建管理员。在此之前本操作站只能查看。</translation>
    </message>
    <message>
        <source>Create administrator…</source>
        <translation>创建管理员…</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>{0} items selected</source>
        <translation>已选择 {0} 个图元</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择任何内容</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签文字</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>On text</source>
        <translation>开状态文字</translation>
    </message>
    <message>
        <source>Off text</source>
        <translation>关状态文字</translation>
    </message>
    <message>
        <source>Orientation</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Time span (s)</source>
        <translation>时间跨度（秒）</translation>
    </message>
    <message>
        <source>Image file</source>
        <translation>图像文件</translation>
    </message>
    <message>
        <source>Bindings</source>
        <translation>绑定</translation>
    </message>
    <message>
        <source>On click</source>
        <translation>单击时</translation>
    </message>
    <message>
        <source>Template arguments</source>
        <translation>模板参数</translation>
    </message>
    <message>
        <source>tag or expression</source>
        <translation>标签或表达式</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Popup arguments</source>
        <translation>弹出窗口参数</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Edit {0}</source>
        <translation>编辑 {0}</translation>
    </message>
</context>
<context>
    <name>Logbook</name>
    <message>
        <source>About</source>
        <translation>时刻</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Screen</source>
        <translation>画面</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>位号</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>记事</translation>
    </message>
</context>
<context>
    <name>LogbookControls</name>
    <message>
        <source>&amp;Logbook</source>
        <translation>交接班日志(&amp;L)</translation>
    </message>
    <message>
        <source>Write shift &amp;note…</source>
        <translation>写交接班记事(&amp;N)…</translation>
    </message>
    <message>
        <source>Shift &amp;logbook…</source>
        <translation>交接班日志(&amp;L)…</translation>
    </message>
    <message>
        <source>The notes of every shift, by shift and tag</source>
        <translation>各班次的记事，按班次和位号</translation>
    </message>
    <message>
        <source>Note added to the shift logbook</source>
        <translation>记事已加入交接班日志</translation>
    </message>
    <message>
        <source>A note for the next shift, at a time, screen and tag</source>
        <translation>给下一班的记事，关联时刻、画面和位号</translation>
    </message>
</context>
<context>
    <name>LogbookView</name>
    <message>
        <source>Shift logbook</source>
        <translation>交接班日志</translation>
    </message>
    <message>
        <source>Show the notes about one shift</source>
        <translation>显示某一班次的记事</translation>
    </message>
    <message>
        <source>Show the notes on one tag</source>
        <translation>显示某一位号的记事</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>位号</translation>
    </message>
    <message>
        <source>New note…</source>
        <translation>新记事…</translation>
    </message>
    <message>
        <source>Replay this moment</source>
        <translation>回放此时刻</translation>
    </message>
    <message>
        <source>Trend this tag</source>
        <translation>显示此位号趋势</translation>
    </message>
    <message>
        <source>Not read: %s</source>
        <translation>未能读取：%s</translation>
    </message>
    <message>
        <source>All shifts</source>
        <translation>所有班次</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>所有位号</translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>%n 条记事</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Logged in now: {0} ({1})</source>
        <translation>当前登录：{0}（{1}）</translation>
    </message>
    <message>
        <source>%s is locked: try again in %s</source>
        <translation>%s 已被锁定：请在 %s 后重试</translation>
    </message>
    <message>
        <source>The lock has ended: you may try again</source>
        <translation>锁定已解除：可以重试</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>no updates</source>
        <translation>无更新</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit project…</source>
        <translation>编辑项目(&amp;E)…</translation>
    </message>
    <message>
        <source>Open this project in the editor (engineers)</source>
        <translation>在编辑器中打开此项目（工程师）</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Open this screen in a &amp;new window</source>
        <translation>在新窗口中打开此画面(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Connections…</source>
        <translation>连接(&amp;C)…</translation>
    </message>
    <message>
        <source>Each server&apos;s state, changes per second, reconnects and last error</source>
        <translation>各服务器的状态、每秒变化、重连次数和最近错误</translation>
    </message>
    <message>
        <source>&amp;Diagnostics…</source>
        <translation>诊断(&amp;D)…</translation>
    </message>
    <message>
        <source>Health of each asset: condition monitoring and its findings</source>
        <translation>各设备的健康状况：状态监测及其发现</translation>
    </message>
    <message>
        <source>&amp;Replay from history</source>
        <translation>历史回放(&amp;R)</translation>
    </message>
    <message>
        <source>Every screen as it was at a moment you choose, from the historian</source>
        <translation>所有画面显示所选时刻的历史状态</translation>
    </message>
    <message>
        <source>&amp;Trends</source>
        <translation>趋势(&amp;T)</translation>
    </message>
    <message>
        <source>New &amp;ad hoc trend</source>
        <translation>新建临时趋势(&amp;A)</translation>
    </message>
    <message>
        <source>Right-click any value on a screen and choose Trend to add it</source>
        <translation>在画面上右键单击任一数值并选择“趋势”即可添加</translation>
    </message>
    <message>
        <source>&amp;Alarms</source>
        <translation>报警(&amp;A)</translation>
    </message>
    <message>
        <source>Alarm &amp;summary</source>
        <translation>报警汇总(&amp;S)</translation>
    </message>
    <message>
        <source>Alarm &amp;history</source>
        <translation>报警历史(&amp;H)</translation>
    </message>
    <message>
        <source>Server &amp;events</source>
        <translation>服务器事件(&amp;E)</translation>
    </message>
    <message>
        <source>Alarm &amp;performance (KPIs)</source>
        <translation>报警绩效（KPI）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Silence horn</source>
        <translation>喇叭消音(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About OpenHMI</source>
        <translation>关于 OpenHMI(&amp;A)</translation>
    </message>
    <message>
        <source>Acknowledge the unacknowledged alarms in the banner</source>
        <translation>确认横幅中未确认的报警</translation>
    </message>
    <message>
        <source>Saved changes take effect when the project is opened again</source>
        <translation>保存的更改将在重新打开项目后生效</translation>
    </message>
    <message>
        <source>%1 — REPLAY — OpenHMI</source>
        <translation>%1 — 回放 — OpenHMI</translation>
    </message>
    <message>
        <source>Change %1?</source>
        <translation>修改 %1？</translation>
    </message>
    <message>
        <source>{0}: written, but not confirmed: {1}</source>
        <translation>{0}：已写入，但未确认：{1}</translation>
    </message>
    <message>
        <source>Write not confirmed</source>
        <translation>写入未确认</translation>
    </message>
    <message>
        <source>Not permitted</source>
        <translation>不允许</translation>
    </message>
    <message>
        <source>Quit OpenHMI? This station stops showing the plant and its alarms.</source>
        <translation>退出 OpenHMI？本站将不再显示工厂及其报警。</translation>
    </message>
    <message>
        <source>User: %s</source>
        <translation type="vanished">用户：%s</translation>
    </message>
    <message>
        <source>Cannot trend %s: %s</source>
        <translation>无法显示 %s 的趋势：%s</translation>
    </message>
    <message>
        <source>No screen shows %s</source>
        <translation>没有画面显示 %s</translation>
    </message>
    <message>
        <source>Alarm action refused</source>
        <translation>报警操作被拒绝</translation>
    </message>
    <message numerus="yes">
        <source>, retry in %n s</source>
        <translation>
            <numerusform>，%n 秒后重试</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> for %n s</source>
        <translation>
            <numerusform>，已 %n 秒</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop {0}? ({1} := {2})</source>
        <translation type="vanished">停止 {0}？（{1} := {2}）</translation>
    </message>
    <message>
        <source>Start {0}? ({1} := {2})</source>
        <translation type="vanished">启动 {0}？（{1} := {2}）</translation>
    </message>
    <message>
        <source>Write {0!r} to {1}?</source>
        <translation type="vanished">将 {0!r} 写入 {1}？</translation>
    </message>
    <message>
        <source>Not written: %s</source>
        <translation>未写入：%s</translation>
    </message>
    <message>
        <source>Write refused</source>
        <translation>写入被拒绝</translation>
    </message>
    <message>
        <source>{0} set to {1}</source>
        <translation>{0} 已设为 {1}</translation>
    </message>
</context>
<context>
    <name>Navigator</name>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>前进</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>主画面</translation>
    </message>
    <message>
        <source>&amp;Operator mode (full screen)</source>
        <translation>操作员模式（全屏）(&amp;O)</translation>
    </message>
</context>
<context>
    <name>NewProjectDialog</name>
    <message>
        <source>New project from a server</source>
        <translation>从服务器新建项目</translation>
    </message>
    <message>
        <source>a new or empty folder</source>
        <translation>新的或空的文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>the folder&apos;s name</source>
        <translation>文件夹名称</translation>
    </message>
    <message>
        <source>Make a project from what an OPC-UA server offers: its variables become tags with their units, ranges and limits, and every folder you pick a screen and a trend.</source>
        <translation>根据 OPC-UA 服务器提供的内容创建项目：其变量成为带单位、量程和限值的位号，所选的每个文件夹成为一个画面和一个趋势。</translation>
    </message>
    <message>
        <source>Project folder</source>
        <translation>项目文件夹</translation>
    </message>
    <message>
        <source>Project name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>&lt;b&gt;Server&lt;/b&gt;</source>
        <translation>&lt;b&gt;服务器&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Alarm when a value leaves its engineering range</source>
        <translation>数值超出工程量程时报警</translation>
    </message>
    <message>
        <source>For variables without limit alarms of their own on the server (low priority)</source>
        <translation>用于服务器上没有自身限值报警的变量（低优先级）</translation>
    </message>
    <message>
        <source>Select variables and whole folders (Ctrl or Shift for more). Each folder becomes a screen of its values and a trend.</source>
        <translation>选择变量和整个文件夹（按住 Ctrl 或 Shift 多选）。每个文件夹成为一个显示其数值的画面和一个趋势。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Create project</source>
        <translation>创建项目</translation>
    </message>
    <message>
        <source>Choose a folder for the project</source>
        <translation>选择项目文件夹</translation>
    </message>
    <message>
        <source>{0} is not empty: a new project needs a new or empty folder</source>
        <translation>{0} 不是空的：新项目需要新的或空的文件夹</translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>正在连接 {0}…</translation>
    </message>
    <message numerus="yes">
        <source>%n variable(s) selected: each becomes a tag</source>
        <translation>
            <numerusform>已选 %n 个变量：每个成为一个位号</numerusform>
        </translation>
    </message>
    <message>
        <source>Select the variables or folders to take</source>
        <translation>选择要采用的变量或文件夹</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n node(s)…</source>
        <translation>
            <numerusform>正在读取 %n 个节点…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Shift note</source>
        <translation>交接班记事</translation>
    </message>
    <message>
        <source>The moment the note is about; it shows in trends and replays there</source>
        <translation>记事所指的时刻；在趋势和回放中于该处显示</translation>
    </message>
    <message>
        <source>(no screen)</source>
        <translation>（无画面）</translation>
    </message>
    <message>
        <source>(no tag)</source>
        <translation>（无位号）</translation>
    </message>
    <message>
        <source>What the next shift should know</source>
        <translation>下一班需要知道的事</translation>
    </message>
    <message>
        <source>About</source>
        <translation>时刻</translation>
    </message>
    <message>
        <source>Screen</source>
        <translation>画面</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>位号</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>记事</translation>
    </message>
    <message>
        <source>Add to logbook</source>
        <translation>加入日志</translation>
    </message>
    <message>
        <source>There is no tag %s in this project: pick one from the list or leave it empty</source>
        <translation>本项目中没有位号 %s：请从列表中选择或留空</translation>
    </message>
</context>
<context>
    <name>NoticeList</name>
    <message>
        <source>Dismiss</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Dismiss all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message numerus="yes">
        <source> (×%n)</source>
        <translation>
            <numerusform> （×%n）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationArea</name>
    <message>
        <source>Warnings and errors: click to read and dismiss them</source>
        <translation>警告和错误：单击查看并清除</translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n message(s)</source>
        <translation>
            <numerusform>⚠ %n 条消息</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Symbols</source>
        <translation>图元</translation>
    </message>
    <message>
        <source>Drag onto the screen, or double-click to add</source>
        <translation>拖到画面上，或双击添加</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Log in to %s</source>
        <translation>登录到 %s</translation>
    </message>
    <message>
        <source>The server asks for the password of this user.</source>
        <translation>服务器要求输入此用户的密码。</translation>
    </message>
    <message>
        <source>The server refused the last password: enter it again.</source>
        <translation>服务器拒绝了上次的密码：请重新输入。</translation>
    </message>
    <message>
        <source>Remember in the OS keyring</source>
        <translation>保存在系统密钥环中</translation>
    </message>
    <message>
        <source>This computer offers no keyring</source>
        <translation>此计算机没有可用的密钥环</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Change your password</source>
        <translation>更改您的密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password for %s</source>
        <translation>%s 的新密码</translation>
    </message>
</context>
<context>
    <name>PasswordFields</name>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>the two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
</context>
<context>
    <name>PenPanel</name>
    <message>
        <source>Tag to add, e.g. {0}</source>
        <translation>要添加的位号，例如 {0}</translation>
    </message>
    <message>
        <source>Add pen</source>
        <translation>添加曲线</translation>
    </message>
    <message>
        <source>Remove pen</source>
        <translation>移除曲线</translation>
    </message>
</context>
<context>
    <name>PenTableModel</name>
    <message>
        <source>Value now</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Value at {t}</source>
        <translation>{t} 时的值</translation>
    </message>
    <message>
        <source>Value B</source>
        <translation>B 处的值</translation>
    </message>
    <message>
        <source>Δ B − A</source>
        <translation>Δ B − A</translation>
    </message>
    <message>
        <source>Δ over {dt}</source>
        <translation>{dt} 内的 Δ</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单位</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>change values and start or stop equipment</source>
        <translation>修改数值并启停设备</translation>
    </message>
    <message>
        <source>acknowledge alarms</source>
        <translation>确认报警</translation>
    </message>
    <message>
        <source>shelve alarms</source>
        <translation>搁置报警</translation>
    </message>
    <message>
        <source>unshelve alarms</source>
        <translation>取消搁置报警</translation>
    </message>
    <message>
        <source>take alarms out of service</source>
        <translation>停用报警</translation>
    </message>
    <message>
        <source>return alarms to service</source>
        <translation>恢复投用报警</translation>
    </message>
    <message>
        <source>edit the project</source>
        <translation>编辑项目</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <source>trust server certificates</source>
        <translation>信任服务器证书</translation>
    </message>
    <message>
        <source>quit the HMI</source>
        <translation>退出 HMI</translation>
    </message>
    <message>
        <source>write shift notes</source>
        <translation>写交接班记事</translation>
    </message>
    <message>
        <source>inject and clear simulator faults</source>
        <translation>注入和清除仿真器故障</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>查看者</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <source>Preview: {0} (unsaved changes included)</source>
        <translation>预览：{0}（包含未保存的更改）</translation>
    </message>
</context>
<context>
    <name>PriorityCount</name>
    <message>
        <source>Unacknowledged alarms of priority {0}</source>
        <translation>优先级 {0} 的未确认报警</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>No problems: the project is ready to run.</source>
        <translation>没有问题：项目可以运行。</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s): double-click one to go to it.</source>
        <translation>
            <numerusform>%n 个问题：双击可跳转到该处。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Quality</name>
    <message>
        <source>Good</source>
        <translation>良好</translation>
    </message>
    <message>
        <source>Uncertain</source>
        <translation>不确定</translation>
    </message>
    <message>
        <source>Bad</source>
        <translation>坏值</translation>
    </message>
    <message>
        <source>stale: no updates from server</source>
        <translation>陈旧：服务器无更新</translation>
    </message>
    <message>
        <source>comm failure</source>
        <translation>通信故障</translation>
    </message>
    <message>
        <source>node not found on server</source>
        <translation>服务器上找不到节点</translation>
    </message>
    <message>
        <source>waiting for initial data</source>
        <translation>等待初始数据</translation>
    </message>
</context>
<context>
    <name>RegisterMap</name>
    <message>
        <source>Tag</source>
        <translation>位号</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Word/byte order</source>
        <translation>字/字节顺序</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>Rate group</source>
        <translation>速率组</translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message>
        <source>REPLAY (history, not live): %1</source>
        <translation>回放（历史，非实时）：%1</translation>
    </message>
</context>
<context>
    <name>ReplayBar</name>
    <message>
        <source>REPLAY</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>The screens below show history. The alarm banner above stays live: new alarms still show there.</source>
        <translation>下方画面显示的是历史。上方报警条保持实时：新报警仍在那里显示。</translation>
    </message>
    <message>
        <source>Back to live</source>
        <translation>返回实时</translation>
    </message>
    <message>
        <source>Leave the replay: the screens show the plant as it is now (Esc)</source>
        <translation>退出回放：画面显示装置当前状态 (Esc)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>%1x</source>
        <translation>%1x</translation>
    </message>
    <message>
        <source>Playing speed: replayed seconds per second</source>
        <translation>播放速度：每秒回放的秒数</translation>
    </message>
    <message>
        <source>Go to this moment (Enter)</source>
        <translation>转到此时刻 (Enter)</translation>
    </message>
    <message>
        <source>Drag to any moment; the marks are shift notes</source>
        <translation>拖动到任意时刻；标记为交接班记事</translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n 小时</numerusform>
        </translation>
    </message>
    <message>
        <source>How much time the slider covers</source>
        <translation>滑块覆盖的时间范围</translation>
    </message>
    <message>
        <source>history, not live · playing</source>
        <translation>历史，非实时 · 播放中</translation>
    </message>
    <message>
        <source>history, not live · paused</source>
        <translation>历史，非实时 · 已暂停</translation>
    </message>
    <message>
        <source>Note %1</source>
        <translation>记事 %1</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
</context>
<context>
    <name>ReplayMode</name>
    <message>
        <source>Replay shows history: writes and acknowledgements are off. Go back to live to act.</source>
        <translation>回放显示的是历史：写入和确认已关闭。返回实时后再操作。</translation>
    </message>
    <message>
        <source>History could not be read: %s</source>
        <translation>无法读取历史：%s</translation>
    </message>
    <message>
        <source>The replay is at the present: go back in time to play</source>
        <translation>回放已到当前时刻：请先回到过去再播放</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>生成于</translation>
    </message>
    <message>
        <source>Page {0} of {1}</source>
        <translation>第 {0} 页，共 {1} 页</translation>
    </message>
    <message>
        <source>Tag statistics</source>
        <translation>位号统计</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>位号</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>最小</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最大</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>良好</translation>
    </message>
    <message>
        <source>Uncertain</source>
        <translation>不确定</translation>
    </message>
    <message>
        <source>Bad</source>
        <translation>坏值</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>No tags are listed in this report.</source>
        <translation>本报告未列出位号。</translation>
    </message>
    <message>
        <source>Alarm performance (EEMUA 191 / ISA-18.2)</source>
        <translation>报警绩效（EEMUA 191 / ISA-18.2）</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Alarms raised</source>
        <translation>产生的报警</translation>
    </message>
    <message>
        <source>Average alarms per 10 min</source>
        <translation>每 10 分钟平均报警数</translation>
    </message>
    <message>
        <source>Peak alarms in any 10 min</source>
        <translation>任意 10 分钟内报警峰值</translation>
    </message>
    <message>
        <source>Time in flood</source>
        <translation>泛滥时间</translation>
    </message>
    <message>
        <source>Floods</source>
        <translation>报警泛滥</translation>
    </message>
    <message>
        <source>Chattering alarms</source>
        <translation>振荡报警</translation>
    </message>
    <message>
        <source>Stale alarms</source>
        <translation>陈旧报警</translation>
    </message>
    <message>
        <source>Alarm rate per 10 minutes</source>
        <translation>每 10 分钟报警率</translation>
    </message>
    <message>
        <source>acceptable</source>
        <translation>可接受</translation>
    </message>
    <message>
        <source>manageable</source>
        <translation>可管理</translation>
    </message>
    <message>
        <source>flood</source>
        <translation>报警泛滥</translation>
    </message>
    <message>
        <source>Top {0} most frequent alarms</source>
        <translation>最频繁的前 {0} 个报警</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>No alarms were raised in the period.</source>
        <translation>该时段内没有产生报警。</translation>
    </message>
    <message>
        <source>Priority distribution</source>
        <translation>优先级分布</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>rare</source>
        <translation>罕见</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <source>Chattering</source>
        <translation>振荡报警</translation>
    </message>
    <message>
        <source>Most within {0} s</source>
        <translation>{0} 秒内最多</translation>
    </message>
    <message>
        <source>Standing and stale alarms</source>
        <translation>常驻与陈旧报警</translation>
    </message>
    <message>
        <source>Active since</source>
        <translation>激活自</translation>
    </message>
    <message>
        <source>Active for</source>
        <translation>已激活</translation>
    </message>
    <message>
        <source>Operator actions</source>
        <translation>操作员操作</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>No operator actions in the period.</source>
        <translation>该时段内没有操作员操作。</translation>
    </message>
    <message>
        <source>The newest {0} of {1} actions are listed.</source>
        <translation>列出最新的 {0} 条操作（共 {1} 条）。</translation>
    </message>
    <message>
        <source>Section not available: {0}</source>
        <translation>此部分不可用：{0}</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>This project has no reports: add one under reports: in project.yaml.</source>
        <translation>本项目没有报告：请在 project.yaml 的 reports: 下添加。</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The period must end after it starts.</source>
        <translation>时段的结束必须晚于开始。</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>&amp;Reports…</source>
        <translation>报告(&amp;R)…</translation>
    </message>
    <message>
        <source>Make a shift or day report as PDF</source>
        <translation>生成班次或日报 PDF</translation>
    </message>
</context>
<context>
    <name>ScreenItem</name>
    <message>
        <source>Alarm %1: %2</source>
        <translation>报警 %1：%2</translation>
    </message>
    <message>
        <source>Quality: %1</source>
        <translation>质量：%1</translation>
    </message>
</context>
<context>
    <name>ScreensPanel</name>
    <message>
        <source>Screens</source>
        <translation>画面</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="vanished">添加</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制副本</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Start screen</source>
        <translation>起始画面</translation>
    </message>
    <message>
        <source>File name (a-z, 0-9, - and _):</source>
        <translation>文件名（a-z、0-9、- 和 _）：</translation>
    </message>
    <message>
        <source>Now dangling: {0}</source>
        <translation>现已悬空：{0}</translation>
    </message>
    <message>
        <source>New {0}</source>
        <translation>新建{0}</translation>
    </message>
    <message>
        <source>There already is a {0} &apos;{1}&apos;</source>
        <translation>已存在{0}“{1}”</translation>
    </message>
    <message>
        <source>Add screen</source>
        <translation>添加画面</translation>
    </message>
    <message>
        <source>Add template</source>
        <translation>添加模板</translation>
    </message>
    <message>
        <source>Duplicate {0}</source>
        <translation>复制{0}</translation>
    </message>
    <message>
        <source>Duplicate screen</source>
        <translation>复制画面</translation>
    </message>
    <message>
        <source>Duplicate template</source>
        <translation>复制模板</translation>
    </message>
    <message>
        <source>Rename {0}</source>
        <translation>重命名{0}</translation>
    </message>
    <message>
        <source>Delete {0} &apos;{1}&apos;?</source>
        <translation>删除{0}“{1}”？</translation>
    </message>
    <message>
        <source>These references would point at nothing:</source>
        <translation>以下引用将指向不存在的对象：</translation>
    </message>
    <message>
        <source>Delete {0}</source>
        <translation>删除{0}</translation>
    </message>
</context>
<context>
    <name>SessionControls</name>
    <message>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Log in…</source>
        <translation>登录(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Switch user…</source>
        <translation>切换用户(&amp;S)…</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>更改我的密码(&amp;P)…</translation>
    </message>
    <message>
        <source>Supervisor &amp;authorisation…</source>
        <translation>主管授权(&amp;A)…</translation>
    </message>
    <message>
        <source>A user whose role may do it signs for the next action at this station</source>
        <translation>由有权限角色的用户为本站的下一个操作签名</translation>
    </message>
    <message>
        <source>&amp;Manage users…</source>
        <translation>管理用户(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Audit trail…</source>
        <translation>审计追踪(&amp;A)…</translation>
    </message>
    <message>
        <source>Not permitted: %s</source>
        <translation>无权执行：%s</translation>
    </message>
    <message>
        <source>Not permitted</source>
        <translation>无权执行</translation>
    </message>
    <message>
        <source>Authorised for one action</source>
        <translation>已授权一次操作</translation>
    </message>
    <message>
        <source>Not logged in (view only)</source>
        <translation>未登录（仅查看）</translation>
    </message>
    <message>
        <source>User: %s (%s)</source>
        <translation>用户：%s（%s）</translation>
    </message>
    <message>
        <source>Log in, log out, users, audit</source>
        <translation>登录、注销、用户、审计</translation>
    </message>
</context>
<context>
    <name>SetpointDialog</name>
    <message>
        <source>Change {0}</source>
        <translation>修改 {0}</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>位号</translation>
    </message>
    <message>
        <source>Current value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Change %1?</source>
        <translation>修改 %1？</translation>
    </message>
    <message>
        <source>Write {0}{1} to {2}?</source>
        <translation type="vanished">将 {0}{1} 写入 {2}？</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Supervisor authorisation</source>
        <translation>主管授权</translation>
    </message>
    <message numerus="yes">
        <source>A user whose role may do it authorises the next action at this station (within %n s). Both names and the reason go into the audit trail.</source>
        <translation>
            <numerusform>由有权限角色的用户授权本站的下一个操作（%n 秒内有效）。双方姓名和原因记入审计追踪。</numerusform>
        </translation>
    </message>
    <message>
        <source>Electronic signature</source>
        <translation>电子签名</translation>
    </message>
    <message>
        <source>To %s needs an electronic signature: your password and a reason.</source>
        <translation>%s需要电子签名：您的密码和原因。</translation>
    </message>
    <message>
        <source>Why (kept in the audit trail)</source>
        <translation>原因（记入审计追踪）</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签名人</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
</context>
<context>
    <name>Symbols</name>
    <message>
        <source>FAULT</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>No alarm</source>
        <translation>无报警</translation>
    </message>
    <message>
        <source>  (unack)</source>
        <translation>  （未确认）</translation>
    </message>
</context>
<context>
    <name>TagBrowser</name>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Project connection that dragged tags will use</source>
        <translation>拖入的标签所使用的项目连接</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Search by name, Enter</source>
        <translation>按名称搜索，回车</translation>
    </message>
    <message>
        <source>Node id</source>
        <translation>节点 ID</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Data type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>访问权限</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>量程</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Add as tag</source>
        <translation type="vanished">添加为标签</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Add tag {0}</source>
        <translation type="vanished">添加标签 {0}</translation>
    </message>
    <message>
        <source>Tag {0} added</source>
        <translation type="vanished">已添加标签 {0}</translation>
    </message>
    <message>
        <source>Add as tags</source>
        <translation>添加为位号</translation>
    </message>
    <message>
        <source>The project has tags of these nodes already</source>
        <translation>项目中已有这些节点的位号</translation>
    </message>
    <message numerus="yes">
        <source>Add %n tag(s)</source>
        <translation>
            <numerusform>添加 %n 个位号</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s) added</source>
        <translation>
            <numerusform>已添加 %n 个位号</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reading %n node(s)…</source>
        <translation>
            <numerusform>正在读取 %n 个节点…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n variable(s) selected: drag them onto a screen, or Add as tags</source>
        <translation>
            <numerusform>已选 %n 个变量：拖到画面上，或添加为位号</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n already a tag of the project)</source>
        <translation>
            <numerusform>（其中 %n 个已是项目位号）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s) read from {0}: a device without an address space to browse</source>
        <translation>
            <numerusform>从 {0} 读取了 %n 个位号：该设备没有可浏览的地址空间</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>正在连接 {0}…</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <source>Connected to {0}: expand a folder, or search</source>
        <translation>已连接到 {0}：展开文件夹或搜索</translation>
    </message>
    <message>
        <source>Searching for {0}…</source>
        <translation>正在搜索 {0}…</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) found</source>
        <translation>
            <numerusform>找到 %n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>read and write</source>
        <translation>读写</translation>
    </message>
    <message>
        <source>read only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>at {0}</source>
        <translation>位于 {0}</translation>
    </message>
</context>
<context>
    <name>TagMenu</name>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Trend %s</source>
        <translation>%s 的趋势</translation>
    </message>
    <message>
        <source>Shift note…</source>
        <translation>交接班记事…</translation>
    </message>
    <message>
        <source>A note for the shift logbook on %s</source>
        <translation>关于 %s 的交接班记事</translation>
    </message>
    <message>
        <source>Change %s…</source>
        <translation>修改 %s…</translation>
    </message>
    <message>
        <source>%s…</source>
        <translation>%s…</translation>
    </message>
    <message>
        <source>Operate…</source>
        <translation>操作…</translation>
    </message>
</context>
<context>
    <name>TagTable</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Node id</source>
        <translation>节点 ID</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>量程</translation>
    </message>
    <message>
        <source>Writable</source>
        <translation>可写</translation>
    </message>
    <message>
        <source>Write limits</source>
        <translation>写入限值</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>on_change [deadband | N%], periodic SECONDS, swinging_door DEVIATION, or off</source>
        <translation>on_change [死区 | N%]、periodic 秒数、swinging_door 偏差，或 off</translation>
    </message>
    <message>
        <source>Filter tags</source>
        <translation>筛选标签</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Alarms…</source>
        <translation>报警…</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>导入 CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Add tag {0}</source>
        <translation>添加标签 {0}</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n tag(s)</source>
        <translation>
            <numerusform>删除 %n 个标签</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} reference(s) would point at nothing:
{1}

Delete anyway?</source>
        <translation>{0} 个引用将指向不存在的对象：
{1}

仍要删除吗？</translation>
    </message>
    <message>
        <source>Import tags from {0}</source>
        <translation>从 {0} 导入标签</translation>
    </message>
    <message>
        <source>{0}: {1} added, {2} updated, {3} problem(s)</source>
        <translation>{0}：新增 {1} 个，更新 {2} 个，{3} 个问题</translation>
    </message>
    <message>
        <source>{0} tags written to {1}</source>
        <translation>已将 {0} 个标签写入 {1}</translation>
    </message>
    <message>
        <source>Import tags</source>
        <translation>导入标签</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>These rows were left out:</source>
        <translation>以下行未导入：</translation>
    </message>
    <message>
        <source>Export tags</source>
        <translation>导出标签</translation>
    </message>
    <message>
        <source>Edit alarms of tag {0}</source>
        <translation>编辑标签 {0} 的报警</translation>
    </message>
</context>
<context>
    <name>TimeAxis</name>
    <message>
        <source>{dates} (local time, {zone})</source>
        <translation>{dates}（本地时间，{zone}）</translation>
    </message>
</context>
<context>
    <name>TrendView</name>
    <message>
        <source>The export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <source>History could not be read: {0}</source>
        <translation>无法读取历史数据：{0}</translation>
    </message>
</context>
<context>
    <name>TrendWindow</name>
    <message>
        <source>{0} — Trend</source>
        <translation>{0} — 趋势</translation>
    </message>
    <message>
        <source>Ad hoc</source>
        <translation>临时</translation>
    </message>
    <message>
        <source>Exported {0} samples to {1}</source>
        <translation>已将 {0} 个采样导出到 {1}</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Follow the present (Home); arrows pan, + and - zoom</source>
        <translation>跟随当前时间（Home）；方向键平移，+ 和 - 缩放</translation>
    </message>
    <message>
        <source>Show the last {0}, live</source>
        <translation>实时显示最近 {0}</translation>
    </message>
    <message>
        <source> From </source>
        <translation> 从 </translation>
    </message>
    <message>
        <source> to </source>
        <translation> 至 </translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show the time range From - to, paused</source>
        <translation>显示“从”至“至”的时间段（暂停）</translation>
    </message>
    <message>
        <source>Cursor</source>
        <translation>游标</translation>
    </message>
    <message>
        <source>A ruler that reads every pen&apos;s value and quality</source>
        <translation>读取每条曲线数值和质量的标尺</translation>
    </message>
    <message>
        <source>Δ cursor</source>
        <translation>Δ 游标</translation>
    </message>
    <message>
        <source>A second ruler: differences in value and time from the first</source>
        <translation>第二条标尺：与第一条的数值差和时间差</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save image…</source>
        <translation>保存图片…</translation>
    </message>
    <message>
        <source>The end of the range must be after its start</source>
        <translation>时间段的结束必须晚于开始</translation>
    </message>
    <message>
        <source>Export visible range</source>
        <translation>导出可见范围</translation>
    </message>
    <message>
        <source>Save chart image</source>
        <translation>保存图表图片</translation>
    </message>
    <message>
        <source>Could not write {0}</source>
        <translation>无法写入 {0}</translation>
    </message>
</context>
<context>
    <name>TrustDialog</name>
    <message>
        <source>Server certificate changed</source>
        <translation>服务器证书已变更</translation>
    </message>
    <message>
        <source>Server certificate</source>
        <translation>服务器证书</translation>
    </message>
    <message>
        <source>The certificate of this server has CHANGED since it was trusted. Trust it only if you know the server was given a new certificate; otherwise someone may be impersonating it.</source>
        <translation>此服务器的证书自上次信任后已经变更。只有在确知服务器换发了新证书时才能信任它；否则可能有人在冒充该服务器。</translation>
    </message>
    <message>
        <source>This server&apos;s certificate is not trusted yet, so the connection was refused. Compare the fingerprint with the one the server&apos;s administrator gives you before trusting it.</source>
        <translation>此服务器的证书尚未受信任，因此连接被拒绝。信任之前，请将指纹与服务器管理员提供的指纹进行核对。</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>颁发者</translation>
    </message>
    <message>
        <source>Application URI</source>
        <translation>应用程序 URI</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>有效期自</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>changed since trusted</source>
        <translation>信任后已变更</translation>
    </message>
    <message>
        <source>unknown (rejected)</source>
        <translation>未知（已拒绝）</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>信任</translation>
    </message>
    <message>
        <source>Keep rejected</source>
        <translation>保持拒绝</translation>
    </message>
    <message>
        <source>Not trusted</source>
        <translation>不受信任</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Create the first administrator</source>
        <translation>创建第一个管理员</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>全名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Nobody can log in yet. The administrator you create here manages the other users.</source>
        <translation>目前还没有人能登录。在此创建的管理员将管理其他用户。</translation>
    </message>
    <message>
        <source>enter a user name</source>
        <translation>请输入用户名</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>, locked until %s</source>
        <translation>，锁定至 %s</translation>
    </message>
</context>
<context>
    <name>UsersView</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <source>Set password…</source>
        <translation>设置密码…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Set role</source>
        <translation>设置角色</translation>
    </message>
    <message>
        <source>Select a user first</source>
        <translation>请先选择一个用户</translation>
    </message>
    <message>
        <source>Password of %s changed</source>
        <translation>%s 的密码已修改</translation>
    </message>
</context>
<context>
    <name>Workstation</name>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Light (ISA-101 grey)</source>
        <translation>浅色（ISA-101 灰）(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark (control room)</source>
        <translation>深色（控制室）(&amp;D)</translation>
    </message>
    <message>
        <source>Text &amp;size</source>
        <translation>文字大小(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>The language changes when OpenHMI is started again.</source>
        <translation>语言将在 OpenHMI 下次启动时生效。</translation>
    </message>
    <message>
        <source>OpenHMI</source>
        <translation>OpenHMI</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>OpenHMI: an open-source HMI/SCADA runtime for OPC-UA.</source>
        <translation>OpenHMI：面向 OPC-UA 的开源 HMI/SCADA 运行系统。</translation>
    </message>
    <message>
        <source>About OpenHMI</source>
        <translation>关于 OpenHMI</translation>
    </message>
</context>
<context>
    <name>draw</name>
    <message>
        <source>FAULT</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>No alarm</source>
        <translation>无报警</translation>
    </message>
    <message>
        <source>  (unack)</source>
        <translation>  （未确认）</translation>
    </message>
</context>
<context>
    <name>owner</name>
    <message>
        <source>Value</source>
        <translation type="obsolete">数值</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Password</source>
        <translation type="obsolete">密码</translation>
    </message>
</context>
</TS>
