import { useState } from 'react'
import type { Usage } from '../api/types.js'
import { ErrorMessage } from '../components/error-message.js'
import { TimeChart } from '../components/time-chart.js'
import { formatBytes } from '../lib/format.js'
import { useApi } from '../lib/use-api.js'

const RANGES = [7, 30, 90] as const
const count = (value: number) => value.toLocaleString()

/** Stored bytes, pin count and gateway bandwidth per day, against the account's limits. */
export function UsagePage() {
  const [days, setDays] = useState<number>(30)
  const usage = useApi<Usage>(`/api/account/usage?days=${days}`)
  const data = usage.data
  const limit = (value: number | null, format: (v: number) => string) =>
    value === null ? 'no limit' : `of ${format(value)}`

  return (
    <section>
      <h1 tabIndex={-1}>Usage</h1>
      <label className="inline">
        Period{' '}
        <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
          {RANGES.map((range) => (
            <option key={range} value={range}>
              last {range} days
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={usage.error} />
      {data ? (
        <>
          <dl className="totals">
            <div>
              <dt>Stored</dt>
              <dd>
                {formatBytes(data.totals.storedBytes)}{' '}
                <span className="hint">{limit(data.limits.maxStoredBytes, formatBytes)}</span>
              </dd>
            </div>
            <div>
              <dt>Pins</dt>
              <dd>
                {count(data.totals.pinCount)}{' '}
                <span className="hint">{limit(data.limits.maxPins, count)}</span>
              </dd>
            </div>
            <div>
              <dt>Gateway this month</dt>
              <dd>
                {formatBytes(data.totals.gatewayBytesThisMonth)}{' '}
                <span className="hint">
                  {limit(data.limits.maxGatewayBytesPerMonth, formatBytes)}
                </span>
              </dd>
            </div>
          </dl>
          <div className="charts">
            <TimeChart
              title="Stored bytes"
              format={formatBytes}
              points={data.days.map((day) => ({ date: day.date, value: day.storedBytes }))}
            />
            <TimeChart
              title="Pins"
              format={count}
              points={data.days.map((day) => ({ date: day.date, value: day.pinCount }))}
            />
            <TimeChart
              title="Gateway bandwidth"
              format={formatBytes}
              points={data.days.map((day) => ({ date: day.date, value: day.gatewayBytes }))}
            />
          </div>
        </>
      ) : null}
    </section>
  )
}
