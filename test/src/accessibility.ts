import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
let axeSource: string | undefined

export interface Violation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly targets: readonly string[]
}

/**
 * Runs axe-core (Deque's WCAG rules engine) on the page as it is now: WCAG 2.x A and AA, which
 * includes labels, names of buttons and links, landmarks and colour contrast. It is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not restrict, so the
 * test keeps the CSP the app is served with.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  axeSource ??= await readFile(axePath, 'utf8')
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }))
  })
}

/**
 * How far the page scrolls sideways (its width in CSS pixels) and the first elements that reach
 * past `viewport`, to name the culprit when a page is too wide for a phone.
 */
export function pageWidth(
  page: Page,
  viewport: number,
): Promise<{ width: number; widest: string[] }> {
  return page.evaluate((limit) => {
    const widest = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > limit + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
      .slice(0, 5)
    return { width: document.documentElement.scrollWidth, widest }
  }, viewport)
}

// The functions above run in Chromium; these are the few page globals they use (the tests'
// TypeScript project has no DOM library, and this keeps it that way).
interface PageElement {
  readonly tagName: string
  readonly className: string
  getBoundingClientRect(): { right: number }
}
declare const document: {
  readonly documentElement: { readonly scrollWidth: number }
  querySelectorAll(selector: string): Iterable<PageElement>
}
declare const window: {
  readonly axe: { run(context: unknown, options: unknown): Promise<AxeResults> }
}

interface AxeResults {
  violations: {
    id: string
    impact: string | null
    help: string
    nodes: { target: string[] }[]
  }[]
}
