export { createTestDatabase, STALE_TEST_DATABASE_MS, sweepStaleTestDatabases, testDatabaseCreatedAt, type TestDatabase } from './database';
export { processCpuMs } from './cpu';
export { freePorts } from './ports';
export { uniqueName } from './names';
export { waitFor, type WaitForOptions } from './wait';
export { repositoryRoot, startWorkerProcess, type WorkerProcess } from './worker-process';
