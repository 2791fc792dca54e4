import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { formatBytes } from '../lib/format.js'
import { TimeChart } from './time-chart.js'

const points = [
  { date: '2026-11-01', value: 0 },
  { date: '2026-11-02', value: 1024 },
  { date: '2026-11-03', value: 512 },
]

describe('TimeChart', () => {
  it('draws one point per day, scaled to the highest value, with a readable summary', () => {
    const html = renderToStaticMarkup(
      <TimeChart title="Stored" points={points} format={formatBytes} />,
    )
    expect(html).toContain('aria-label="Stored: 512 B on 2026-11-03, highest 1.0 KiB over 3 days"')
    // 600 wide less 8 px padding each side; 160 high less 12 top and 24 bottom: x 8/300/592, y 136/12/74.
    expect(html).toContain('points="8,136 300,12 592,74"')
    // The same figures as a table for screen readers and copying.
    expect(html).toContain('<td>2026-11-02</td><td>1.0 KiB</td>')
  })

  it('draws a flat line at zero rather than dividing by zero', () => {
    const html = renderToStaticMarkup(
      <TimeChart title="Pins" points={[{ date: '2026-11-01', value: 0 }]} format={String} />,
    )
    expect(html).toContain('points="300,136"')
  })

  it('says there is no data for an empty series', () => {
    const html = renderToStaticMarkup(<TimeChart title="Pins" points={[]} format={String} />)
    expect(html).toContain('aria-label="Pins: no data"')
    expect(html).not.toContain('<polyline')
  })
})
