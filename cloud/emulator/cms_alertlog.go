package emulator

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The alert history that evaluation writes: DescribeAlertLogList (the
// current API; AlertLogList is a bare array) and DescribeAlertHistoryList
// (the older one), notes §3.9. Levels are P2 (Critical), P3 (Warn), P4
// (Info) and OK; a change reads "OK->P2", a recovery "P2->OK", a repeat
// after the silence time "P2->P2" (DescribeAlertLogList docs).

// maxAlertLogs bounds the history: the newest entries are kept.
const maxAlertLogs = 1000

// pagingAlertLogs: PageNumber/PageSize of both history APIs (default 10;
// the maximum is not documented, 100 is assumed).
var pagingAlertLogs = pageLimits{pageSizeDefault: 10, pageSizeMax: 100}

// alertLog is one entry of the alert history.
type alertLog struct {
	ID                 string
	serial             int
	Time               time.Time
	RuleID, RuleName   string
	Namespace, Metric  string
	InstanceID, Name   string
	Device             string
	Level, PrevLevel   string // P2, P3, P4, OK
	Value              float64
	Expression         string
	Times              int
	ContactGroups      []string
	Webhook, EventName string
}

// appendLog records a level change (or a repeat) of a rule on a series,
// dropping the oldest entries beyond maxAlertLogs.
func (c *cmsState) appendLog(rule *alarmRule, se *series, prev string, ev evaluation, at time.Time) {
	c.logSerial++
	event := "Alert"
	if ev.level == "OK" {
		event = "AlertOk"
	}
	c.logs = append(c.logs, &alertLog{
		ID:     fmt.Sprintf("%s-%d-%06d", rule.ID, at.Unix(), c.logSerial),
		serial: c.logSerial,
		Time:   at, RuleID: rule.ID, RuleName: rule.Name,
		Namespace: rule.Namespace, Metric: rule.Metric,
		InstanceID: se.inst.ID, Name: se.inst.Name, Device: se.device,
		Level: ev.level, PrevLevel: prev, Value: ev.value,
		Expression: ev.expression, Times: ev.times,
		ContactGroups: append([]string(nil), rule.ContactGroups...),
		Webhook:       rule.Webhook, EventName: event,
	})
	if n := len(c.logs) - maxAlertLogs; n > 0 {
		c.logs = append([]*alertLog(nil), c.logs[n:]...)
	}
}

// newestFirst returns the history sorted newest first (ties: the later
// written first).
func (c *cmsState) newestFirst() []*alertLog {
	out := append([]*alertLog(nil), c.logs...)
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.After(out[j].Time)
		}
		return out[i].serial > out[j].serial
	})
	return out
}

// contactsOf collects the mail addresses, SMS numbers and DingTalk hooks
// of a log's contact groups.
func (c *cmsState) contactsOf(groups []string) (names, mails, sms, ding []string) {
	names, mails, sms, ding = []string{}, []string{}, []string{}, []string{}
	seen := map[string]bool{}
	for _, gn := range groups {
		g := c.contactGroup(gn)
		if g == nil {
			continue
		}
		for _, n := range g.Contacts {
			ct := c.contacts[n]
			if ct == nil || seen[n] {
				continue
			}
			seen[n] = true
			names = append(names, n)
			if ct.Mail != "" {
				mails = append(mails, ct.Mail)
			}
			if ct.SMS != "" {
				sms = append(sms, ct.SMS)
			}
			if ct.DingHook != "" {
				ding = append(ding, ct.DingHook)
			}
		}
	}
	return names, mails, sms, ding
}

// timeRangeMs reads StartTime/EndTime (Unix ms); absent bounds are open.
func timeRangeMs(r *request) (start, end int64, err error) {
	start, end = 0, 1<<62
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"StartTime", &start}, {"EndTime", &end}} {
		if v := r.str(p.name); v != "" {
			n, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil {
				return 0, 0, errCMS(400, "The specified parameter %q is not valid: %s is not a Unix time in milliseconds.", p.name, v)
			}
			*p.dst = n
		}
	}
	if start > end {
		return 0, 0, errCMS(400, "The StartTime must be earlier than the EndTime.")
	}
	return start, end, nil
}

// describeAlertLogList answers DescribeAlertLogList: entries in
// [StartTime, EndTime] (ms; LastMin = the last N minutes), filtered by
// RuleId, RuleName, Namespace, MetricName, Level, Product, ContactGroup,
// SendStatus and SearchKey, newest first, paged by PageNumber/PageSize.
func (s *Server) describeAlertLogList(r *request) (any, error) {
	c := s.store.cms
	start, end, err := timeRangeMs(r)
	if err != nil {
		return nil, err
	}
	if v := r.str("LastMin"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, errCMS(400, "The specified parameter \"LastMin\" is not valid: %s.", v)
		}
		start = max(start, s.opts.Now().Add(-time.Duration(n)*time.Minute).UnixMilli())
	}
	p, err := r.pager(pagingAlertLogs)
	if err != nil {
		return nil, err
	}
	var list []*alertLog
	for _, l := range c.newestFirst() {
		ms := l.Time.UnixMilli()
		switch {
		case ms < start || ms > end,
			r.has("RuleId") && l.RuleID != r.str("RuleId"),
			r.has("RuleName") && !strings.Contains(l.RuleName, r.str("RuleName")),
			r.has("Namespace") && l.Namespace != r.str("Namespace"),
			r.has("MetricName") && l.Metric != r.str("MetricName"),
			r.has("Level") && l.Level != r.str("Level"),
			r.has("Product") && !strings.EqualFold(r.str("Product"), "ECS"),
			r.has("SendStatus") && r.str("SendStatus") != "0",
			r.has("ContactGroup") && !contains(l.ContactGroups, r.str("ContactGroup")),
			r.has("SearchKey") && !l.matches(r.str("SearchKey")):
			continue
		}
		list = append(list, l)
	}
	page, _ := pageOf(list, p)
	items := make([]map[string]any, 0, len(page))
	for _, l := range page {
		items = append(items, c.logBody(l))
	}
	return map[string]any{
		"Code":         "200",
		"Success":      true,
		"PageNumber":   p.PageNumber,
		"PageSize":     p.PageSize,
		"Total":        len(list),
		"AlertLogList": items,
	}, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// matches is SearchKey: a substring of the rule, the instance or the metric.
func (l *alertLog) matches(key string) bool {
	for _, f := range []string{l.RuleName, l.RuleID, l.InstanceID, l.Name, l.Metric} {
		if strings.Contains(f, key) {
			return true
		}
	}
	return false
}

// dimensions are the resource's dimensions, userId first.
func (l *alertLog) dimensions() []map[string]string {
	d := []map[string]string{{"Key": "userId", "Value": cmsUserID}, {"Key": "instanceId", "Value": l.InstanceID}}
	if l.Device != "" {
		d = append(d, map[string]string{"Key": "device", "Value": l.Device})
	}
	return d
}

// valueString is the value as the alert shows it, two decimals.
func (l *alertLog) valueString() string { return strconv.FormatFloat(l.Value, 'f', 2, 64) }

// logBody is one AlertLogList item: AlertTime ms as a string, bare arrays
// for Dimensions, ExtendedInfo, WebhookList, SendResultList and the
// contact lists, Message a JSON string.
func (c *cmsState) logBody(l *alertLog) map[string]any {
	_, mails, sms, ding := c.contactsOf(l.ContactGroups)
	dims := map[string]string{"userId": cmsUserID, "instanceId": l.InstanceID}
	if l.Device != "" {
		dims["device"] = l.Device
	}
	msg, _ := json.Marshal(map[string]any{
		"alertName":  l.RuleID + "_" + l.Metric,
		"curLevel":   l.Level,
		"preLevel":   l.PrevLevel,
		"curValue":   l.valueString(),
		"dimensions": dims,
		"escalation": map[string]any{"expression": l.Expression, "level": l.Level, "tag": l.Level, "times": l.Times},
	})
	webhooks := []map[string]string{}
	if l.Webhook != "" {
		webhooks = append(webhooks, map[string]string{"code": "200", "url": l.Webhook, "message": "success"})
	}
	ext := []map[string]string{
		{"Name": "instanceId", "Value": l.InstanceID},
		{"Name": "userId", "Value": cmsUserID},
		{"Name": "curValue", "Value": l.valueString()},
	}
	if l.Device != "" {
		ext = append(ext, map[string]string{"Name": "device", "Value": l.Device})
	}
	return map[string]any{
		"LogId":               l.ID,
		"AlertTime":           strconv.FormatInt(l.Time.UnixMilli(), 10),
		"RuleId":              l.RuleID,
		"RuleName":            l.RuleName,
		"Namespace":           l.Namespace,
		"MetricName":          l.Metric,
		"Product":             "ECS",
		"InstanceId":          l.InstanceID,
		"InstanceName":        l.Name,
		"GroupId":             "",
		"GroupName":           "",
		"Level":               l.Level,
		"LevelChange":         l.PrevLevel + "->" + l.Level,
		"SendStatus":          "0",
		"EventName":           l.EventName,
		"Message":             string(msg),
		"Escalation":          map[string]any{"Expression": l.Expression, "Level": l.Level, "Times": l.Times},
		"Dimensions":          l.dimensions(),
		"ExtendedInfo":        ext,
		"ContactGroups":       append([]string{}, l.ContactGroups...),
		"ContactMailList":     mails,
		"ContactSMSList":      sms,
		"ContactDingList":     []string{},
		"ContactOnCallList":   []string{},
		"ContactALIIWWList":   []string{},
		"DingdingWebhookList": ding,
		"WebhookList":         webhooks,
		"SendResultList":      []map[string]any{},
		"SendDetail":          map[string]any{"ResultCode": "200", "ChannelResultList": []map[string]any{}},
	}
}

// legacyLevel maps a level to the older API's names.
func legacyLevel(level string) string {
	switch level {
	case "P2":
		return "CRITICAL"
	case "P3":
		return "WARN"
	case "P4":
		return "INFO"
	}
	return level
}

// describeAlertHistoryList answers DescribeAlertHistoryList (the older
// API): the same history in AlarmHistoryList.AlarmHistory, Level as
// CRITICAL/WARN/INFO, State ALARM or OK, newest first unless Ascending,
// paged by Page/PageSize, Total a string.
func (s *Server) describeAlertHistoryList(r *request) (any, error) {
	c := s.store.cms
	start, end, err := timeRangeMs(r)
	if err != nil {
		return nil, err
	}
	asc, err := r.boolParam("Ascending", false)
	if err != nil {
		return nil, err
	}
	page, err := r.intParam("Page", 1)
	if err != nil || page < 1 {
		return nil, errCMS(400, "The specified parameter \"Page\" is not valid: %s.", r.str("Page"))
	}
	size, err := r.intParam("PageSize", pagingAlertLogs.pageSizeDefault)
	if err != nil || size < 1 {
		return nil, errCMS(400, "The specified parameter \"PageSize\" is not valid: %s.", r.str("PageSize"))
	}
	size = min(size, pagingAlertLogs.pageSizeMax)
	var list []*alertLog
	for _, l := range c.newestFirst() {
		ms := l.Time.UnixMilli()
		state := "ALARM"
		if l.Level == "OK" {
			state = "OK"
		}
		switch {
		case ms < start || ms > end,
			r.has("RuleId") && l.RuleID != r.str("RuleId"),
			r.has("RuleName") && !strings.Contains(l.RuleName, r.str("RuleName")),
			r.has("Namespace") && l.Namespace != r.str("Namespace"),
			r.has("MetricName") && l.Metric != r.str("MetricName"),
			r.has("State") && state != r.str("State"),
			r.has("Status") && r.str("Status") != "0":
			continue
		}
		list = append(list, l)
	}
	if asc {
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
	}
	items, _ := pageOf(list, pager{offset: (page - 1) * size, limit: size})
	out := make([]map[string]any, 0, len(items))
	for _, l := range items {
		names, mails, sms, _ := c.contactsOf(l.ContactGroups)
		state, level := "ALARM", legacyLevel(l.Level)
		if l.Level == "OK" {
			state, level = "OK", legacyLevel(l.PrevLevel)
		}
		dims, _ := json.Marshal(map[string]string{"userId": cmsUserID, "instanceId": l.InstanceID})
		out = append(out, map[string]any{
			"RuleId":          l.RuleID,
			"RuleName":        l.RuleName,
			"Namespace":       l.Namespace,
			"MetricName":      l.Metric,
			"Dimensions":      string(dims),
			"InstanceName":    l.Name,
			"Level":           level,
			"PreLevel":        legacyLevel(l.PrevLevel),
			"State":           state,
			"Status":          0,
			"Value":           l.valueString(),
			"Expression":      l.Expression,
			"EvaluationCount": l.Times,
			"AlertTime":       l.Time.UnixMilli(),
			"LastTime":        int64(0),
			"GroupId":         "",
			"Webhooks":        l.Webhook,
			"Contacts":        map[string]any{"Contact": names},
			"ContactGroups":   map[string]any{"ContactGroup": append([]string{}, l.ContactGroups...)},
			"ContactMails":    map[string]any{"ContactMail": mails},
			"ContactSmses":    map[string]any{"ContactSms": sms},
			"ContactALIIMs":   map[string]any{"ContactALIIM": []string{}},
		})
	}
	return map[string]any{
		"Code":             "200",
		"Success":          true,
		"Total":            strconv.Itoa(len(list)),
		"AlarmHistoryList": map[string]any{"AlarmHistory": out},
	}, nil
}
