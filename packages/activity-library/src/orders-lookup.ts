/**
 * Example custom activity: look up an order in a PostgreSQL database (e.g. the shop's). The table is
 * the integrator's; `packages/activity-library/examples/orders.sql` creates a sample one.
 */
import { defineActivity } from '@tandem/activity-kit';
import type { Pool } from 'pg';
import { z } from 'zod';

export interface OrderLookupOptions {
  pool: Pool;
  /** Schema-qualified table name (default `public.orders`). */
  table?: string;
}

const TABLE = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

export function createOrderLookupActivity({ pool, table = 'public.orders' }: OrderLookupOptions) {
  if (!TABLE.test(table)) throw new Error(`orders.lookup: "${table}" is not a plain table name`);
  return defineActivity({
    name: 'orders.lookup',
    title: 'Look up an order',
    description: 'Finds an order by its number and returns its status, carrier, delivery estimate and total.',
    category: 'Orders',
    input: z.object({ orderNumber: z.string().trim().min(1).max(64).describe('The order number, e.g. A-10042') }),
    output: z.object({
      found: z.boolean(),
      orderNumber: z.string(),
      status: z.string().optional(),
      carrier: z.string().optional(),
      estimatedDelivery: z.string().optional().describe('ISO date'),
      total: z.number().optional(),
      currency: z.string().optional(),
    }),
    timeoutSeconds: 5,
    async execute({ orderNumber }) {
      const { rows } = await pool.query<{ status: string; carrier: string | null; eta: Date | null; total: string | null; currency: string | null }>(
        `SELECT status, carrier, eta, total, currency FROM ${table} WHERE upper(order_number) = upper($1) LIMIT 1`,
        [orderNumber],
      );
      const row = rows[0];
      if (!row) return { found: false, orderNumber };
      return {
        found: true,
        orderNumber,
        status: row.status,
        ...(row.carrier ? { carrier: row.carrier } : {}),
        ...(row.eta ? { estimatedDelivery: row.eta.toISOString().slice(0, 10) } : {}),
        ...(row.total !== null ? { total: Number(row.total) } : {}),
        ...(row.currency ? { currency: row.currency } : {}),
      };
    },
  });
}
