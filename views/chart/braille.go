package chart

// brailleBase is the blank braille pattern; a cell's rune is brailleBase plus
// the bits of its raised dots.
const brailleBase = 0x2800

// brailleBit is the bit of the dot at column x (0, 1), row y (0..3, top
// first) of a braille cell, in Unicode's dot numbering: dots 1-3 and 4-6 are
// the two columns' upper three rows, dots 7 and 8 the bottom row.
func brailleBit(x, y int) uint8 {
	if y == 3 {
		return 0x40 << x
	}
	return 1 << (y + 3*x)
}

// canvas is a grid of w x h braille cells, addressed in dots: 2w columns by
// 4h rows, y = 0 at the top. It remembers, per cell, the highest dot raised,
// so the chart can colour a cell by how high the line reaches in it.
type canvas struct {
	w, h int
	bits []uint8
	top  []int32 // highest (smallest y) dot raised in the cell; -1 when none
}

func newCanvas(w, h int) *canvas {
	c := &canvas{w: w, h: h, bits: make([]uint8, w*h), top: make([]int32, w*h)}
	for i := range c.top {
		c.top[i] = -1
	}
	return c
}

// dotsW and dotsH are the canvas size in dots.
func (c *canvas) dotsW() int { return 2 * c.w }
func (c *canvas) dotsH() int { return 4 * c.h }

// set raises the dot at (x, y); dots outside the canvas are ignored.
func (c *canvas) set(x, y int) {
	if x < 0 || y < 0 || x >= 2*c.w || y >= 4*c.h {
		return
	}
	i := (y/4)*c.w + x/2
	c.bits[i] |= brailleBit(x%2, y%4)
	if c.top[i] < 0 || int32(y) < c.top[i] {
		c.top[i] = int32(y)
	}
}

// line raises the dots from (x0, y0) to (x1, y1), both ends included
// (Bresenham).
func (c *canvas) line(x0, y0, x1, y1 int) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		c.set(x0, y0)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

// cell returns the dot bits of cell (cx, cy) and its highest raised dot row
// (-1 when the cell is blank).
func (c *canvas) cell(cx, cy int) (uint8, int) {
	i := cy*c.w + cx
	return c.bits[i], int(c.top[i])
}

// brailleRune is the character for a cell's dot bits.
func brailleRune(bits uint8) rune { return rune(brailleBase + int(bits)) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
