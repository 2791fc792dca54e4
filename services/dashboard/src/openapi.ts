/**
 * The account API as OpenAPI 3.1, served at `GET /api/account/openapi.json`. A test checks that
 * every route the router has is documented here (and nothing else), so the two cannot drift.
 */

import { browserRedirect, idParam, openApiSchemas, pinStatusQuery } from './openapi-schemas.js'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object) => ({ 'application/json': { schema } })
const ok = (description: string, schema?: object) =>
  schema === undefined ? { description } : { description, content: json(schema) }
const failure = (description: string) => ({ description, content: json(ref('Failure')) })
/** 429 RATE_LIMITED, with the seconds to wait in `Retry-After`. */
const throttled = (description: string) => ({
  ...failure(`${description} (RATE_LIMITED)`),
  headers: { 'Retry-After': { schema: { type: 'integer' } } },
})

/** Answers every signed-in route may give besides its own. */
const signedInErrors = {
  '401': failure('Not signed in (UNAUTHORIZED)'),
}
const changeErrors = {
  ...signedInErrors,
  '403': failure('Missing or wrong X-CSRF-Token (CSRF_FAILED)'),
}
const notFound = { '404': failure("No such resource, or another user's (NOT_FOUND)") }
const badRequest = { '400': failure('Invalid input (BAD_REQUEST), details say what') }
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Pinion account API',
    version: '1.0.0',
    description:
      'What the dashboard web app uses. Authentication is the `pinion.sid` session cookie; every ' +
      'POST/PUT/PATCH/DELETE must send `X-CSRF-Token` with the token from `GET /session` (it changes ' +
      'at sign-in and sign-out). Errors are the Pinning API `Failure` body. Related browser routes ' +
      'outside this prefix, with the same session and CSRF rules: `POST /upload/web/?name=` (same ' +
      'answers as `/upload/api/v1/`), `GET /gateway/web/ipfs/{cid}/…` (content), and the prover ' +
      "service's whole API under `/prover/web/v1/…` (challenge keys: `GET /challenge-keys`, " +
      '`POST /challenge-key`, `DELETE /challenge-key/{id}`, `GET /setup?key_id=` with ' +
      '`client_setup` and tagged roots; `POST/GET /tag`; `POST /register`), as documented in ' +
      'docs of the prover.',
  },
  servers: [{ url: '/api/account' }],
  security: [{ session: [] }],
  paths: {
    '/session': {
      get: {
        summary: 'The signed-in user (or null), the CSRF token, and the sign-in options',
        security: [],
        responses: { '200': ok('Always, signed in or not', ref('Session')) },
      },
    },
    '/signup': {
      post: {
        summary: 'Creates an account with e-mail and password and signs it in',
        security: [],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['email', 'password'],
            properties: {
              email: { type: 'string', format: 'email' },
              password: { type: 'string', minLength: 8 },
              displayName: { type: 'string' },
            },
          }),
        },
        responses: {
          '201': ok('Signed in', { type: 'object', properties: { user: ref('User') } }),
          ...badRequest,
          '403': failure('Sign-up closed (SIGNUP_CLOSED) or no CSRF token (CSRF_FAILED)'),
          '409': failure('The e-mail has an account (CONFLICT)'),
          '429': throttled('Too many sign-ups from this address'),
        },
      },
    },
    '/signin': {
      post: {
        summary: 'Signs in with e-mail and password (a new session id)',
        security: [],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['email', 'password'],
            properties: { email: { type: 'string' }, password: { type: 'string' } },
          }),
        },
        responses: {
          '200': ok('Signed in', { type: 'object', properties: { user: ref('User') } }),
          ...badRequest,
          '401': failure('Wrong e-mail or password'),
          '403': failure('No CSRF token (CSRF_FAILED)'),
          '429': throttled('Too many failed attempts for this e-mail from this address'),
        },
      },
    },
    '/signout': {
      post: {
        summary: 'Ends this session',
        responses: { '204': ok('Signed out'), '403': changeErrors['403'] },
      },
    },
    '/signout-everywhere': {
      post: {
        summary: 'Ends every session of the user (all browsers and devices)',
        responses: { '204': ok('Signed out everywhere'), ...changeErrors },
      },
    },
    '/auth/github': browserRedirect('Starts sign-in with GitHub'),
    '/auth/github/callback': browserRedirect("GitHub's callback; ends with a redirect to `/`"),
    '/auth/oidc/{name}': {
      ...browserRedirect('Starts sign-in with an OpenID Connect provider (PKCE, state, nonce)'),
      parameters: [idParam('name', 'The provider name from `GET /session`')],
    },
    '/auth/oidc/{name}/callback': {
      ...browserRedirect(
        "The provider's callback; ends with a redirect to `/` (or `/?signin=failed`)",
      ),
      parameters: [idParam('name', 'The provider name')],
    },
    '/tokens': {
      get: {
        summary: 'The user’s API tokens with last use (revoked ones too)',
        responses: {
          '200': ok('Newest first', {
            type: 'object',
            properties: { results: { type: 'array', items: ref('Token') } },
          }),
          ...signedInErrors,
        },
      },
      post: {
        summary: 'Creates an API token; the JWT is in the answer only',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['name', 'scopes'],
            properties: {
              name: { type: 'string', maxLength: 255 },
              scopes: {
                type: 'array',
                minItems: 1,
                items: { enum: ['pinning', 'upload', 'gateway', 'prover'] },
              },
              expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 },
            },
          }),
        },
        responses: {
          '201': ok('Created', {
            allOf: [
              ref('Token'),
              { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
            ],
          }),
          ...badRequest,
          ...changeErrors,
        },
      },
    },
    '/tokens/{id}': {
      parameters: [idParam('id', 'Token id')],
      delete: {
        summary: 'Revokes a token; every service rejects it within 5 s',
        responses: { '204': ok('Revoked'), ...changeErrors, ...notFound },
      },
    },
    '/pins': {
      get: {
        summary: "The user's pins: the Pinning API's `GET /pins` (filters, paging, answer)",
        parameters: pinStatusQuery,
        responses: {
          '200': ok('Pins', {
            type: 'object',
            properties: {
              count: { type: 'integer' },
              results: { type: 'array', items: ref('PinStatus') },
            },
          }),
          ...badRequest,
          ...signedInErrors,
        },
      },
    },
    '/pins/{requestid}': {
      parameters: [idParam('requestid', 'The pin request id')],
      post: {
        summary: "Replaces a pin (the Pinning API's `POST /pins/{requestid}`)",
        requestBody: { required: true, content: json(ref('Pin')) },
        responses: {
          '202': ok('The new pin request', ref('PinStatus')),
          ...badRequest,
          ...changeErrors,
          ...notFound,
        },
      },
      delete: {
        summary: 'Deletes a pin',
        responses: { '204': ok('Deleted'), ...changeErrors, ...notFound },
      },
    },
    '/pins/events': {
      get: {
        summary: "Server-Sent Events: `event: status` for each status change of the user's pins",
        responses: {
          '200': {
            description: 'An event stream; `data` is a PinEvent',
            content: { 'text/event-stream': { schema: ref('PinEvent') } },
          },
          ...signedInErrors,
        },
      },
    },
    '/github/installations': {
      get: {
        summary: 'GitHub App installations linked to the user',
        responses: {
          '200': ok('Installations', {
            type: 'object',
            properties: { results: { type: 'array', items: ref('Installation') } },
          }),
          ...signedInErrors,
        },
      },
    },
    '/github/install-url': {
      get: {
        summary: "The GitHub App's installation page (null when no App is configured)",
        responses: {
          '200': ok('URL', {
            type: 'object',
            properties: { url: { type: ['string', 'null'] } },
          }),
          ...signedInErrors,
        },
      },
    },
    '/github/events': {
      get: {
        summary: "The user's webhook events, newest first",
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          {
            name: 'before',
            in: 'query',
            description: '`createdAt` of the last event of the previous page',
            schema: { type: 'string', format: 'date-time' },
          },
        ],
        responses: {
          '200': ok('Events', {
            type: 'object',
            properties: { results: { type: 'array', items: ref('WebhookEvent') } },
          }),
          ...badRequest,
          ...signedInErrors,
        },
      },
    },
    '/github/events/{id}/rerun': {
      parameters: [idParam('id', 'Event id')],
      post: {
        summary: 'Processes the event again (status `queued`)',
        responses: {
          '202': ok('Queued'),
          ...changeErrors,
          ...notFound,
          '409': failure('The event is being processed (CONFLICT)'),
        },
      },
    },
    '/usage': {
      get: {
        summary: 'Stored bytes, pins and gateway bytes per day, totals and limits',
        parameters: [
          { name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 366 } },
        ],
        responses: { '200': ok('Usage', ref('Usage')), ...badRequest, ...signedInErrors },
      },
    },
    '/openapi.json': {
      get: {
        summary: 'This document',
        security: [],
        responses: { '200': ok('OpenAPI 3.1', { type: 'object' }) },
      },
    },
  },
  components: {
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'pinion.sid' },
    },
    schemas: openApiSchemas,
  },
} as const
