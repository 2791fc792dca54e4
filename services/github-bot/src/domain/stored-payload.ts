/** Payloads larger than this (serialised, in characters) are stored trimmed. */
export const maxStoredPayloadChars = 1_000_000

/** Commits kept when a push payload is trimmed (GitHub sends up to 2048). */
const keptCommits = 20

/**
 * The payload as stored on the event row. A push naming thousands of commits can be megabytes;
 * the bot reads none of its commit list, so beyond {@link maxStoredPayloadChars} the list is cut
 * to its first commits (with `commits_omitted` saying how many went) and each commit's file
 * lists are dropped. Other payloads are stored as received.
 */
export function storedPayload(payload: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(payload).length <= maxStoredPayloadChars) return payload
  const commits = Array.isArray(payload.commits)
    ? (payload.commits as Record<string, unknown>[])
    : undefined
  if (commits === undefined) return payload
  return {
    ...payload,
    commits: commits
      .slice(0, keptCommits)
      .map(({ added: _a, removed: _r, modified: _m, ...commit }) => commit),
    commits_omitted: Math.max(0, commits.length - keptCommits),
  }
}
