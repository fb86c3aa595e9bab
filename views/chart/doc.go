// Package chart draws metric history for the terminal: a [Ring] that keeps
// the last N samples of a metric in fixed memory, a one-row [Sparkline] for
// table cells, and a braille [LineChart] for detail panes. Everything here is
// a pure function of its inputs (no package state, no clock, no terminal
// queries), so the same data always renders to the same string and golden
// tests stay stable.
//
// Choices, and why:
//
//   - Sparklines use the eight block elements ▁▂▃▄▅▆▇█ and bin a value into
//     eighths of [min, max]; a missing sample (NaN) is a blank cell so gaps
//     read as gaps, never as a low value (the lowest block is ▁, not blank).
//     Auto-scaling keeps zero at the bottom when the data is non-negative:
//     a sparkline has no axis, and scaling 1.10–1.12 Mbit/s to full height
//     would make noise look like spikes.
//   - [SparklineStyled] colours each cell by its own value, not the whole
//     line by the latest value: a sparkline is history, and a CPU spike to
//     95 % ten minutes ago should stay red where it happened even when the
//     instance is idle now. Consecutive cells with the same style are
//     written as one run, each distinct style is rendered by lipgloss once
//     per call and plain runs carry no escape sequences.
//   - The line chart plots with braille dots (2x4 per cell, as drawille
//     does): four times the vertical resolution of block characters, and
//     lines can be joined point to point. When there are more samples than
//     dot columns, each column keeps the maximum of its samples, because the
//     metrics charted (CPU, network, load) are spiky and an average would
//     hide exactly the peak an operator is looking for.
//   - The y axis has 2-5 labels (5 from 7 plot rows up) at nice steps of 1, 2,
//     2.5 or 5 x 10^k, quarters only where every label stays exact; an
//     automatic range starts at zero (or below, for negative data) and
//     grows to include the threshold line. The x axis labels 3-5 round
//     local times: "15:04" up to 36 hours, "Mon 02" beyond.
//   - A gap (NaN, or two samples further apart than twice the period) breaks
//     the line instead of drawing a slope across missing data.
//   - The chart never returns a line wider than Width or more lines than
//     Height, whatever the input; below 20x5 it collapses to a one-line
//     summary rather than drawing an unreadable frame.
//   - Colours come only from [theme.Theme]: axes, labels and the threshold
//     line are Muted, the title is Header, data cells are coloured by a
//     level function (by default [theme.Theme.Level] for percentages).
package chart
