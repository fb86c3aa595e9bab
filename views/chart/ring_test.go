package chart

import (
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)

// at is the point i minutes after t0.
func at(i int, v float64) Point { return Point{T: t0.Add(time.Duration(i) * time.Minute), V: v} }

func values(ps []Point) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = p.V
	}
	return out
}

func TestRingEmpty(t *testing.T) {
	r := NewRing(4)
	if r.Len() != 0 || r.Cap() != 4 {
		t.Fatalf("Len, Cap = %d, %d; want 0, 4", r.Len(), r.Cap())
	}
	if p, ok := r.Last(); ok || p != (Point{}) {
		t.Errorf("Last() = %v, %v; want zero, false", p, ok)
	}
	if ps := r.Points(); len(ps) != 0 {
		t.Errorf("Points() = %v; want empty", ps)
	}
	if vs := r.Values(nil); len(vs) != 0 {
		t.Errorf("Values() = %v; want empty", vs)
	}
}

func TestRingCapacityAtLeastOne(t *testing.T) {
	for _, c := range []int{0, -3} {
		r := NewRing(c)
		r.Add(at(0, 1))
		r.Add(at(1, 2))
		if r.Cap() != 1 || r.Len() != 1 {
			t.Errorf("NewRing(%d): Cap, Len = %d, %d; want 1, 1", c, r.Cap(), r.Len())
		}
		if p, _ := r.Last(); p.V != 2 {
			t.Errorf("NewRing(%d): Last = %v; want the newest point", c, p)
		}
	}
}

func TestRingWrapAround(t *testing.T) {
	r := NewRing(3)
	for i := range 8 {
		r.Add(at(i, float64(i)))
		want := []float64{}
		for j := max(0, i-2); j <= i; j++ {
			want = append(want, float64(j))
		}
		if got := values(r.Points()); !slices.Equal(got, want) {
			t.Fatalf("after %d adds: Points = %v; want %v (oldest first)", i+1, got, want)
		}
		if got := r.Values(nil); !slices.Equal(got, want) {
			t.Fatalf("after %d adds: Values = %v; want %v", i+1, got, want)
		}
		if p, ok := r.Last(); !ok || p != at(i, float64(i)) {
			t.Fatalf("after %d adds: Last = %v, %v", i+1, p, ok)
		}
		if r.Len() != min(i+1, 3) {
			t.Fatalf("after %d adds: Len = %d", i+1, r.Len())
		}
	}
}

func TestRingTimeOrder(t *testing.T) {
	r := NewRing(4)
	r.Add(at(0, 1))
	r.Add(at(2, 2))
	r.Add(at(1, 99)) // before the newest: ignored
	r.Add(at(2, 3))  // same time as the newest: replaces it
	r.Add(at(3, 4))
	want := []Point{at(0, 1), at(2, 3), at(3, 4)}
	if got := r.Points(); !slices.Equal(got, want) {
		t.Errorf("Points = %v; want %v", got, want)
	}
}

func TestRingReplaceAfterWrap(t *testing.T) {
	r := NewRing(2)
	for i := range 5 {
		r.Add(at(i, float64(i)))
	}
	r.Add(at(4, 40))
	if got, want := values(r.Points()), []float64{3, 40}; !slices.Equal(got, want) {
		t.Errorf("Points = %v; want %v", got, want)
	}
}

func TestRingPointsIsACopy(t *testing.T) {
	r := NewRing(3)
	r.Add(at(0, 1))
	r.Add(at(1, 2))
	ps := r.Points()
	ps[0].V = 100
	if got := r.Points()[0].V; got != 1 {
		t.Errorf("changing the slice Points returned changed the ring: %v", got)
	}
}

func TestRingFixedMemory(t *testing.T) {
	const capacity = 60
	r := NewRing(capacity)
	i := 0
	allocs := testing.AllocsPerRun(10*capacity, func() {
		r.Add(at(i, float64(i)))
		i++
	})
	if allocs != 0 {
		t.Errorf("Add allocates %.1f times per call; want 0", allocs)
	}
	if len(r.buf) != capacity || cap(r.buf) != capacity {
		t.Errorf("buffer len, cap = %d, %d after %d adds; want %d", len(r.buf), cap(r.buf), i, capacity)
	}
	if r.Len() != capacity || r.Cap() != capacity {
		t.Errorf("Len, Cap = %d, %d; want %d", r.Len(), r.Cap(), capacity)
	}
	dst := make([]float64, 0, capacity)
	if a := testing.AllocsPerRun(100, func() { dst = r.Values(dst[:0]) }); a != 0 {
		t.Errorf("Values into a big enough slice allocates %.1f times; want 0", a)
	}
	if got := dst[len(dst)-1]; got != float64(i-1) {
		t.Errorf("newest value = %v; want %d", got, i-1)
	}
}
