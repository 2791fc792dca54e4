// A small SVG area chart of one series per day. Our own rather than a chart library: the usage page
// needs three static daily series with two axis labels each, which is ~80 lines here against a
// 40+ kB dependency (uPlot, Chart.js) whose canvas output screen readers cannot read.

export interface Point {
  readonly date: string
  readonly value: number
}

interface TimeChartProps {
  readonly title: string
  readonly points: readonly Point[]
  readonly format: (value: number) => string
}

const WIDTH = 600
const HEIGHT = 160
const PAD = { top: 12, right: 8, bottom: 24, left: 8 }

export function TimeChart({ title, points, format }: TimeChartProps) {
  const max = Math.max(0, ...points.map((point) => point.value))
  const innerWidth = WIDTH - PAD.left - PAD.right
  const innerHeight = HEIGHT - PAD.top - PAD.bottom
  const x = (index: number) =>
    PAD.left + (points.length <= 1 ? innerWidth / 2 : (index * innerWidth) / (points.length - 1))
  const y = (value: number) => PAD.top + innerHeight - (max === 0 ? 0 : (value / max) * innerHeight)
  const line = points.map((point, index) => `${x(index)},${y(point.value)}`).join(' ')
  const baseline = PAD.top + innerHeight
  const area =
    points.length > 0
      ? `M${x(0)},${baseline} L${line.replaceAll(' ', ' L')} L${x(points.length - 1)},${baseline} Z`
      : ''
  const first = points[0]
  const last = points.at(-1)
  const summary = last
    ? `${title}: ${format(last.value)} on ${last.date}, highest ${format(max)} over ${points.length} days`
    : `${title}: no data`

  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong> <span className="hint">{last ? format(last.value) : '—'}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="none"
      >
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={baseline} y2={baseline} className="axis" />
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top} y2={PAD.top} className="grid" />
        {area ? <path d={area} className="area" /> : null}
        {points.length > 0 ? <polyline points={line} className="line" /> : null}
      </svg>
      <div className="chart-labels hint">
        <span>{first?.date ?? ''}</span>
        <span>max {format(max)}</span>
        <span>{last?.date ?? ''}</span>
      </div>
      <details>
        <summary>Data</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">{title}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.date}>
                  <td>{point.date}</td>
                  <td>{format(point.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
