-- CreateEnum
CREATE TYPE "GithubPinKind" AS ENUM ('directory', 'release_asset');

-- CreateTable
CREATE TABLE "github_pins" (
    "pin_id" UUID NOT NULL,
    "kind" "GithubPinKind" NOT NULL,
    "installation_id" BIGINT NOT NULL,
    "repository" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "sha" TEXT,
    "branch" TEXT,
    "path" TEXT,
    "context" TEXT,
    "tag" TEXT,
    "file_name" TEXT,
    "cid" TEXT NOT NULL,
    "status_state" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "github_pins_pkey" PRIMARY KEY ("pin_id")
);

-- CreateIndex
CREATE INDEX "github_pins_repository_branch_path_created_at_idx" ON "github_pins"("repository", "branch", "path", "created_at" DESC);
