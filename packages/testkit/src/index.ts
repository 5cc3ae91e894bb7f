export { createTestDatabase, type TestDatabase } from './database';
export { uniqueName } from './names';
export { waitFor, type WaitForOptions } from './wait';
