import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { RESULTS_TABLE_SCHEMA } from '../../lib/results-table-schema';

export interface LocalDynamoDbOptions {
  /** 0 (default): any free port. */
  readonly port?: number;
  readonly tableName?: string;
  readonly region?: string;
  /**
   * Run dynalite in a process of its own: the table's CPU then has a core
   * of its own, instead of the caller's event loop (the benchmark's runner
   * and handlers), and its memory is not the caller's, as DynamoDB's is
   * not the service's. Default false: in this process.
   */
  readonly inOwnProcess?: boolean;
}

export interface LocalResultsTable {
  readonly endpoint: string;
  readonly tableName: string;
  /** A client for this server, for tests and reports. */
  readonly client: DynamoDBClient;
  /** The process serving the table, when it has its own. */
  readonly pid?: number;
  close(): Promise<void>;
}

/**
 * Credentials dynalite accepts: it checks that requests are signed, not by whom.
 * Fixed so that a client of the local table never picks up real AWS credentials.
 */
const LOCAL_DYNAMODB_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * dynalite on 127.0.0.1 with the results table created from the same schema
 * as the CDK construct. TTL is not emulated (dynalite has no
 * UpdateTimeToLive): items with expiresAt stay.
 */
/** Zero delays: the table is ACTIVE as soon as CreateTable answers. */
const DYNALITE_OPTIONS = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

interface Served {
  readonly port: number;
  readonly pid?: number;
  stop(): Promise<void>;
}

/** dynalite on 127.0.0.1 in this thread: its port and how to stop it. */
async function serveInProcess(port: number): Promise<Served> {
  const server = dynalite(DYNALITE_OPTIONS);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The table process's code: plain JavaScript, so it runs without the
 * TypeScript loader. It ends with its parent (the IPC channel closes).
 */
const DYNALITE_PROCESS = `
const [dynalitePath, options, port] = JSON.parse(process.argv[1]);
const server = require(dynalitePath)(options);
server.listen(port, '127.0.0.1', () => process.send(server.address().port));
process.on('disconnect', () => process.exit(0));
`;

/** dynalite on 127.0.0.1 in a process of its own: its port, its pid and how to stop it. */
async function serveInOwnProcess(port: number): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['-e', DYNALITE_PROCESS, JSON.stringify([require.resolve('dynalite'), DYNALITE_OPTIONS, port])],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: unknown) => resolve(Number(message)));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the dynalite process exited with code ${String(code)}`)));
  });
  return {
    port: listening,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalResultsTable> {
  const served = await (options.inOwnProcess ? serveInOwnProcess : serveInProcess)(options.port ?? 0);
  const endpoint = `http://127.0.0.1:${served.port}`;
  const tableName = options.tableName ?? 'RootkeeperResults';
  const client = new DynamoDBClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: LOCAL_DYNAMODB_CREDENTIALS,
  });
  const close = async (): Promise<void> => {
    client.destroy();
    await served.stop();
  };
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: RESULTS_TABLE_SCHEMA.KeySchema.map((key) => ({ ...key })),
        AttributeDefinitions: RESULTS_TABLE_SCHEMA.AttributeDefinitions.map((definition) => ({
          ...definition,
        })),
        GlobalSecondaryIndexes: RESULTS_TABLE_SCHEMA.GlobalSecondaryIndexes.map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema.map((key) => ({ ...key })),
          Projection: { ...index.Projection },
        })),
        BillingMode: RESULTS_TABLE_SCHEMA.BillingMode,
      }),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, tableName, client, close, ...(served.pid === undefined ? {} : { pid: served.pid }) };
}
