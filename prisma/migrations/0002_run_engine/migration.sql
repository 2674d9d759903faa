-- AlterTable
ALTER TABLE "Graph" ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "plan" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "NodeRun" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "lease" TEXT,
ADD COLUMN     "storesWritten" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "Webhook" (
    "token" TEXT NOT NULL,
    "graphId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE UNIQUE INDEX "Webhook_graphId_nodeId_key" ON "Webhook"("graphId", "nodeId");

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_graphId_fkey" FOREIGN KEY ("graphId") REFERENCES "Graph"("id") ON DELETE CASCADE ON UPDATE CASCADE;

