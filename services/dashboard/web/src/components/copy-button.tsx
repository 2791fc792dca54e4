import { useState } from 'react'

/** Copies `text` to the clipboard and says so (to screen readers too, via the live region). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>()
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }
  return (
    <>
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      <span aria-live="polite" className="hint">
        {copied === 'yes'
          ? ' Copied.'
          : copied === 'failed'
            ? ' Copy failed; select the text.'
            : ''}
      </span>
    </>
  )
}
