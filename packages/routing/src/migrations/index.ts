import { CreateRouting1763856000000 } from './1763856000000-CreateRouting';
import { CreateTickets1763900000000 } from './1763900000000-CreateTickets';
import { AssignmentsAndDeferredEvents1765100000000 } from './1765100000000-AssignmentsAndDeferredEvents';

/** Routing's schema migrations, oldest first, for `new DataSource({ migrations: [...routingMigrations, ...yours] })`. */
export const routingMigrations = [CreateRouting1763856000000, CreateTickets1763900000000, AssignmentsAndDeferredEvents1765100000000];

export { CreateRouting1763856000000, CreateTickets1763900000000, AssignmentsAndDeferredEvents1765100000000 };
