package chart

import "time"

// Point is one sample of a metric: its time and value. A NaN value is a
// missing sample (a gap).
type Point struct {
	T time.Time
	V float64
}

// Ring is a fixed-capacity buffer of the most recent points of one series,
// oldest first. Its memory is allocated once by [NewRing] and never grows:
// adding to a full ring drops the oldest point.
//
// A Ring is not safe for concurrent use; the model that owns it (one Bubble
// Tea Update loop) should be its only user.
type Ring struct {
	buf   []Point
	start int // index of the oldest point
	n     int // number of points held
}

// NewRing returns an empty ring holding at most capacity points. A capacity
// below 1 is treated as 1.
func NewRing(capacity int) *Ring {
	return &Ring{buf: make([]Point, max(capacity, 1))}
}

// Add appends p as the newest point. Points must arrive in time order: a
// point whose T is before the newest point's is ignored, and a point with the
// same T replaces the newest point (CloudMonitor may revise the latest
// period's value when it is asked again).
func (r *Ring) Add(p Point) {
	if r.n > 0 {
		last := r.index(r.n - 1)
		switch {
		case p.T.Before(r.buf[last].T):
			return
		case p.T.Equal(r.buf[last].T):
			r.buf[last] = p
			return
		}
	}
	if r.n < len(r.buf) {
		r.buf[r.index(r.n)] = p
		r.n++
		return
	}
	r.buf[r.start] = p
	r.start = (r.start + 1) % len(r.buf)
}

// Points returns a copy of the held points, oldest first.
func (r *Ring) Points() []Point {
	out := make([]Point, r.n)
	k := copy(out, r.buf[r.start:min(r.start+r.n, len(r.buf))])
	copy(out[k:], r.buf[:r.n-k])
	return out
}

// Values appends the held values to dst, oldest first, and returns the
// extended slice. Passing the previous frame's slice as dst[:0] renders a
// sparkline without allocating.
func (r *Ring) Values(dst []float64) []float64 {
	for i := range r.n {
		dst = append(dst, r.buf[r.index(i)].V)
	}
	return dst
}

// Last returns the newest point, and false when the ring is empty.
func (r *Ring) Last() (Point, bool) {
	if r.n == 0 {
		return Point{}, false
	}
	return r.buf[r.index(r.n-1)], true
}

// Len is the number of points held.
func (r *Ring) Len() int { return r.n }

// Cap is the most points the ring holds.
func (r *Ring) Cap() int { return len(r.buf) }

// index maps the i-th oldest point to its slot in buf.
func (r *Ring) index(i int) int { return (r.start + i) % len(r.buf) }
