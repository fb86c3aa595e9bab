package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// pageLimits are one API's documented paging bounds. The legacy style is
// PageNumber (from 1) + PageSize; the newer one NextToken + MaxResults. An
// API without token paging has maxResultsMax 0; one without page numbers
// (DescribeInstanceTypes) has pageSizeMax 0.
type pageLimits struct {
	pageSizeDefault, pageSizeMax int

	maxResultsDefault, maxResultsMin, maxResultsMax int
}

// Per-API limits (aliyun-api-notes.md §3).
var (
	pagingInstances      = pageLimits{pageSizeDefault: 10, pageSizeMax: 100, maxResultsDefault: 10, maxResultsMin: 10, maxResultsMax: 100}
	pagingInstanceStatus = pageLimits{pageSizeDefault: 10, pageSizeMax: 50}
	pagingDisks          = pageLimits{pageSizeDefault: 10, pageSizeMax: 100, maxResultsDefault: 10, maxResultsMin: 10, maxResultsMax: 500}
	pagingImages         = pageLimits{pageSizeDefault: 10, pageSizeMax: 100}
	pagingSnapshots      = pageLimits{pageSizeDefault: 10, pageSizeMax: 100, maxResultsDefault: 10, maxResultsMin: 1, maxResultsMax: 100}
	pagingPolicies       = pageLimits{pageSizeDefault: 10, pageSizeMax: 100}
	pagingSecurityGroups = pageLimits{pageSizeDefault: 10, pageSizeMax: 50, maxResultsDefault: 10, maxResultsMin: 1, maxResultsMax: 100}
	pagingSGRules        = pageLimits{maxResultsDefault: 500, maxResultsMin: 10, maxResultsMax: 1000}
	pagingKeyPairs       = pageLimits{pageSizeDefault: 10, pageSizeMax: 50}
	pagingInstanceTypes  = pageLimits{maxResultsDefault: 1600, maxResultsMin: 1, maxResultsMax: 1600}
)

// pager is a resolved page request: which slice of the (sorted, filtered)
// result to answer, and what to echo back.
type pager struct {
	offset, limit int
	token         bool // NextToken/MaxResults style
	PageNumber    int
	PageSize      int
}

// pager reads PageNumber/PageSize or NextToken/MaxResults within l. If
// NextToken or MaxResults is sent (and the API has token paging), the legacy
// parameters are ignored, as the real service does. Sizes above the maximum
// are clamped; non-positive values are refused.
func (r *request) pager(l pageLimits) (pager, error) {
	tokenMode := l.maxResultsMax > 0 && (r.has("NextToken") || r.has("MaxResults") || l.pageSizeMax == 0)
	if tokenMode {
		n, err := r.intParam("MaxResults", l.maxResultsDefault)
		if err != nil {
			return pager{}, err
		}
		if n < 0 {
			return pager{}, errInvalidParam("MaxResults", "must be positive")
		}
		n = max(min(n, l.maxResultsMax), l.maxResultsMin)
		offset := 0
		if tok := r.str("NextToken"); tok != "" {
			offset, err = decodeNextToken(tok)
			if err != nil {
				return pager{}, err
			}
		}
		return pager{offset: offset, limit: n, token: true, PageNumber: offset/n + 1, PageSize: n}, nil
	}
	num, err := r.intParam("PageNumber", 1)
	if err != nil {
		return pager{}, err
	}
	if num < 1 {
		return pager{}, errInvalidParam("PageNumber", "must be 1 or greater")
	}
	size, err := r.intParam("PageSize", l.pageSizeDefault)
	if err != nil {
		return pager{}, err
	}
	if size < 1 {
		return pager{}, errInvalidParam("PageSize", fmt.Sprintf("must be between 1 and %d", l.pageSizeMax))
	}
	size = min(size, l.pageSizeMax)
	return pager{offset: (num - 1) * size, limit: size, PageNumber: num, PageSize: size}, nil
}

// pageOf cuts one page out of items and returns the NextToken for the rest
// ("" when this is the last page).
func pageOf[T any](items []T, p pager) (page []T, nextToken string) {
	start := min(p.offset, len(items))
	end := min(start+p.limit, len(items))
	if end < len(items) {
		nextToken = encodeNextToken(end)
	}
	return items[start:end], nextToken
}

// NextToken is opaque to callers: 16 hex digits of offset and 16 of a
// checksum, so a token that was not issued here is refused.
const nextTokenKey = "ecsdash-emulator-next-token"

func encodeNextToken(offset int) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(offset))
	sum := sha256.Sum256(append([]byte(nextTokenKey), b[:8]...))
	copy(b[8:], sum[:8])
	return hex.EncodeToString(b[:])
}

func decodeNextToken(tok string) (int, error) {
	b, err := hex.DecodeString(tok)
	if err != nil || len(b) != 16 {
		return 0, errInvalidNextToken()
	}
	sum := sha256.Sum256(append([]byte(nextTokenKey), b[:8]...))
	if hex.EncodeToString(sum[:8]) != hex.EncodeToString(b[8:]) {
		return 0, errInvalidNextToken()
	}
	off := binary.BigEndian.Uint64(b[:8])
	if off > 1<<31 {
		return 0, errInvalidNextToken()
	}
	return int(off), nil
}

func errInvalidNextToken() *APIError {
	return &APIError{Status: 400, Code: "InvalidParameter.NextToken", Message: "The specified parameter \"NextToken\" is not valid."}
}
