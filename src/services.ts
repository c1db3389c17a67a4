import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { PrismaClient } from './db/client.ts';
import type { ConnectionService } from './hris/connections.ts';
import type { BatchRunner } from './hris/exports/batches.ts';
import type { BulkExportRequest, BulkExportStart } from './hris/exports/bulk.ts';
import type { ExportActor, ExportService } from './hris/exports/service.ts';
import type { HrisRegistry } from './hris/registry.ts';

/** Long-lived services built once by the composition root and shared by every request. */
export interface Services {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  registry: HrisRegistry;
  connections: ConnectionService;
  exports: ExportService;
  batches: BatchRunner;
  startBulkExport(actor: ExportActor, request: BulkExportRequest): Promise<BulkExportStart>;
}
