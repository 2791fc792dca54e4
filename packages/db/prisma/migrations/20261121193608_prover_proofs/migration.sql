-- CreateEnum
CREATE TYPE "ProverTagging" AS ENUM ('server', 'client');

-- AlterTable
ALTER TABLE "prover_keys" DROP COLUMN "deleted_at",
DROP COLUMN "used_challenges",
ADD COLUMN     "prover_setup" BYTEA NOT NULL,
ADD COLUMN     "tagging" "ProverTagging" NOT NULL DEFAULT 'server',
ALTER COLUMN "id" DROP DEFAULT,
ALTER COLUMN "client_setup" DROP NOT NULL,
ALTER COLUMN "encrypted_secret" DROP NOT NULL;

-- AlterTable
ALTER TABLE "prover_tags" DROP COLUMN "tags",
ADD COLUMN     "chunk_count" BIGINT,
ADD COLUMN     "descriptor" BYTEA,
ADD COLUMN     "manifest" BYTEA,
ADD COLUMN     "sidecar" BYTEA,
ADD COLUMN     "used_sentinels" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- CreateTable
CREATE TABLE "prover_tag_batches" (
    "tag_id" UUID NOT NULL,
    "first" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "frame" BYTEA NOT NULL,

    CONSTRAINT "prover_tag_batches_pkey" PRIMARY KEY ("tag_id","first")
);

-- AddForeignKey
ALTER TABLE "prover_tag_batches" ADD CONSTRAINT "prover_tag_batches_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "prover_tags"("id") ON DELETE CASCADE ON UPDATE CASCADE;
