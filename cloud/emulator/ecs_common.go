package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Helpers shared by the ECS read handlers.

// wildcardMatch reports whether s matches pattern, where * stands for any run
// of characters (InstanceName, KeyPairName fuzzy filters).
func wildcardMatch(pattern, s string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == s
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, last)
}

// tagFilter is one Tag.N.Key / Tag.N.Value pair; an empty Value matches any
// value of the key.
type tagFilter struct{ key, value string }

// tagFilters reads Tag.1.Key ... Tag.20.Key.
func (r *request) tagFilters() ([]tagFilter, error) {
	var out []tagFilter
	for i := 1; i <= 21; i++ {
		k, v := r.str(fmt.Sprintf("Tag.%d.Key", i)), r.str(fmt.Sprintf("Tag.%d.Value", i))
		if k == "" && v == "" {
			continue
		}
		if i > 20 {
			return nil, &APIError{Status: 400, Code: "InvalidTagCount", Message: "The specified tags are beyond the permitted range."}
		}
		if k == "" {
			return nil, &APIError{Status: 400, Code: "InvalidTagKey.Malformed", Message: "The specified Tag.n.Key is not valid."}
		}
		out = append(out, tagFilter{k, v})
	}
	return out, nil
}

func matchTags(tags map[string]string, filters []tagFilter) bool {
	for _, f := range filters {
		v, ok := tags[f.key]
		if !ok || (f.value != "" && v != f.value) {
			return false
		}
	}
	return true
}

// ecsTag is one element of a Tags.Tag[] list; the SDK structs read either
// TagKey/TagValue or Key/Value depending on the API, so both are sent.
type ecsTag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
	Key      string `json:"Key"`
	Value    string `json:"Value"`
}

type ecsTags struct {
	Tag []ecsTag `json:"Tag"`
}

func tagsJSON(tags map[string]string) ecsTags {
	out := ecsTags{Tag: []ecsTag{}}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out.Tag = append(out.Tag, ecsTag{TagKey: k, TagValue: tags[k], Key: k, Value: tags[k]})
	}
	return out
}

// enumParam validates a parameter against its allowed values (exact case);
// "" is returned when it is absent.
func (r *request) enumParam(name string, allowed []string, code string, status int) (string, error) {
	v := r.str(name)
	if v == "" || slices.Contains(allowed, v) {
		return v, nil
	}
	if code == "" {
		return "", errInvalidParam(name, "must be one of "+strings.Join(allowed, ", "))
	}
	return "", &APIError{Status: status, Code: code, Message: fmt.Sprintf("The specified %s %q is not valid.", name, v)}
}

// newestFirst orders by creation time descending, then id, as the list APIs
// answer.
func newestFirst(at1, at2 time.Time, id1, id2 string) int {
	if c := at2.Compare(at1); c != 0 {
		return c
	}
	return strings.Compare(id1, id2)
}

// idSet turns a JSON-array id filter into a set (nil when not sent).
func idSet(list []string, present bool) map[string]bool {
	if !present {
		return nil
	}
	m := make(map[string]bool, len(list))
	for _, id := range list {
		m[id] = true
	}
	return m
}

// nonNil makes a nil slice marshal as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
