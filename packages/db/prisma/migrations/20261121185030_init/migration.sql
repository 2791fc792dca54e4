-- Hand-written (Prisma does not manage extensions): citext for case-insensitive unique e-mails,
-- pg_trgm for the Pinning API's partial/ipartial name match. Both are trusted extensions, so the
-- database owner may create them without being superuser.
CREATE EXTENSION IF NOT EXISTS "citext";
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "WebhookEventStatus" AS ENUM ('received', 'queued', 'processing', 'succeeded', 'failed', 'ignored');

-- CreateEnum
CREATE TYPE "PinStatus" AS ENUM ('queued', 'pinning', 'pinned', 'failed');

-- CreateEnum
CREATE TYPE "PinSource" AS ENUM ('api', 'upload', 'github');

-- CreateEnum
CREATE TYPE "ProverTagStatus" AS ENUM ('tagging', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('user', 'admin');

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "action" TEXT,
    "installation_id" BIGINT,
    "repository_full_name" TEXT,
    "user_id" UUID,
    "payload" JSONB NOT NULL,
    "status" "WebhookEventStatus" NOT NULL DEFAULT 'received',
    "messages" JSONB NOT NULL DEFAULT '[]',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "github_installations" (
    "id" BIGINT NOT NULL,
    "account_login" TEXT NOT NULL,
    "account_type" TEXT NOT NULL,
    "user_id" UUID,
    "suspended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "github_installations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "github_installation_repositories" (
    "installation_id" BIGINT NOT NULL,
    "repo_id" BIGINT NOT NULL,
    "full_name" TEXT NOT NULL,

    CONSTRAINT "github_installation_repositories_pkey" PRIMARY KEY ("installation_id","repo_id")
);

-- CreateTable
CREATE TABLE "pins" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "cid" TEXT NOT NULL,
    "cid_key" TEXT NOT NULL,
    "name" VARCHAR(255),
    "meta" JSONB NOT NULL DEFAULT '{}',
    "status" "PinStatus" NOT NULL DEFAULT 'queued',
    "info" JSONB,
    "created" TIMESTAMPTZ(3) NOT NULL,
    "origins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "dag_size" BIGINT,
    "source" "PinSource" NOT NULL DEFAULT 'api',
    "github_installation_id" BIGINT,
    "deleted_at" TIMESTAMPTZ(3),
    "replaced_by_id" UUID,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "deadline_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pins_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pin_clocks" (
    "user_id" UUID NOT NULL,
    "last_created" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pin_clocks_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "cid_references" (
    "cid_key" TEXT NOT NULL,
    "ref_count" INTEGER NOT NULL DEFAULT 0,
    "first_pinned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dag_size" BIGINT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cid_references_pkey" PRIMARY KEY ("cid_key")
);

-- CreateTable
CREATE TABLE "prover_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "protocol" TEXT NOT NULL,
    "suite" INTEGER NOT NULL,
    "challenge_size" INTEGER NOT NULL,
    "client_setup" BYTEA NOT NULL,
    "encrypted_secret" BYTEA NOT NULL,
    "used_challenges" INTEGER NOT NULL DEFAULT 0,
    "audit_count" INTEGER NOT NULL DEFAULT 0,
    "blocks_audited" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "prover_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prover_tags" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key_id" UUID NOT NULL,
    "root" TEXT NOT NULL,
    "status" "ProverTagStatus" NOT NULL DEFAULT 'tagging',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "blocks_done" INTEGER NOT NULL DEFAULT 0,
    "blocks_total" INTEGER,
    "block_ids" JSONB NOT NULL DEFAULT '[]',
    "tags" BYTEA,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "prover_tags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_counters" (
    "user_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_counters_pkey" PRIMARY KEY ("user_id","metric","period_start")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" CITEXT NOT NULL,
    "display_name" VARCHAR(255) NOT NULL,
    "password_hash" TEXT,
    "role" "UserRole" NOT NULL DEFAULT 'user',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "disabled_at" TIMESTAMPTZ(3),
    "max_pins" INTEGER,
    "max_stored_bytes" BIGINT,
    "max_gateway_bytes_per_month" BIGINT,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identities" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "profile" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "sid" TEXT NOT NULL,
    "user_id" UUID,
    "data" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("sid")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_delivery_id_key" ON "webhook_events"("delivery_id");

-- CreateIndex
CREATE INDEX "webhook_events_user_id_created_at_idx" ON "webhook_events"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_events_installation_id_created_at_idx" ON "webhook_events"("installation_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_events_status_created_at_idx" ON "webhook_events"("status", "created_at");

-- CreateIndex
CREATE INDEX "github_installations_user_id_idx" ON "github_installations"("user_id");

-- CreateIndex
CREATE INDEX "github_installation_repositories_full_name_idx" ON "github_installation_repositories"("full_name");

-- CreateIndex
CREATE INDEX "pins_user_id_name_idx" ON "pins"("user_id", "name");

-- CreateIndex
CREATE INDEX "pins_name_trgm_idx" ON "pins" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "pins_meta_idx" ON "pins" USING GIN ("meta" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "pins_status_deadline_at_idx" ON "pins"("status", "deadline_at");

-- CreateIndex
CREATE UNIQUE INDEX "pins_user_id_created_key" ON "pins"("user_id", "created");

-- CreateIndex
CREATE INDEX "prover_keys_user_id_created_at_idx" ON "prover_keys"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "prover_tags_key_id_root_key" ON "prover_tags"("key_id", "root");

-- CreateIndex
CREATE INDEX "usage_counters_metric_period_start_idx" ON "usage_counters"("metric", "period_start");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "identities_user_id_idx" ON "identities"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "identities_provider_subject_key" ON "identities"("provider", "subject");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_created_at_idx" ON "api_tokens"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "api_tokens_revoked_at_idx" ON "api_tokens"("revoked_at");

-- AddForeignKey
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "github_installations" ADD CONSTRAINT "github_installations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "github_installation_repositories" ADD CONSTRAINT "github_installation_repositories_installation_id_fkey" FOREIGN KEY ("installation_id") REFERENCES "github_installations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pins" ADD CONSTRAINT "pins_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pins" ADD CONSTRAINT "pins_github_installation_id_fkey" FOREIGN KEY ("github_installation_id") REFERENCES "github_installations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pins" ADD CONSTRAINT "pins_replaced_by_id_fkey" FOREIGN KEY ("replaced_by_id") REFERENCES "pins"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pin_clocks" ADD CONSTRAINT "pin_clocks_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prover_keys" ADD CONSTRAINT "prover_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prover_tags" ADD CONSTRAINT "prover_tags_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES "prover_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identities" ADD CONSTRAINT "identities_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below: what the Prisma schema cannot express. The engine does not see partial or
-- expression indexes and CHECK constraints when it diffs, so later migrations leave them alone
-- (see README.md, "Hand-written SQL").

-- GET /pins: a user's live pins by status, newest first (pinning-api.md §1.4, §6 item 2).
CREATE INDEX "pins_live_user_status_created_idx" ON "pins" ("user_id", "status", "created" DESC) WHERE "deleted_at" IS NULL;

-- GET /pins?cid=…: a user's live pins of a CID (normalised key).
CREATE INDEX "pins_live_user_cid_key_idx" ON "pins" ("user_id", "cid_key") WHERE "deleted_at" IS NULL;

-- GET /pins?name=…&match=iexact.
CREATE INDEX "pins_user_lower_name_idx" ON "pins" ("user_id", lower("name"));

-- Outbox sweeper: rows whose latest request JetStream has not acknowledged yet.
CREATE INDEX "pins_unpublished_idx" ON "pins" ("updated_at") WHERE "published_at" IS NULL;

-- Reference counts never go below zero.
ALTER TABLE "cid_references" ADD CONSTRAINT "cid_references_ref_count_check" CHECK ("ref_count" >= 0);

-- Usage deltas are bucketed by UTC day: make the DATE column's meaning unambiguous.
COMMENT ON COLUMN "usage_counters"."period_start" IS 'UTC day';
