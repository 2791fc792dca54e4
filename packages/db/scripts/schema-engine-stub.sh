#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded here. `prisma generate`
# only checks that the file exists; anything that really runs it is a mistake.
echo "The native Prisma schema engine is not available; use pnpm --filter @pinion/db migrate:*" >&2
exit 1
