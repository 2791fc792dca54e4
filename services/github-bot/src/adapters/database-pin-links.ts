import type { Database, Prisma } from '@pinion/db'
import type {
  DirectoryPinLink,
  GithubPinLink,
  GithubPinLinks,
  ReleasePinLink,
} from '../domain/github-pin-links.js'

interface Row {
  pinId: string
  kind: 'directory' | 'release_asset'
  installationId: bigint
  repository: string
  deliveryId: string
  cid: string
  sha: string | null
  branch: string | null
  path: string | null
  context: string | null
  tag: string | null
  fileName: string | null
}

function toLink(row: Row): GithubPinLink {
  const common = {
    pinId: row.pinId,
    installationId: Number(row.installationId),
    repository: row.repository,
    deliveryId: row.deliveryId,
    cid: row.cid,
  }
  if (row.kind === 'release_asset') {
    return { kind: 'release_asset', ...common, tag: row.tag ?? '', fileName: row.fileName ?? '' }
  }
  return {
    kind: 'directory',
    ...common,
    sha: row.sha ?? '',
    branch: row.branch ?? '',
    path: row.path ?? '.',
    context: row.context ?? 'pinion/ipfs',
  }
}

/** The bot's pins on Postgres (`github_pins`). */
export function createDatabasePinLinks(database: Database): GithubPinLinks {
  const table = database.prisma.githubPin
  /** The newest link matching `where` (a re-run finds what an earlier run made). */
  const latest = async (where: Prisma.GithubPinWhereInput) => {
    const row = await table.findFirst({ where, orderBy: { createdAt: 'desc' } })
    return row === null ? undefined : toLink(row)
  }
  return {
    async add(link) {
      await table.create({
        data: {
          pinId: link.pinId,
          kind: link.kind,
          installationId: BigInt(link.installationId),
          repository: link.repository,
          deliveryId: link.deliveryId,
          cid: link.cid,
          ...(link.kind === 'directory'
            ? {
                sha: link.sha,
                branch: link.branch,
                path: link.path,
                context: link.context,
                statusState: 'pending',
              }
            : { tag: link.tag, fileName: link.fileName }),
        },
      })
    },
    async find(pinId) {
      const row = await table.findUnique({ where: { pinId } })
      return row === null ? undefined : toLink(row)
    },
    async findDirectory(where) {
      const { repository, sha, path } = where
      return (await latest({ kind: 'directory', repository, sha, path })) as
        DirectoryPinLink | undefined
    },
    async findReleaseFile(where) {
      const { repository, tag, fileName } = where
      return (await latest({ kind: 'release_asset', repository, tag, fileName })) as
        ReleasePinLink | undefined
    },
    async setStatusState(pinId, state) {
      await table.updateMany({ where: { pinId }, data: { statusState: state } })
    },
    async beyondNewest(where, keep) {
      const rows = await table.findMany({
        where: {
          kind: 'directory',
          repository: where.repository,
          branch: where.branch,
          path: where.path,
        },
        orderBy: [{ createdAt: 'desc' }, { pinId: 'desc' }],
        skip: keep,
      })
      return rows.map((row) => toLink(row) as DirectoryPinLink)
    },
    async remove(pinId) {
      await table.deleteMany({ where: { pinId } })
    },
  }
}
