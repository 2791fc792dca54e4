-- CreateTable
CREATE TABLE "attempt_windows" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "attempt_windows_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "attempt_windows_window_start_idx" ON "attempt_windows"("window_start");
