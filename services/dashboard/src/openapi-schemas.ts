/** The schemas of the account API's OpenAPI document (see openapi.ts). */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** A required path parameter. */
export const idParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
})
/** A browser sign-in step that answers with a redirect. */
export const browserRedirect = (summary: string) => ({
  get: {
    summary,
    security: [],
    responses: { '302': { description: 'Redirect (to the provider, or back to `/`)' } },
  },
})

/** The Pinning API's `GET /pins` query parameters. */
export const pinStatusQuery = [
  ['cid', 'Comma-separated CIDs (at most 10)'],
  ['name', 'Name filter (see `match`)'],
  ['match', 'exact, iexact, partial or ipartial'],
  ['status', 'Comma-separated: queued, pinning, pinned, failed (default: pinned)'],
  ['before', 'Pins created before this time (ISO 8601)'],
  ['after', 'Pins created after this time (ISO 8601)'],
  ['limit', '1 to 1000, default 10'],
].map(([name, description]) => ({ name, in: 'query', description, schema: { type: 'string' } }))

export const openApiSchemas = {
  Failure: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['reason'],
        properties: { reason: { type: 'string' }, details: { type: 'string' } },
      },
    },
  },
  User: {
    type: 'object',
    required: ['id', 'email', 'displayName', 'role'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      email: { type: 'string' },
      displayName: { type: 'string' },
      role: { enum: ['user', 'admin'] },
    },
  },
  Session: {
    type: 'object',
    required: ['user', 'csrfToken', 'signUpOpen', 'providers'],
    properties: {
      user: { oneOf: [ref('User'), { type: 'null' }] },
      csrfToken: { type: 'string' },
      signUpOpen: { type: 'boolean' },
      providers: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'label', 'url'],
          properties: {
            id: { type: 'string', description: '`github` or `oidc:<name>`' },
            label: { type: 'string' },
            url: { type: 'string' },
          },
        },
      },
    },
  },
  Token: {
    type: 'object',
    required: ['id', 'name', 'scopes', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      scopes: { type: 'array', items: { type: 'string' } },
      createdAt: { type: 'string', format: 'date-time' },
      expiresAt: { type: ['string', 'null'], format: 'date-time' },
      lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
      revokedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Pin: {
    type: 'object',
    required: ['cid'],
    properties: {
      cid: { type: 'string' },
      name: { type: 'string', maxLength: 255 },
      origins: { type: 'array', items: { type: 'string' } },
      meta: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  PinStatus: {
    type: 'object',
    required: ['requestid', 'status', 'created', 'pin', 'delegates'],
    properties: {
      requestid: { type: 'string' },
      status: { enum: ['queued', 'pinning', 'pinned', 'failed'] },
      created: { type: 'string', format: 'date-time' },
      pin: ref('Pin'),
      delegates: { type: 'array', items: { type: 'string' } },
      info: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  PinEvent: {
    type: 'object',
    required: ['requestid', 'status', 'cid'],
    properties: {
      requestid: { type: 'string' },
      status: { enum: ['queued', 'pinning', 'pinned', 'failed'] },
      cid: { type: 'string' },
      dagSize: { type: 'integer' },
      info: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  Installation: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      accountLogin: { type: 'string' },
      accountType: { type: 'string' },
      repositories: { type: 'array', items: { type: 'string' } },
    },
  },
  WebhookEvent: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      deliveryId: { type: 'string' },
      event: { type: 'string' },
      action: { type: ['string', 'null'] },
      repository: { type: ['string', 'null'] },
      status: { enum: ['received', 'queued', 'processing', 'succeeded', 'failed', 'ignored'] },
      messages: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            at: { type: 'string' },
            level: { type: 'string' },
            text: { type: 'string' },
          },
        },
      },
      createdAt: { type: 'string', format: 'date-time' },
      processedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Usage: {
    type: 'object',
    properties: {
      days: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            date: { type: 'string', format: 'date' },
            storedBytes: { type: 'integer' },
            pinCount: { type: 'integer' },
            gatewayBytes: { type: 'integer' },
          },
        },
      },
      totals: {
        type: 'object',
        properties: {
          storedBytes: { type: 'integer' },
          pinCount: { type: 'integer' },
          gatewayBytesThisMonth: { type: 'integer' },
        },
      },
      limits: {
        type: 'object',
        properties: {
          maxPins: { type: ['integer', 'null'] },
          maxStoredBytes: { type: ['integer', 'null'] },
          maxGatewayBytesPerMonth: { type: ['integer', 'null'] },
        },
      },
    },
  },
} as const
