-- AlterTable
ALTER TABLE "NodeRun" ADD COLUMN     "codeVersion" TEXT,
ADD COLUMN     "committedAt" TIMESTAMP(3);

