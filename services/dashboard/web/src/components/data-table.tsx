import type { ReactNode } from 'react'

/**
 * A scrollable table whose last column holds each row's buttons: the column headers, then the
 * rows (`<tr>` elements). The actions column is named for screen readers only.
 */
export function DataTable({
  columns,
  className,
  children,
}: {
  columns: readonly string[]
  className?: string
  children: ReactNode
}) {
  return (
    <div className="table-wrap">
      <table className={className}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
