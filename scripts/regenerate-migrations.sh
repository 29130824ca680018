#!/usr/bin/env bash
# Until the first deployment the schema has one initial migration; after merging schema changes from
# several branches, regenerate it from the merged schema instead of hand-merging generated files.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/db/drizzle-migrations
node_modules/.bin/drizzle-kit generate --name init
node_modules/.bin/drizzle-kit check
