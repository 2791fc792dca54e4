-- AlterTable
ALTER TABLE "pins" ADD COLUMN     "removal_published_at" TIMESTAMPTZ(3);

-- The removal outbox sweeper: deleted/replaced pins whose `pinion.pins.removed` was not yet acked.
CREATE INDEX "pins_removal_unpublished_idx" ON "pins" ("deleted_at") WHERE "deleted_at" IS NOT NULL AND "removal_published_at" IS NULL;
